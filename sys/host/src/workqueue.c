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
 * Host mode: workqueue(9), after sys/kern/subr_workqueue.c.  One thread
 * per queue runs the work in the order it came, in thread context (it
 * may sleep); destroying a queue runs what it still holds first.
 *
 * Follows sys/kern/subr_workqueue.c.
 */

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/cpu.h>
#include <sys/kmem.h>
#include <sys/workqueue.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct workqueue {
	void		(*wq_func)(struct work *, void *);
	void		*wq_arg;
	pthread_mutex_t	wq_lock;
	pthread_cond_t	wq_cv;
	struct work	*wq_head;
	struct work	**wq_tail;
	bool		wq_dying;
	pthread_t	wq_thread;
};

static void *
workqueue_main(void *arg)
{
	struct workqueue *wq = arg;
	struct work *wk;

	pthread_mutex_lock(&wq->wq_lock);
	for (;;) {
		if ((wk = wq->wq_head) == NULL) {
			if (wq->wq_dying)
				break;
			pthread_cond_wait(&wq->wq_cv, &wq->wq_lock);
			continue;
		}
		if ((wq->wq_head = wk->wk_next) == NULL)
			wq->wq_tail = &wq->wq_head;
		pthread_mutex_unlock(&wq->wq_lock);
		(*wq->wq_func)(wk, wq->wq_arg);
		pthread_mutex_lock(&wq->wq_lock);
	}
	pthread_mutex_unlock(&wq->wq_lock);
	return NULL;
}

int
workqueue_create(struct workqueue **wqp, const char *name __unused,
    void (*func)(struct work *, void *), void *arg, int prio __unused,
    int ipl __unused, int flags __unused)
{
	struct workqueue *wq;

	ASSERT_SLEEPABLE();
	if ((wq = calloc(1, sizeof(*wq))) == NULL)
		return ENOMEM;
	wq->wq_func = func;
	wq->wq_arg = arg;
	wq->wq_tail = &wq->wq_head;
	pthread_mutex_init(&wq->wq_lock, NULL);
	pthread_cond_init(&wq->wq_cv, NULL);
	if (pthread_create(&wq->wq_thread, NULL, workqueue_main, wq) != 0) {
		pthread_cond_destroy(&wq->wq_cv);
		pthread_mutex_destroy(&wq->wq_lock);
		free(wq);
		return EAGAIN;
	}
	*wqp = wq;
	return 0;
}

void
workqueue_destroy(struct workqueue *wq)
{

	ASSERT_SLEEPABLE();
	pthread_mutex_lock(&wq->wq_lock);
	wq->wq_dying = true;
	pthread_cond_signal(&wq->wq_cv);
	pthread_mutex_unlock(&wq->wq_lock);
	pthread_join(wq->wq_thread, NULL);
	pthread_cond_destroy(&wq->wq_cv);
	pthread_mutex_destroy(&wq->wq_lock);
	free(wq);
}

/* Callable from interrupt context, as the kernel's. */
void
workqueue_enqueue(struct workqueue *wq, struct work *wk,
    struct cpu_info *ci __unused)
{

	wk->wk_next = NULL;
	pthread_mutex_lock(&wq->wq_lock);
	*wq->wq_tail = wk;
	wq->wq_tail = &wk->wk_next;
	pthread_cond_signal(&wq->wq_cv);
	pthread_mutex_unlock(&wq->wq_lock);
}
