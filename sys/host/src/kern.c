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
 * Host mode: lwp and credentials, kmem, the console, copyin/copyout,
 * mutex(9), condvar(9), time and callout(9), over libc, futex(2) and pthreads.
 *
 * Follows sys/kern/kern_lwp.c, sys/kern/kern_auth.c, sys/kern/subr_kmem.c,
 * sys/kern/subr_prf.c, sys/kern/kern_mutex.c, sys/kern/kern_rwlock.c,
 * sys/kern/kern_condvar.c, sys/kern/kern_tc.c and sys/kern/kern_timeout.c;
 * cpu_intr_p() and cpu_softintr_p() as sys/arch/x86/x86/x86_machdep.c.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/kauth.h>
#include <sys/kernel.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>

#include <host_internal.h>
#include <host_api.h>

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int hz = 100;

/* ---- lwp, kauth ------------------------------------------------------- */

static struct kauth_cred host_root = { .cr_uid = 0 };
static __thread struct kauth_cred host_cred;
static __thread struct lwp host_lwp;
static __thread bool host_lwp_ready;

struct lwp *
host_curlwp(void)
{

	if (!host_lwp_ready) {
		host_cred = host_root;
		host_lwp.l_cred = &host_cred;
		host_lwp_ready = true;
	}
	return &host_lwp;
}

void
host_set_uid(uint32_t uid)
{

	host_curlwp()->l_cred->cr_uid = uid;
}

void
host_interrupt(bool on)
{

	host_curlwp()->l_hostintr = on;
}

/* ---- interrupt context (sys/cpu.h), ASSERT_SLEEPABLE (sys/systm.h) ---- */

enum host_ctx { HOST_THREAD, HOST_SOFTINTR, HOST_HARDINTR };
static __thread enum host_ctx host_ctx;
static __thread enum host_ctx host_ctx_saved;
/* Spin mutexes this thread holds (the kernel's ci_mtx_count). */
static __thread int host_spin_held;

bool
cpu_intr_p(void)
{

	return host_ctx == HOST_HARDINTR;
}

bool
cpu_softintr_p(void)
{

	return host_ctx == HOST_SOFTINTR;
}

/* A disk's interrupt handler runs between these two. */
void
host_hardintr_enter(void)
{

	host_ctx_saved = host_ctx;
	host_ctx = HOST_HARDINTR;
}

void
host_hardintr_exit(void)
{

	host_ctx = host_ctx_saved;
}

/* For good: the thread is a soft interrupt (softint or softclock). */
void
host_softintr_enter(void)
{

	host_ctx = HOST_SOFTINTR;
}

/*
 * As ASSERT_SLEEPABLE() (sys/kern/kern_lock.c assert_sleepable): no
 * sleeping in interrupt context or with a spin mutex held.
 */
void
host_assert_sleepable(const char *fn)
{

	if (host_ctx != HOST_THREAD)
		panic("%s: sleeping in %s interrupt context", fn,
		    host_ctx == HOST_HARDINTR ? "hardware" : "soft");
	if (host_spin_held != 0)
		panic("%s: sleeping with %d spin mutex(es) held", fn,
		    host_spin_held);
}

kauth_cred_t
kauth_cred_get(void)
{

	return curlwp->l_cred;
}

/* Only root passes KAUTH_SYSTEM_DEVMAPPER, as with the default secmodel. */
int
kauth_authorize_system(kauth_cred_t cred, int action __unused,
    int req __unused, void *a1 __unused, void *a2 __unused, void *a3 __unused)
{

	if (cred == NOCRED || cred->cr_uid == 0)
		return 0;
	return EPERM;
}

/* ---- kmem, console ---------------------------------------------------- */

/* sys/kern/subr_kmem.c: never from interrupt context, soft or not. */
static void
kmem_assert_context(const char *fn)
{

	if (cpu_intr_p() || cpu_softintr_p())
		panic("%s: kernel diagnostic assertion "
		    "\"!cpu_intr_p() && !cpu_softintr_p()\" failed", fn);
}

/*
 * Memory pressure on demand: the next N allocations that may not sleep
 * (KM_NOSLEEP, PR_NOWAIT) fail, as they may in the kernel.
 */
static volatile u_int host_nowait_fails;

u_int
host_fail_nowait(u_int n)
{

	return __atomic_exchange_n(&host_nowait_fails, n, __ATOMIC_SEQ_CST);
}

bool
host_nowait_fail(void)
{
	u_int n = __atomic_load_n(&host_nowait_fails, __ATOMIC_SEQ_CST);

	while (n > 0) {
		if (__atomic_compare_exchange_n(&host_nowait_fails, &n, n - 1,
		    false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return true;
	}
	return false;
}

void *
kmem_alloc(size_t size, km_flag_t flags)
{
	void *p;

	kmem_assert_context(__func__);
	if ((flags & KM_SLEEP) != 0)
		ASSERT_SLEEPABLE();
	else if (host_nowait_fail())
		return NULL;
	if ((p = malloc(size == 0 ? 1 : size)) == NULL)
		panic("kmem_alloc: out of memory (%zu bytes)", size);
	return p;
}

void *
kmem_zalloc(size_t size, km_flag_t flags)
{
	void *p;

	p = kmem_alloc(size, flags);
	memset(p, 0, size);
	return p;
}

void
kmem_free(void *p, size_t size __unused)
{

	kmem_assert_context(__func__);
	free(p);
}

void
aprint_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void
aprint_normal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
}

/* sys/kern/subr_prf.c vpanic: the message, then the process ends. */
static void __attribute__((__noreturn__))
vpanic(const char *fmt, va_list ap)
{

	fputs("panic: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	abort();
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
}

/* KASSERT's failure (lib/libkern/kern_assert.c): a panic. */
void
kern_assert(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
}

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size != 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Host mode has one address space: "user" memory is ours. */
int
copyin(const void *uaddr, void *kaddr, size_t len)
{

	if (uaddr == NULL && len != 0)
		return EFAULT;
	memcpy(kaddr, uaddr, len);
	return 0;
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{

	if (uaddr == NULL && len != 0)
		return EFAULT;
	memcpy(uaddr, kaddr, len);
	return 0;
}

/* ---- mutex(9), condvar(9) --------------------------------------------- */

/* Sleeps while *word == val (or not at all if it already differs). */
static void
futex_sleep(volatile u_int *word, u_int val, const struct timespec *rel)
{

	(void)syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, rel, NULL, 0);
}

static void
futex_wake(volatile u_int *word, int n)
{

	(void)syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

/* MUTEX_DEFAULT is a spin mutex above the soft levels (mutex(9)). */
void
mutex_init(kmutex_t *m, int type, int ipl)
{

	m->mtx_word = MTX_HOST_FREE;
	m->mtx_spin = type == MUTEX_SPIN || ipl > IPL_SOFTBIO;
	m->mtx_owner = NULL;
}

void
mutex_destroy(kmutex_t *m)
{

	if (m->mtx_word != MTX_HOST_FREE)
		panic("mutex_destroy: %p is held", m);
}

/*
 * Marks the word contended before sleeping, so that whoever holds it
 * wakes someone on exit; a thread that took it this way keeps it marked,
 * since others may still sleep.
 */
static void
mutex_enter_slow(kmutex_t *m)
{

	while (__atomic_exchange_n(&m->mtx_word, MTX_HOST_CONTENDED,
	    __ATOMIC_ACQUIRE) != MTX_HOST_FREE)
		futex_sleep(&m->mtx_word, MTX_HOST_CONTENDED, NULL);
}

/*
 * An adaptive mutex may sleep: never in a hardware interrupt, never
 * with a spin mutex held (sys/kern/kern_mutex.c, LOCKDEBUG_BARRIER).
 */
void
mutex_enter(kmutex_t *m)
{
	u_int v = MTX_HOST_FREE;

	if (m->mtx_spin)
		host_spin_held++;
	else if (cpu_intr_p() || host_spin_held != 0)
		panic("mutex_enter: adaptive mutex %p %s", m, cpu_intr_p() ?
		    "in a hardware interrupt" : "with a spin mutex held");
	/* sys/kern/kern_mutex.c: "locking against myself". */
	if (m->mtx_owner == curlwp)
		panic("mutex_enter: locking against myself: mutex %p", m);
	if (!__atomic_compare_exchange_n(&m->mtx_word, &v, MTX_HOST_LOCKED,
	    false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		mutex_enter_slow(m);
	m->mtx_owner = curlwp;
}

void
mutex_exit(kmutex_t *m)
{

	if (m->mtx_owner != curlwp)
		panic("mutex_exit: mutex %p is not held by this lwp", m);
	m->mtx_owner = NULL;
	if (m->mtx_spin)
		host_spin_held--;
	if (__atomic_exchange_n(&m->mtx_word, MTX_HOST_FREE,
	    __ATOMIC_RELEASE) == MTX_HOST_CONTENDED)
		futex_wake(&m->mtx_word, 1);
}

/* As a DIAGNOSTIC kernel's: whether this lwp holds it. */
int
mutex_owned(const kmutex_t *m)
{

	return m->mtx_owner == curlwp;
}

void
rw_init(krwlock_t *rw)
{

	rw->rw_word = 0;
	pthread_mutex_init(&rw->rw_m, NULL);
	pthread_cond_init(&rw->rw_cv, NULL);
}

void
rw_destroy(krwlock_t *rw)
{

	pthread_cond_destroy(&rw->rw_cv);
	pthread_mutex_destroy(&rw->rw_m);
}

static u_int
rw_word(const krwlock_t *rw)
{

	return __atomic_load_n(&rw->rw_word, __ATOMIC_ACQUIRE);
}

/* Sleeps while any of `bits` is set; bits change under rw_m. */
static void
rw_sleep_while(krwlock_t *rw, u_int bits)
{

	pthread_mutex_lock(&rw->rw_m);
	while ((rw_word(rw) & bits) != 0)
		pthread_cond_wait(&rw->rw_cv, &rw->rw_m);
	pthread_mutex_unlock(&rw->rw_m);
}

static void
rw_wake(krwlock_t *rw)
{

	pthread_mutex_lock(&rw->rw_m);
	pthread_cond_broadcast(&rw->rw_cv);
	pthread_mutex_unlock(&rw->rw_m);
}

static void
rw_enter_reader(krwlock_t *rw)
{
	u_int v;

	for (;;) {
		v = rw_word(rw);
		if ((v & (RW_HOST_WANTED | RW_HOST_LOCKED)) != 0) {
			rw_sleep_while(rw, RW_HOST_WANTED | RW_HOST_LOCKED);
			continue;
		}
		if ((v & RW_HOST_READERS) == RW_HOST_READERS)
			panic("rw_enter: too many readers");
		if (__atomic_compare_exchange_n(&rw->rw_word, &v, v + 1, false,
		    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
	}
}

static void
rw_enter_writer(krwlock_t *rw)
{

	pthread_mutex_lock(&rw->rw_m);
	while ((rw_word(rw) & (RW_HOST_WANTED | RW_HOST_LOCKED)) != 0)
		pthread_cond_wait(&rw->rw_cv, &rw->rw_m);
	(void)__atomic_fetch_or(&rw->rw_word, RW_HOST_WANTED, __ATOMIC_ACQ_REL);
	while ((rw_word(rw) & RW_HOST_READERS) != 0)
		pthread_cond_wait(&rw->rw_cv, &rw->rw_m);
	__atomic_store_n(&rw->rw_word, RW_HOST_LOCKED, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&rw->rw_m);
}

void
rw_enter(krwlock_t *rw, const krw_t op)
{

	if (op == RW_READER)
		rw_enter_reader(rw);
	else
		rw_enter_writer(rw);
}

void
rw_exit(krwlock_t *rw)
{

	if ((rw_word(rw) & RW_HOST_LOCKED) != 0) {
		pthread_mutex_lock(&rw->rw_m);
		__atomic_store_n(&rw->rw_word, 0, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&rw->rw_cv);
		pthread_mutex_unlock(&rw->rw_m);
		return;
	}
	/* The last reader out wakes the writer waiting for it. */
	if (__atomic_sub_fetch(&rw->rw_word, 1, __ATOMIC_RELEASE) ==
	    RW_HOST_WANTED)
		rw_wake(rw);
}

void
cv_init(kcondvar_t *cv, const char *wmesg __unused)
{

	cv->cv_seq = 0;
	cv->cv_waiters = 0;
}

void
cv_destroy(kcondvar_t *cv)
{

	if (cv->cv_waiters != 0)
		panic("cv_destroy: %p has sleepers", cv);
}

/*
 * The waiter counts itself and reads the sequence under the mutex, so a
 * signal from whoever takes the mutex next either sees the count or
 * changes the sequence before the sleep starts: futex(2) then returns at
 * once. `rel` bounds the sleep (NULL: none).
 */
static void
cv_sleep(kcondvar_t *cv, kmutex_t *m, const struct timespec *rel)
{
	u_int seq;

	/* The interlock may be a spin mutex; no other may be held. */
	if (m->mtx_spin)
		host_spin_held--;
	ASSERT_SLEEPABLE();
	if (m->mtx_spin)
		host_spin_held++;

	(void)__atomic_add_fetch(&cv->cv_waiters, 1, __ATOMIC_SEQ_CST);
	seq = __atomic_load_n(&cv->cv_seq, __ATOMIC_SEQ_CST);
	mutex_exit(m);
	futex_sleep(&cv->cv_seq, seq, rel);
	(void)__atomic_sub_fetch(&cv->cv_waiters, 1, __ATOMIC_SEQ_CST);
	mutex_enter_slow(m);
	m->mtx_owner = curlwp;
	if (m->mtx_spin)
		host_spin_held++;
}

void
cv_wait(kcondvar_t *cv, kmutex_t *m)
{

	cv_sleep(cv, m, NULL);
}

/*
 * Interruptible: wakes every 50 ms to see whether the daemon asked this
 * thread to stop (its stand-in for a signal).
 */
int
cv_wait_sig(kcondvar_t *cv, kmutex_t *m)
{
	static const struct timespec poll = { 0, 50 * 1000 * 1000 };

	if (curlwp->l_hostintr)
		return EINTR;
	cv_sleep(cv, m, &poll);
	return curlwp->l_hostintr ? EINTR : 0;
}

static void
cv_wake(kcondvar_t *cv, int n)
{

	(void)__atomic_add_fetch(&cv->cv_seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&cv->cv_waiters, __ATOMIC_SEQ_CST) != 0)
		futex_wake(&cv->cv_seq, n);
}

void
cv_signal(kcondvar_t *cv)
{

	cv_wake(cv, 1);
}

void
cv_broadcast(kcondvar_t *cv)
{

	cv_wake(cv, INT_MAX);
}

void
getmicrouptime(struct timeval *tv)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
}

/* ---- callout(9): one timer thread runs every due callout -------------- */

struct host_callout {
	void		(*hc_func)(void *);
	void		*hc_arg;
	struct timespec	hc_due;
	bool		hc_pending;
	bool		hc_running;
	bool		hc_destroyed;
	struct host_callout *hc_next;
};

static pthread_mutex_t co_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t co_cv;
static pthread_cond_t co_done = PTHREAD_COND_INITIALIZER;
static struct host_callout *co_list;
static pthread_t co_thread;
static bool co_started;

static bool
ts_before(const struct timespec *a, const struct timespec *b)
{

	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *
co_main(void *arg __unused)
{
	struct host_callout *c, *due;
	struct timespec now;

	/* Callouts run in softclock, a soft interrupt. */
	host_softintr_enter();
	pthread_mutex_lock(&co_lock);
	for (;;) {
		due = NULL;
		for (c = co_list; c != NULL; c = c->hc_next) {
			if (c->hc_pending && (due == NULL ||
			    ts_before(&c->hc_due, &due->hc_due)))
				due = c;
		}
		if (due == NULL) {
			pthread_cond_wait(&co_cv, &co_lock);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ts_before(&now, &due->hc_due)) {
			(void)pthread_cond_timedwait(&co_cv, &co_lock,
			    &due->hc_due);
			continue;
		}
		due->hc_pending = false;
		due->hc_running = true;
		pthread_mutex_unlock(&co_lock);
		due->hc_func(due->hc_arg);
		pthread_mutex_lock(&co_lock);
		due->hc_running = false;
		if (due->hc_destroyed)
			free(due);
		pthread_cond_broadcast(&co_done);
	}
	return NULL;
}

static void
co_start(void)
{
	pthread_condattr_t attr;

	if (co_started)
		return;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&co_cv, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&co_thread, NULL, co_main, NULL) != 0)
		panic("callout: cannot start the timer thread");
	pthread_detach(co_thread);
	co_started = true;
}

void
callout_init(callout_t *c, u_int flags __unused)
{
	struct host_callout *hc;

	/* The emulation's own state: not the caller's kmem. */
	if ((hc = calloc(1, sizeof(*hc))) == NULL)
		panic("callout_init: out of memory");
	pthread_mutex_lock(&co_lock);
	co_start();
	hc->hc_next = co_list;
	co_list = hc;
	pthread_mutex_unlock(&co_lock);
	c->c_host = hc;
}

static void
co_unlink(struct host_callout *hc)
{
	struct host_callout **pp;

	for (pp = &co_list; *pp != NULL; pp = &(*pp)->hc_next) {
		if (*pp == hc) {
			*pp = hc->hc_next;
			return;
		}
	}
}

/*
 * As sys/kern/kern_timeout.c: the callout must not be pending, nor
 * running but from its own function (callout_halt waits for it).
 */
void
callout_destroy(callout_t *c)
{
	struct host_callout *hc = c->c_host;

	pthread_mutex_lock(&co_lock);
	if (hc->hc_pending)
		panic("callout_destroy: pending callout %p: func=%p arg=%p",
		    c, hc->hc_func, hc->hc_arg);
	if (hc->hc_running && !pthread_equal(pthread_self(), co_thread))
		panic("kernel diagnostic assertion \"c->c_cpu->cc_lwp == "
		    "curlwp || c->c_cpu->cc_active != c\" failed: callout %p "
		    "destroyed while it runs", c);
	co_unlink(hc);
	c->c_host = NULL;
	if (hc->hc_running) {
		/* From its own function: the timer thread frees it after. */
		hc->hc_destroyed = true;
		pthread_mutex_unlock(&co_lock);
		return;
	}
	pthread_mutex_unlock(&co_lock);
	free(hc);
}

void
callout_setfunc(callout_t *c, void (*func)(void *), void *arg)
{
	struct host_callout *hc = c->c_host;

	pthread_mutex_lock(&co_lock);
	hc->hc_func = func;
	hc->hc_arg = arg;
	pthread_mutex_unlock(&co_lock);
}

void
callout_schedule(callout_t *c, int ticks)
{
	struct host_callout *hc = c->c_host;
	int64_t ns, tick;

	KASSERT(ticks >= 0);
	pthread_mutex_lock(&co_lock);
	clock_gettime(CLOCK_MONOTONIC, &hc->hc_due);
	/*
	 * As kern_timeout.c: the callout runs at the ticks-th clock tick
	 * from now, which comes up to a tick early; with 0, at once.
	 */
	tick = 1000000000LL / hz;
	ns = (int64_t)hc->hc_due.tv_sec * 1000000000LL + hc->hc_due.tv_nsec;
	if (ticks > 0)
		ns = (ns / tick + ticks) * tick;
	hc->hc_due.tv_sec = ns / 1000000000LL;
	hc->hc_due.tv_nsec = ns % 1000000000LL;
	hc->hc_pending = true;
	pthread_cond_signal(&co_cv);
	pthread_mutex_unlock(&co_lock);
}

void
callout_reset(callout_t *c, int ticks, void (*func)(void *), void *arg)
{

	callout_setfunc(c, func, arg);
	callout_schedule(c, ticks);
}

bool
callout_halt(callout_t *c, void *interlock __unused)
{
	struct host_callout *hc = c->c_host;
	bool expired;

	pthread_mutex_lock(&co_lock);
	hc->hc_pending = false;
	expired = hc->hc_running;
	while (hc->hc_running && !pthread_equal(pthread_self(), co_thread))
		pthread_cond_wait(&co_done, &co_lock);
	pthread_mutex_unlock(&co_lock);
	return expired;
}
