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
 * Host mode: the opens and closes of device nodes, as the special file
 * layer (sys/miscfs/specfs/spec_vnops.c) makes them: the driver's d_open
 * runs on every open, its d_close only on the last close of a device
 * node (per dev_t and block or character kind).
 *
 * Follows sys/miscfs/specfs/spec_vnops.c.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/lwp.h>

#include <host_internal.h>

#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>

struct spec_node {
	dev_t		sn_dev;
	int		sn_type;	/* S_IFBLK or S_IFCHR */
	u_int		sn_opens;
	struct spec_node *sn_next;
};

/* Held across d_open and d_close, as the kernel's device lock. */
static pthread_mutex_t spec_lock = PTHREAD_MUTEX_INITIALIZER;
static struct spec_node *spec_nodes;

static struct spec_node **
spec_find(dev_t dev, int type)
{
	struct spec_node **pp;

	for (pp = &spec_nodes; *pp != NULL; pp = &(*pp)->sn_next)
		if ((*pp)->sn_dev == dev && (*pp)->sn_type == type)
			break;
	return pp;
}

static int
spec_driver_open(dev_t dev, int type, int flag)
{

	return type == S_IFBLK ? bdev_open(dev, flag, type, curlwp) :
	    cdev_open(dev, flag, type, curlwp);
}

static int
spec_driver_close(dev_t dev, int type, int flag)
{

	return type == S_IFBLK ? bdev_close(dev, flag, type, curlwp) :
	    cdev_close(dev, flag, type, curlwp);
}

int
host_spec_open(dev_t dev, int type, int flag)
{
	struct spec_node **pp, *sn;
	int error;

	pthread_mutex_lock(&spec_lock);
	if ((error = spec_driver_open(dev, type, flag)) != 0) {
		pthread_mutex_unlock(&spec_lock);
		return error;
	}
	pp = spec_find(dev, type);
	if ((sn = *pp) == NULL) {
		if ((sn = calloc(1, sizeof(*sn))) == NULL)
			panic("host_spec_open: out of memory");
		sn->sn_dev = dev;
		sn->sn_type = type;
		*pp = sn;
	}
	sn->sn_opens++;
	pthread_mutex_unlock(&spec_lock);
	return 0;
}

int
host_spec_close(dev_t dev, int type, int flag)
{
	struct spec_node **pp, *sn;
	int error = 0;

	pthread_mutex_lock(&spec_lock);
	pp = spec_find(dev, type);
	if ((sn = *pp) == NULL)
		panic("host_spec_close: dev 0x%llx is not open",
		    (unsigned long long)dev);
	if (--sn->sn_opens == 0) {
		*pp = sn->sn_next;
		free(sn);
		error = spec_driver_close(dev, type, flag);
	}
	pthread_mutex_unlock(&spec_lock);
	return error;
}
