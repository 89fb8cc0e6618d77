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
 * dm(4): what the glue and dm-core use of NetBSD 10's kernel, in the terms
 * of the kernels before it: NetBSD 9.x, and the 7.99 tree rump kernels
 * build from.  The cut is NetBSD 9.99 (the -current that became 10); host
 * mode defines no __NetBSD_Version__ and has NetBSD 10's interfaces.
 *
 * Included last (through dm_glue.h), after the kernel's own headers.
 */

#ifndef _DEV_DM_DM_COMPAT_H_
#define _DEV_DM_DM_COMPAT_H_

#include <sys/param.h>

#if defined(__NetBSD_Version__) && __NetBSD_Version__ < 999000000

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/device.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include "dm_prop_compat.h"

/* Memory barriers: the older names, the sync one where none is weaker. */
#define	membar_acquire()	membar_sync()
#define	membar_release()	membar_exit()

#ifndef atomic_load_acquire
#define	atomic_load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define	atomic_store_release(p, v)					\
	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#endif

/*
 * vn_open(9) before 2020 took a nameidata; the 2020 form without a
 * directory, descriptor or domain is what the glue calls.
 */
static inline int
dm_compat_vn_open(struct pathbuf *pb, int nmode, int fmode, int cmode,
    struct vnode **vpp)
{
	struct nameidata nd;
	int error;

	NDINIT(&nd, LOOKUP, nmode, pb);
	if ((error = vn_open(&nd, fmode, cmode)) != 0)
		return error;
	*vpp = nd.ni_vp;
	return 0;
}
#define	vn_open(at, pb, nmode, fmode, cmode, vpp, dom, fd)		\
	dm_compat_vn_open((pb), (nmode), (fmode), (cmode), (vpp))

#endif /* __NetBSD_Version__ < 999000000 */

#endif /* !_DEV_DM_DM_COMPAT_H_ */
