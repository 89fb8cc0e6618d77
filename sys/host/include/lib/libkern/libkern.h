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
 * Host mode: NetBSD's <lib/libkern/libkern.h>, which <sys/systm.h>
 * includes in the kernel: the assertions, live as in a DIAGNOSTIC
 * kernel, and the string routines (libc's, and strlcpy).
 */

#ifndef _HOST_LIB_LIBKERN_LIBKERN_H_
#define _HOST_LIB_LIBKERN_LIBKERN_H_

#include <sys/types.h>
#include <string.h>

void	kern_assert(const char *, ...) __printflike(1, 2) __dead;

#define	__KASSERTSTR	"kernel %sassertion \"%s\" failed: file \"%s\", line %d"

#define	KASSERT(e)	(__predict_true((e)) ? (void)0 :		\
	kern_assert(__KASSERTSTR, "diagnostic ", #e, __FILE__, __LINE__))
#define	KASSERTMSG(e, ...)	(__predict_true((e)) ? (void)0 :	\
	kern_assert(__VA_ARGS__))
#define	KDASSERT(e)	KASSERT(e)

size_t	strlcpy(char *, const char *, size_t);

/* As NetBSD's on every port but old vax compilers. */
#define	ffs(x)		__builtin_ffs(x)

#endif /* !_HOST_LIB_LIBKERN_LIBKERN_H_ */
