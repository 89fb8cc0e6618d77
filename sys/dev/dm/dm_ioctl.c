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
 * dm(4) ioctls: the control ioctl (a proplib dictionary in and out,
 * handled by dm-core) and the disk ioctls of dm disks.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/disk.h>
#include <sys/dkio.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/syslog.h>
#include <sys/time.h>

#include <prop/proplib.h>

#include "dm_glue.h"

/* At most this many failed commands a second reach the log. */
#define	DM_LOG_PPS	5

/* Longest failure message logged or handed back. */
#define	DM_MSG_MAX	256

/*
 * Logs why a command failed, so an administrator using clients that
 * never see the errno (NetBSD's libdm, lvm2) can find out, as Linux dm
 * logs to dmesg.  Rate-limited: any user may send failing queries.  The
 * limiter's state is shared without a lock; a race only lets one line
 * more or less through.
 */
static void
dm_ioctl_log(prop_dictionary_t dict, int error)
{
	static struct timeval lasttime;
	static int curpps;
	char msg[DM_MSG_MAX];

	if (!ppsratecheck(&lasttime, &curpps, DM_LOG_PPS))
		return;
	(void)dm_core_message(dict, true, (uint8_t *)msg, sizeof(msg));
	log(LOG_NOTICE, "dm: %s (error %d)\n", msg, error);
}

/*
 * Hands an errno-aware caller the failure message: NUL-terminated, in
 * the caller's own request buffer (cut to its length), since sys_ioctl
 * copies nothing back when the ioctl fails (dm.4, "Errors and errno-aware
 * clients").
 */
static void
dm_ioctl_message_out(struct plistref *pref, prop_dictionary_t dict)
{
	char msg[DM_MSG_MAX];
	size_t len;

	if (pref->pref_plist == NULL || pref->pref_len == 0)
		return;
	len = dm_core_message(dict, false, (uint8_t *)msg, sizeof(msg));
	if (len >= pref->pref_len)
		len = pref->pref_len - 1;
	msg[len] = '\0';
	(void)copyout(msg, pref->pref_plist, len + 1);
}

/*
 * Copies the request in, runs it, and answers.  A client that takes
 * errnos (DM_ERRNO_FLAG) gets a failed command's errno from the ioctl and
 * its message in its own buffer; no reply is mapped then, since
 * sys_ioctl would not hand its address back and the mapping would leak.
 * Any other client gets 0 and the reply, which carries the error in its
 * "errno" and "message" keys: NetBSD's libdm frees the caller's task
 * when the ioctl fails, which crashes lvm2, and NetBSD's own dm always
 * returned 0.  Errors of the copy-in are returned as they are, as
 * NetBSD's dm does.
 */
int
dm_ioctl_control(u_long cmd, void *data, int flag __unused, struct lwp *l)
{
	prop_dictionary_t dict;
	bool privileged;
	int error;

	if (cmd != NETBSD_DM_IOCTL)
		return ENOTTY;
	if ((error = prop_dictionary_copyin_ioctl_size(data, cmd, &dict,
	    DM_REQUEST_MAX)) != 0)
		return error;
	privileged = kauth_authorize_system(l->l_cred,
	    KAUTH_SYSTEM_DEVMAPPER, 0, NULL, NULL, NULL) == 0;
	error = dm_core_ioctl(dict, privileged);
	if (error != 0) {
		dm_ioctl_log(dict, error);
		if (dm_core_errno_aware(dict)) {
			dm_ioctl_message_out(data, dict);
			prop_object_release(dict);
			return error;
		}
	}
	error = prop_dictionary_copyout_ioctl(data, cmd, dict);
	prop_object_release(dict);
	return error;
}

static int
dm_ioctl_wedgeinfo(struct dm_softc *sc, struct dkwedge_info *dkw)
{
	uint64_t sectors;
	uint32_t secsize;
	uint8_t fstype;
	int error;

	if ((error = dm_core_size(sc->sc_minor, &sectors, &secsize)) != 0)
		return error;
	memset(dkw, 0, sizeof(*dkw));
	snprintf(dkw->dkw_devname, sizeof(dkw->dkw_devname), "dm%u",
	    sc->sc_minor);
	strlcpy((char *)dkw->dkw_wname, sc->sc_name, sizeof(dkw->dkw_wname));
	snprintf(dkw->dkw_parent, sizeof(dkw->dkw_parent), "dm%u",
	    sc->sc_minor);
	dkw->dkw_offset = 0;
	dkw->dkw_size = sectors * DEV_BSIZE / secsize;
	/*
	 * The raw partition's type from the label as last read, as wedges
	 * report it (no label read: see dm_label_partinfo).
	 */
	mutex_enter(&sc->sc_label_lock);
	fstype = sc->sc_label.d_partitions[RAW_PART].p_fstype;
	mutex_exit(&sc->sc_label_lock);
	strlcpy(dkw->dkw_ptype, fstype == FS_BSDFFS ? DKW_PTYPE_FFS :
	    DKW_PTYPE_UNUSED, sizeof(dkw->dkw_ptype));
	return 0;
}

int
dm_ioctl_disk(struct dm_softc *sc, u_long cmd, void *data, int flag,
    struct lwp *l __unused)
{
	uint64_t sectors;
	uint32_t secsize;
	int error;

	switch (cmd) {
	case DIOCGMEDIASIZE:
		if ((error = dm_core_size(sc->sc_minor, &sectors,
		    &secsize)) != 0)
			return error;
		*(off_t *)data = (off_t)(sectors * DEV_BSIZE);
		return 0;
	case DIOCGSECTORSIZE:
		if ((error = dm_core_size(sc->sc_minor, &sectors,
		    &secsize)) != 0)
			return error;
		*(u_int *)data = secsize;
		return 0;
	case DIOCCACHESYNC:
		return dm_io_sync(sc, flag);
	case DIOCGWEDGEINFO:
		return dm_ioctl_wedgeinfo(sc, data);
	default:
		return dm_label_ioctl(sc, cmd, data, flag);
	}
}
