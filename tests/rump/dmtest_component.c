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
 * A rump kernel component for the dm tests: what the tests ask of the
 * kernel that a client cannot do through system calls.  Two sysctl
 * nodes take a string "PATH=VALUE" each:
 *
 *	dmtest.disk	shows host file VALUE as block device PATH (etfs);
 *	dmtest.node	makes PATH a node of dm minor VALUE, "b" or "c" and
 *			the minor ("c3": the raw node of minor 3), with the
 *			majors dm has in this kernel.
 *
 * and a third, read-only, answers what NetBSD's kern.drivers answers
 * (this kernel has no such node; lvm2's libdevmapper finds dm's majors
 * with it):
 *
 *	dmtest.drivers	an array of struct kinfo_drivers, one per driver.
 *
 * Their numbers are fixed (h_rumpio.c names them too).
 */

#include <sys/param.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/stat.h>
#include <sys/sysctl.h>
#include <sys/systm.h>

#include <rump-sys/kern.h>
#include <rump-sys/vfs.h>

#include <rump/rump.h>

#define	DMTEST_CTL	4242
#define	DMTEST_DISK	1
#define	DMTEST_NODE	2
#define	DMTEST_DRIVERS	3

/* kern/subr_devsw.c */
extern struct devsw_conv *devsw_conv;
extern int max_devsw_convs;

static int
dmtest_arg(SYSCTLFN_ARGS, char *buf, size_t len, char **value)
{
	struct sysctlnode node;
	char *sep;
	int error;

	node = *rnode;
	buf[0] = '\0';
	node.sysctl_data = buf;
	node.sysctl_size = len;
	if ((error = sysctl_lookup(SYSCTLFN_CALL(&node))) != 0)
		return error;
	if (newp == NULL)
		return EINVAL;
	buf[len - 1] = '\0';
	if ((sep = strchr(buf, '=')) == NULL)
		return EINVAL;
	*sep = '\0';
	*value = sep + 1;
	return 0;
}

static int
dmtest_disk(SYSCTLFN_ARGS)
{
	char buf[2 * MAXPATHLEN], *host;
	int error;

	if ((error = dmtest_arg(SYSCTLFN_CALL(rnode), buf, sizeof(buf),
	    &host)) != 0)
		return error;
	return rump_etfs_register(buf, host, RUMP_ETFS_BLK);
}

static int
dmtest_node(SYSCTLFN_ARGS)
{
	char buf[MAXPATHLEN], *arg, *end;
	devmajor_t major;
	unsigned long m;
	int error;

	if ((error = dmtest_arg(SYSCTLFN_CALL(rnode), buf, sizeof(buf),
	    &arg)) != 0)
		return error;
	if ((arg[0] != 'b' && arg[0] != 'c') || arg[1] == '\0')
		return EINVAL;
	m = strtoul(arg + 1, &end, 10);
	if (*end != '\0')
		return EINVAL;
	major = arg[0] == 'b' ? devsw_name2blk("dm", NULL, 0) :
	    devsw_name2chr("dm", NULL, 0);
	if (major == NODEVMAJOR)
		return ENXIO;
	return rump_vfs_makeonedevnode(arg[0] == 'b' ? S_IFBLK : S_IFCHR,
	    buf, major, (devminor_t)m);
}

static int
dmtest_drivers(SYSCTLFN_ARGS)
{
	struct kinfo_drivers *kd;
	size_t n, i, len;
	int error;

	if (newp != NULL)
		return EPERM;
	kd = kmem_zalloc(max_devsw_convs * sizeof(*kd), KM_SLEEP);
	mutex_enter(&device_lock);
	for (i = n = 0; i < (size_t)max_devsw_convs; i++) {
		if (devsw_conv[i].d_name == NULL)
			continue;
		kd[n].d_cmajor = devsw_conv[i].d_cmajor;
		kd[n].d_bmajor = devsw_conv[i].d_bmajor;
		strlcpy(kd[n].d_name, devsw_conv[i].d_name,
		    sizeof(kd[n].d_name));
		n++;
	}
	mutex_exit(&device_lock);
	len = n * sizeof(*kd);
	error = 0;
	if (oldp != NULL) {
		if (*oldlenp < len)
			error = ENOMEM;
		else
			error = copyout(kd, oldp, len);
	}
	*oldlenp = len;
	kmem_free(kd, max_devsw_convs * sizeof(*kd));
	return error;
}

RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
{
	const struct sysctlnode *node = NULL;

	/* Made after boot: CTLFLAG_PERMANENT is refused by then. */
	sysctl_createv(NULL, 0, NULL, &node, 0, CTLTYPE_NODE, "dmtest",
	    SYSCTL_DESCR("dm test helpers"), NULL, 0, NULL, 0, DMTEST_CTL,
	    CTL_EOL);
	sysctl_createv(NULL, 0, &node, NULL, CTLFLAG_READWRITE,
	    CTLTYPE_STRING, "disk",
	    SYSCTL_DESCR("PATH=HOSTFILE: a host file as block device PATH"),
	    dmtest_disk, 0, NULL, 2 * MAXPATHLEN, DMTEST_DISK, CTL_EOL);
	sysctl_createv(NULL, 0, &node, NULL, CTLFLAG_READWRITE,
	    CTLTYPE_STRING, "node",
	    SYSCTL_DESCR("PATH=bMINOR or cMINOR: a node of a dm minor"),
	    dmtest_node, 0, NULL, MAXPATHLEN, DMTEST_NODE, CTL_EOL);
	sysctl_createv(NULL, 0, &node, NULL, CTLFLAG_READONLY,
	    CTLTYPE_STRUCT, "drivers",
	    SYSCTL_DESCR("what kern.drivers answers on NetBSD"),
	    dmtest_drivers, 0, NULL, 0, DMTEST_DRIVERS, CTL_EOL);
}
