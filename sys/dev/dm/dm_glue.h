/*-
 * Copyright (c) 2026 The NetBSD Foundation, Inc.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE NETBSD FOUNDATION, INC. AND CONTRIBUTORS
 * ``AS IS'' AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED
 * TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR
 * PURPOSE ARE DISCLAIMED.  IN NO EVENT SHALL THE FOUNDATION OR CONTRIBUTORS
 * BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 * CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
 * SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
 * INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
 * CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
 * ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
 * POSSIBILITY OF SUCH DAMAGE.
 */

/*
 * dm(4) glue: what the C files of the driver share.  The glue does kernel
 * mechanics only; every decision is dm-core's (dm_core.h).
 */

#ifndef _DEV_DM_DM_GLUE_H_
#define _DEV_DM_DM_GLUE_H_

#include <sys/types.h>
#include <sys/buf.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/disk.h>
#include <sys/disklabel.h>
#include <sys/mutex.h>
#include <sys/queue.h>

#include "dm_core.h"
#include "dm_compat.h"

/* NetBSD's majors for dm (sys/conf/majors). */
#define	DM_BMAJOR	169
#define	DM_CMAJOR	194

/* Minor 0 of the character device is /dev/mapper/control. */
#define	DM_CONTROL_MINOR	0

/* NETBSD_DM_IOCTL: _IOWR(0xfd, 0, struct plistref), netbsd-dm.h. */
#define	DM_IOCTL_GROUP	0xfd
#define	NETBSD_DM_IOCTL	_IOWR(DM_IOCTL_GROUP, 0, struct plistref)

#define	DM_NAME_LEN	128

/*
 * One dm disk: dm-core's handle of the device, its disk(9) structure and
 * the requests held back while the device is suspended.
 */
struct dm_softc {
	/* What every request reads and updates, together. */
	const struct dm_dev	*sc_dev;
	kmutex_t		sc_dk_lock;	/* sc_dk's statistics */
	struct disk		sc_dk;
	uint32_t		sc_minor;
	kmutex_t		sc_lock;	/* sc_deferred */
	TAILQ_HEAD(, buf)	sc_deferred;
	char			sc_name[DM_NAME_LEN];
	kmutex_t		sc_label_lock;	/* sc_label*, sc_dk's geometry */
	struct disklabel	sc_label;
	bool			sc_label_default;	/* none on the disk */
	bool			sc_label_stale;	/* the table changed since */
	u_int			sc_label_gen;	/* table changes */
	bool			sc_info_stale;	/* dk_info behind dk_geom */
	struct cpu_disklabel	sc_cpulabel;
};

/* dm_driver.c */
extern devmajor_t dm_bmajor, dm_cmajor;
struct dm_softc	*dm_softc_lookup(uint32_t);
void		dm_softc_insert(struct dm_softc *);
void		dm_softc_remove(struct dm_softc *);
void		dmstrategy(struct buf *);

/* dm_io.c */
int	dm_io_init(void);
void	dm_io_fini(void);
void	dm_io_start(struct dm_softc *, struct buf *);
void	dm_io_restart(struct dm_softc *);
void	dm_io_fail_deferred(struct dm_softc *);
int	dm_io_sync(struct dm_softc *, int);

/* dm_label.c */
void	dm_label_geometry(struct dm_softc *, uint64_t, struct disk_geom *);
void	dm_label_default(struct dm_softc *, struct disklabel *);
void	dm_label_resize(struct dm_softc *, uint64_t, uint32_t);
void	dm_label_current(struct dm_softc *);
void	dm_label_regeometry(struct dm_softc *);
int	dm_label_ioctl(struct dm_softc *, u_long, void *, int);

/* dm_ioctl.c */
int	dm_ioctl_control(u_long, void *, int, struct lwp *);
int	dm_ioctl_disk(struct dm_softc *, u_long, void *, int, struct lwp *);

/* dm_kapi.c */
int	dm_kapi_init(void);
void	dm_kapi_fini(void);

#endif /* !_DEV_DM_DM_GLUE_H_ */
