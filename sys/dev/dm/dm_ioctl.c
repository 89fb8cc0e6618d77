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

#include <prop/proplib.h>

#include "dm_glue.h"

/*
 * Copies the request in, runs it, and copies the reply out.  The reply
 * goes out only on success, or when the request asks for it with
 * DM_REPLY_ON_ERROR: userland proplib does not read (and would leak) a
 * reply that comes with an error.
 */
int
dm_ioctl_control(u_long cmd, void *data, int flag __unused, struct lwp *l)
{
	prop_dictionary_t dict;
	bool privileged;
	int error, cerror;

	if (cmd != NETBSD_DM_IOCTL)
		return ENOTTY;
	if ((error = prop_dictionary_copyin_ioctl_size(data, cmd, &dict,
	    DM_REQUEST_MAX)) != 0)
		return error;
	privileged = kauth_authorize_system(l->l_cred,
	    KAUTH_SYSTEM_DEVMAPPER, 0, NULL, NULL, NULL) == 0;
	error = dm_core_ioctl(dict, privileged);
	if (error == 0 || dm_core_reply_on_error(dict)) {
		cerror = prop_dictionary_copyout_ioctl(data, cmd, dict);
		if (error == 0)
			error = cerror;
	}
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
	/* The raw partition's type from the label, as wedges report. */
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
	case DIOCGDISKINFO:
		if (sc->sc_dk.dk_info == NULL)
			return ENOTSUP;
		return prop_dictionary_copyout_ioctl(data, cmd,
		    sc->sc_dk.dk_info);
	default:
		return dm_label_ioctl(sc, cmd, data, flag);
	}
}
