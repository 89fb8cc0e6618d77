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
 * dm(4) as a rump kernel component: the driver's device switches and
 * /dev/mapper/control, as NetBSD's sys/rump/dev/lib/libdm does for its
 * own dm.  The glue is built with _MODULE, so the rump kernel runs its
 * module initialisation (dm_modcmd) after this, which finds the switches
 * attached.
 */

#include <sys/param.h>
#include <sys/conf.h>
#include <sys/filedesc.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/vfs_syscalls.h>

#include <rump-sys/kern.h>
#include <rump-sys/vfs.h>

#include "dm_glue.h"

extern const struct bdevsw dm_bdevsw;
extern const struct cdevsw dm_cdevsw;

RUMP_COMPONENT(RUMP_COMPONENT_DEV)
{
	int error;

	/* The majors the rump kernel assigns, which the glue then uses. */
	dm_bmajor = dm_cmajor = NODEVMAJOR;
	if ((error = devsw_attach("dm", &dm_bdevsw, &dm_bmajor,
	    &dm_cdevsw, &dm_cmajor)) != 0)
		panic("dm: cannot attach the device switches: %d", error);
	(void)do_sys_mkdir("/dev/mapper", 0770, UIO_SYSSPACE);
	if ((error = rump_vfs_makeonedevnode(S_IFCHR, "/dev/mapper/control",
	    dm_cmajor, DM_CONTROL_MINOR)) != 0)
		panic("dm: cannot create /dev/mapper/control: %d", error);
}
