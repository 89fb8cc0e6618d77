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
