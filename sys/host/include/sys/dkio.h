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
 * Host mode: NetBSD's <sys/dkio.h>: the disk ioctls.
 */

#ifndef _HOST_SYS_DKIO_H_
#define _HOST_SYS_DKIO_H_

#include <sys/ioccom.h>
#include <prop/plistref.h>

#define	DIOCGDINFO	_IOR('d', 101, struct disklabel)
#define	DIOCSDINFO	_IOW('d', 102, struct disklabel)
#define	DIOCWDINFO	_IOW('d', 103, struct disklabel)
#define	DIOCGDEFLABEL	_IOR('d', 114, struct disklabel)
#define	DIOCCACHESYNC	_IOW('d', 118, int)
#define	DIOCGWEDGEINFO	_IOR('d', 122, struct dkwedge_info)
#define	DIOCGDISKINFO	_IOR('d', 127, struct plistref)
#define	DIOCGMEDIASIZE	_IOR('d', 132, off_t)
#define	DIOCGSECTORSIZE	_IOR('d', 133, u_int)
#define	DIOCGPARTINFO	_IOR('d', 139, struct partinfo)

#endif /* !_HOST_SYS_DKIO_H_ */
