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
 * Host mode: proplib's kernel side of an ioctl carrying a dictionary,
 * with the limits and errnos of current NetBSD (prop_kern.c): requests
 * of the limit or more are E2BIG (128 KiB unless the caller names one),
 * unparsable ones EIO.
 *
 * Follows common/lib/libprop/prop_kern.c.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/ioccom.h>
#include <sys/kmem.h>

#include <prop/plistref.h>
#include <prop/proplib.h>

#include <errno.h>
#include <stdlib.h>

#define	PROP_COPYIN_LIMIT	(128 * 1024)

int
prop_dictionary_copyin_ioctl(const struct plistref *pref, const u_long cmd,
    prop_dictionary_t *dictp)
{

	return prop_dictionary_copyin_ioctl_size(pref, cmd, dictp,
	    PROP_COPYIN_LIMIT);
}

int
prop_dictionary_copyin_ioctl_size(const struct plistref *pref,
    const u_long cmd, prop_dictionary_t *dictp, size_t lim)
{
	prop_dictionary_t dict;
	char *buf;
	int error;

	if ((cmd & IOC_IN) == 0)
		return EFAULT;
	if (pref->pref_len >= lim)
		return E2BIG;
	buf = kmem_alloc(pref->pref_len + 1, KM_SLEEP);
	if ((error = copyin(pref->pref_plist, buf, pref->pref_len)) != 0) {
		kmem_free(buf, pref->pref_len + 1);
		return error;
	}
	buf[pref->pref_len] = '\0';
	dict = prop_dictionary_internalize(buf);
	kmem_free(buf, pref->pref_len + 1);
	if (dict == NULL)
		return EIO;
	*dictp = dict;
	return 0;
}

/*
 * The reply goes to a fresh buffer handed to the caller (in NetBSD a
 * fresh mapping in the calling process), never into the request's.
 */
int
prop_dictionary_copyout_ioctl(struct plistref *pref, const u_long cmd,
    prop_dictionary_t dict)
{
	char *text;

	if ((cmd & IOC_OUT) == 0)
		return EFAULT;
	if ((text = prop_dictionary_externalize(dict)) == NULL)
		return ENOMEM;
	pref->pref_plist = text;
	pref->pref_len = strlen(text) + 1;
	return 0;
}
