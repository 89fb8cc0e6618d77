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
 * Host mode: NetBSD's <sys/vnode.h>: the vnodes of the devices and files
 * a driver opens, and, through <sys/vnode_if.h>, their operations.  The
 * special file fields (v_rdev) are <miscfs/specfs/specdev.h>'s, as on
 * NetBSD.  A vnode is a host file (v_hostfd), or a device of host mode
 * itself.
 */

#ifndef _HOST_SYS_VNODE_H_
#define _HOST_SYS_VNODE_H_

#include <sys/queue.h>
#include <sys/condvar.h>
#include <sys/rwlock.h>
#include <sys/mutex.h>
#include <sys/time.h>

/*
 * In the kernel NetBSD's includes <uvm/uvm_extern.h>, whose
 * <uvm/uvm_map.h> includes <sys/proc.h>: a file with vnodes has curlwp.
 */
#include <sys/proc.h>

struct pathbuf;
struct specnode;

enum vtype	{ VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

struct vnode {
	enum vtype	v_type;			/* vnode type */
	kmutex_t	*v_interlock;		/* vnode interlock */
	int		v_numoutput;		/* # of pending writes */
	union {
		struct specnode	*vu_specnode;	/* device (VCHR, VBLK) */
	} v_un;
	/* host mode only */
	int		v_hostfd;
	uint64_t	v_hostsize;
	uint32_t	v_hostsecsize;
	int		v_hostrefs;
	struct vnode	*v_hostnext;
};
#define	v_specnode	v_un.vu_specnode

typedef struct vnode vnode_t;

int	vn_open(struct vnode *, struct pathbuf *, int, int, int,
	    struct vnode **, bool *, int *);
int	vn_close(struct vnode *, int, kauth_cred_t);

#include <sys/vnode_if.h>

#endif /* !_HOST_SYS_VNODE_H_ */
