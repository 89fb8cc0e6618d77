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
 * NetBSD's kernel rules, as host mode enforces them: each case is a
 * deliberately wrong driver fragment that NetBSD's kernel (DIAGNOSTIC)
 * would panic on, and host mode must stop it the same way.  The Rust
 * side (tests/rules.rs) runs each case in a child process and checks
 * the panic message; t_rules_spec checks the open/close semantics.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/callout.h>
#include <sys/conf.h>
#include <sys/cpu.h>
#include <sys/fcntl.h>
#include <sys/ioccom.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pool.h>
#include <sys/vnode.h>

#include <miscfs/specfs/specdev.h>

#include <host_internal.h>
#include <host_api.h>

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t_check.h"

static int failures;
static void *t_disk;
static pool_cache_t t_cache;
static kmutex_t t_spin, t_adaptive;
static kcondvar_t t_cv;

/* A read of the first sector of the test's component, async. */
static void
t_issue(buf_t *bp, void (*iodone)(buf_t *))
{
	static char data[DEV_BSIZE];
	struct vnode *vp = t_disk;

	bp->b_flags = B_READ | B_ASYNC;
	bp->b_oflags = 0;
	bp->b_cflags = BC_BUSY;
	bp->b_data = data;
	bp->b_bcount = bp->b_bufsize = bp->b_resid = DEV_BSIZE;
	bp->b_blkno = bp->b_rawblkno = 0;
	bp->b_vp = vp;
	bp->b_objlock = vp->v_interlock;
	bp->b_dev = vp->v_rdev;
	if (iodone != NULL)
		bp->b_iodone = iodone;
	VOP_STRATEGY(vp, bp);
}

static volatile int t_done;

static void
t_count_done(buf_t *bp __unused)
{

	__atomic_add_fetch(&t_done, 1, __ATOMIC_SEQ_CST);
}

static void
t_wait_done(int n)
{

	while (__atomic_load_n(&t_done, __ATOMIC_SEQ_CST) < n)
		usleep(1000);
}

/* The hook is set once, as a buf cache's constructor would. */
static void
case_iodone_not_rearmed(void)
{
	buf_t *bp = getiobuf(NULL, true);

	t_issue(bp, t_count_done);
	t_wait_done(1);
	t_issue(bp, NULL);
	t_wait_done(2);
}

static void
case_biodone_twice(void)
{
	buf_t *bp = getiobuf(NULL, true);

	bp->b_iodone = NULL;
	biodone(bp);
	biodone(bp);
}

static void
t_free_done(buf_t *bp)
{

	kmem_free(kmem_alloc(16, KM_NOSLEEP), 16);
	t_count_done(bp);
}

/* Completion frees memory: it runs in a soft interrupt. */
static void
case_kmem_in_softint(void)
{

	t_issue(getiobuf(NULL, true), t_free_done);
	t_wait_done(1);
}

static void
t_pool_done(buf_t *bp)
{

	(void)pool_cache_get(t_cache, PR_WAITOK);
	t_count_done(bp);
}

static void
case_pool_wait_in_softint(void)
{

	t_issue(getiobuf(NULL, true), t_pool_done);
	t_wait_done(1);
}

static void
t_cv_done(buf_t *bp)
{

	mutex_enter(&t_adaptive);
	cv_wait(&t_cv, &t_adaptive);
	mutex_exit(&t_adaptive);
	t_count_done(bp);
}

static void
case_cv_wait_in_softint(void)
{

	t_issue(getiobuf(NULL, true), t_cv_done);
	t_wait_done(1);
}

static void
case_kmem_sleep_spin_held(void)
{

	mutex_enter(&t_spin);
	(void)kmem_alloc(16, KM_SLEEP);
}

static void
case_adaptive_under_spin(void)
{

	mutex_enter(&t_spin);
	mutex_enter(&t_adaptive);
}

static void
case_mutex_recursion(void)
{

	mutex_enter(&t_adaptive);
	mutex_enter(&t_adaptive);
}

static void
case_kassert(void)
{
	volatile int zero = 0;

	KASSERT(zero == 1);
}

static void
t_sleepy(void *arg __unused)
{

	__atomic_store_n(&t_done, 1, __ATOMIC_SEQ_CST);
	usleep(500 * 1000);
}

/* Destroyed from another thread while its function runs. */
static void
case_callout_destroy_running(void)
{
	callout_t c;

	callout_init(&c, CALLOUT_MPSAFE);
	callout_reset(&c, 0, t_sleepy, NULL);
	t_wait_done(1);
	callout_destroy(&c);
}

static void
case_callout_destroy_pending(void)
{
	callout_t c;

	callout_init(&c, CALLOUT_MPSAFE);
	callout_reset(&c, 1000, t_sleepy, NULL);
	callout_destroy(&c);
}

/* A wait of negative ticks, as a wrapped conversion would give. */
static void
case_callout_negative(void)
{
	callout_t c;

	callout_init(&c, CALLOUT_MPSAFE);
	callout_reset(&c, -1, t_sleepy, NULL);
}

/*
 * A delayed I/O issued from the callout: the driver below (a dm device)
 * takes its job with PR_WAITOK.
 */
static void
t_issue_later(void *arg __unused)
{

	(void)pool_cache_get(t_cache, PR_WAITOK);
	__atomic_store_n(&t_done, 1, __ATOMIC_SEQ_CST);
}

static void
case_sleep_in_callout(void)
{
	callout_t c;

	callout_init(&c, CALLOUT_MPSAFE);
	callout_reset(&c, 0, t_issue_later, NULL);
	t_wait_done(1);
}

/* A driver that maps a reply and fails: sys_ioctl drops the reply. */
static int
t_reply_ioctl(dev_t dev __unused, u_long cmd __unused, void *data,
    int flag __unused, struct lwp *l __unused)
{

	*(void **)data = &t_cv;
	return EINVAL;
}

static int t_opens, t_closes;

static int
t_open(dev_t dev __unused, int flag __unused, int fmt __unused,
    struct lwp *l __unused)
{

	t_opens++;
	return 0;
}

static int
t_close(dev_t dev __unused, int flag __unused, int fmt __unused,
    struct lwp *l __unused)
{

	t_closes++;
	return 0;
}

static const struct cdevsw t_cdevsw = {
	.d_open = t_open,
	.d_close = t_close,
	.d_ioctl = t_reply_ioctl,
};

#define	T_MAJOR	200

static void
t_attach(void)
{
	devmajor_t bmaj = T_MAJOR, cmaj = T_MAJOR;

	(void)devsw_attach("t_rules", NULL, &bmaj, &t_cdevsw, &cmaj);
}

static void
case_reply_on_error(void)
{
	void *arg = NULL;

	t_attach();
	(void)host_sys_ioctl(makedev(T_MAJOR, 0), _IOWR('t', 0, void *), &arg,
	    sizeof(arg));
}

static const struct {
	const char	*name;
	void		(*fn)(void);
} t_cases[] = {
	{ "iodone_not_rearmed", case_iodone_not_rearmed },
	{ "biodone_twice", case_biodone_twice },
	{ "kmem_in_softint", case_kmem_in_softint },
	{ "pool_wait_in_softint", case_pool_wait_in_softint },
	{ "cv_wait_in_softint", case_cv_wait_in_softint },
	{ "kmem_sleep_spin_held", case_kmem_sleep_spin_held },
	{ "adaptive_under_spin", case_adaptive_under_spin },
	{ "mutex_recursion", case_mutex_recursion },
	{ "kassert", case_kassert },
	{ "callout_destroy_running", case_callout_destroy_running },
	{ "callout_destroy_pending", case_callout_destroy_pending },
	{ "callout_negative", case_callout_negative },
	{ "sleep_in_callout", case_sleep_in_callout },
	{ "reply_on_error", case_reply_on_error },
};

/*
 * Runs case NAME against the component at PATH; returns only if host
 * mode let the wrong fragment pass (1), or if there is no such case (2).
 */
int
t_rules_case(const char *name, const char *path)
{
	size_t i;

	if (host_disk_open(path, false, &t_disk) != 0)
		return 2;
	t_cache = pool_cache_init(64, 0, 0, 0, "t_rules", NULL, IPL_BIO,
	    NULL, NULL, NULL);
	mutex_init(&t_spin, MUTEX_DEFAULT, IPL_BIO);
	mutex_init(&t_adaptive, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&t_cv, "t_rules");
	for (i = 0; i < sizeof(t_cases) / sizeof(t_cases[0]); i++) {
		if (strcmp(t_cases[i].name, name) == 0) {
			(*t_cases[i].fn)();
			return 1;
		}
	}
	return 2;
}

/*
 * d_open on every open, d_close on the last close of a node, per kind
 * (spec_open/spec_close); a failed ioctl leaves its argument as it was.
 */
int
t_rules_spec(void)
{
	dev_t dev = makedev(T_MAJOR, 3);

	t_attach();
	CHECK(host_spec_open(dev, S_IFCHR, FREAD) == 0);
	CHECK(host_spec_open(dev, S_IFCHR, FREAD | FWRITE) == 0);
	CHECK(t_opens == 2);
	CHECK(host_spec_close(dev, S_IFCHR, FREAD) == 0);
	CHECK(t_closes == 0);
	CHECK(host_spec_close(dev, S_IFCHR, FREAD | FWRITE) == 0);
	CHECK(t_closes == 1);
	CHECK(host_spec_open(dev, S_IFCHR, FREAD) == 0);
	CHECK(host_spec_close(dev, S_IFCHR, FREAD) == 0);
	CHECK(t_opens == 3 && t_closes == 2);
	return failures;
}
