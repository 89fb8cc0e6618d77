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
 * Host mode: what the daemon (dm-hostd) calls to drive the driver the
 * way a NetBSD kernel and its userland would.
 */

#ifndef _HOST_API_H_
#define _HOST_API_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Module load and unload (MODULE_CMD_INIT / _FINI of dm). */
int	host_init(void);
int	host_fini(void);

/* Component names: a table's "/dev/wd1a" opens host file PATH. */
int	host_map_disk(const char *, const char *);
/* "/dev/mapper/NAME" is dm device MINOR (for stacking). */
int	host_map_dm(const char *, uint32_t);
void	host_unmap(const char *);

/*
 * The next N allocations that may not sleep fail (memory pressure); the
 * failures the last call asked for that did not happen yet.
 */
unsigned int	host_fail_nowait(unsigned int);

/* The calling thread's uid (root: 0) and its pseudo-signal. */
void	host_set_uid(uint32_t);
void	host_interrupt(bool);

/*
 * The control ioctl on /dev/mapper/control: REQ (LEN bytes of plist
 * text) in; the errno out, and the reply text (malloc'd, free(3) it) in
 * *REPLY when the driver copied one out, or, when the command failed for
 * an errno-aware request, the message the driver left in the request's
 * buffer.
 */
int	host_control(const char *, size_t, char **, size_t *);

/* The dm disk MINOR as the block device: open, I/O, flush, size. */
int	host_open(uint32_t, bool);
int	host_close(uint32_t, bool);
int	host_rw(uint32_t, bool, uint64_t, void *, size_t);
int	host_flush(uint32_t);
int	host_mediasize(uint32_t, uint64_t *);
int	host_secsize(uint32_t, uint32_t *);

/*
 * A host disk read and written through the block layer as the kernel
 * would a disk without dm (getiobuf, its strategy, biowait): the
 * baseline dm is measured against.  The handle is opaque.
 */
int	host_disk_open(const char *, bool, void **);
int	host_disk_close(void *, bool);
int	host_disk_rw(void *, bool, uint64_t, void *, size_t);
int	host_disk_flush(void *);
int	host_disk_size(void *, uint64_t *);

#endif /* !_HOST_API_H_ */
