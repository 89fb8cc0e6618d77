/*
 * Host mode: the NetBSD kernel interfaces the dm glue uses, declared with
 * NetBSD's names and signatures and implemented in userspace by
 * sys/host/src.  Every shim header under sys/host/include includes this
 * one, so the glue's #include lines resolve unchanged.
 */

#ifndef _HOST_KERNEL_H_
#define _HOST_KERNEL_H_

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <prop/proplib.h>

/* ---- types ------------------------------------------------------------ */

typedef unsigned char	u_char;
typedef unsigned short	u_short;
typedef unsigned int	u_int;
typedef unsigned long	u_long;
typedef int32_t		devmajor_t;
typedef int32_t		devminor_t;
typedef uint64_t	host_dev_t;

/* NetBSD's dev_t encoding (sys/types.h). */
#undef major
#undef minor
#undef makedev
#define	major(x)	((devmajor_t)(((uint32_t)(x) & 0x000fff00) >> 8))
#define	minor(x)	((devminor_t)((((uint32_t)(x) & 0xfff00000) >> 12) | \
			    (((uint32_t)(x) & 0x000000ff) >> 0)))
#define	makedev(x, y)	((dev_t)((((dev_t)(x) << 8) & 0x000fff00) | \
			    (((dev_t)(y) << 12) & 0xfff00000) | \
			    (((dev_t)(y) << 0) & 0x000000ff)))
#undef NODEV
#define	NODEV		((dev_t)-1)
#define	NODEVMAJOR	(-1)

#ifndef DEV_BSHIFT
#define	DEV_BSHIFT	9
#endif
#ifndef DEV_BSIZE
#define	DEV_BSIZE	(1 << DEV_BSHIFT)
#endif
#ifndef MAXPHYS
#define	MAXPHYS		(64 * 1024)
#endif

#define	__KERNEL_RCSID(n, s)
#define	__unused	__attribute__((__unused__))
#define	__printflike(a, b) __attribute__((__format__(__printf__, a, b)))
/* DIAGNOSTIC, as in the test kernels: assertions are live. */
#define	KASSERT(e)	((e) ? (void)0 :				\
	panic("kernel diagnostic assertion \"%s\" failed: file \"%s\", "	\
	    "line %d", #e, __FILE__, __LINE__))
#define	KASSERTMSG(e, ...)	((e) ? (void)0 : panic(__VA_ARGS__))
#define	KDASSERT(e)	KASSERT(e)

#ifndef MIN
#define	MIN(a, b)	((a) < (b) ? (a) : (b))
#define	MAX(a, b)	((a) > (b) ? (a) : (b))
#endif
#define	BLKDEV_IOSIZE	2048

/* ---- lwp, credentials, kauth ------------------------------------------ */

struct kauth_cred {
	uint32_t	cr_uid;
};
typedef struct kauth_cred *kauth_cred_t;
#define	NOCRED	((kauth_cred_t)-1)

struct lwp {
	kauth_cred_t	l_cred;
	/* host mode: set to end this thread's interruptible sleeps */
	volatile bool	l_hostintr;
};
typedef struct lwp lwp_t;

struct lwp	*host_curlwp(void);
#define	curlwp	host_curlwp()

/*
 * Where the calling thread runs, as the kernel tells it (sys/cpu.h): a
 * disk's completion is a hardware interrupt, biodone() hands it to a
 * soft interrupt, callouts run in one.  Host mode holds the glue to the
 * kernel's rules for each.
 */
bool	cpu_intr_p(void);
bool	cpu_softintr_p(void);
void	host_hardintr_enter(void);
void	host_hardintr_exit(void);
void	host_softintr_enter(void);
/* Whether the thread may sleep: ASSERT_SLEEPABLE() of sys/systm.h. */
void	host_assert_sleepable(const char *);
#define	ASSERT_SLEEPABLE()	host_assert_sleepable(__func__)

#define	KAUTH_SYSTEM_DEVMAPPER	27
kauth_cred_t	kauth_cred_get(void);
int	kauth_authorize_system(kauth_cred_t, int, int, void *, void *, void *);

/* ---- kmem, console, panic --------------------------------------------- */

typedef int km_flag_t;
#define	KM_SLEEP	0x01
#define	KM_NOSLEEP	0x02

void	*kmem_alloc(size_t, km_flag_t);
void	*kmem_zalloc(size_t, km_flag_t);
void	kmem_free(void *, size_t);
/* Whether this no-sleep allocation fails (host_fail_nowait). */
bool	host_nowait_fail(void);

int	printf(const char *, ...) __printflike(1, 2);
void	aprint_error(const char *, ...) __printflike(1, 2);
void	aprint_normal(const char *, ...) __printflike(1, 2);
void	panic(const char *, ...) __printflike(1, 2)
	    __attribute__((__noreturn__));

int	snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
size_t	strlcpy(char *, const char *, size_t);

int	copyin(const void *, void *, size_t);
int	copyout(const void *, void *, size_t);

/* ---- atomic_ops(3), membar_ops(3) ---------------------------------------- */

static inline u_int
atomic_cas_uint(volatile u_int *p, u_int expected, u_int new)
{

	__atomic_compare_exchange_n(p, &expected, new, false,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	return expected;
}

static inline u_int
atomic_dec_uint_nv(volatile u_int *p)
{

	return __atomic_sub_fetch(p, 1, __ATOMIC_RELAXED);
}

/* As NetBSD's: any pointer or integer type, atomic as a whole. */
#define	atomic_load_acquire(p)		__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define	atomic_store_release(p, v)	\
	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

static inline void
membar_release(void)
{

	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void
membar_acquire(void)
{

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/* ---- pool_cache(9) ------------------------------------------------------ */

/*
 * Each thread keeps the objects it put back and takes them again, as
 * the kernel's per-CPU caches do; objects are constructed once.
 */
typedef struct host_pool_cache *pool_cache_t;
struct pool_allocator;

#define	PR_WAITOK	0x01
#define	PR_NOWAIT	0x02

pool_cache_t pool_cache_init(size_t, u_int, u_int, u_int, const char *,
	    struct pool_allocator *, int, int (*)(void *, void *, int),
	    void (*)(void *, void *), void *);
void	pool_cache_destroy(pool_cache_t);
void	*pool_cache_get(pool_cache_t, int);
void	pool_cache_put(pool_cache_t, void *);

/* ---- mutex(9), condvar(9), callout(9), time ---------------------------- */

/*
 * Held in place, as the kernel's: no allocation per lock, and an
 * uncontended enter or exit is one atomic operation. Waiters sleep on
 * the word with futex(2).
 */
typedef struct kmutex {
	volatile u_int	mtx_word;	/* MTX_HOST_* */
	bool		mtx_spin;	/* taken at IPL_VM and above */
} kmutex_t;

#define	MTX_HOST_FREE		0u
#define	MTX_HOST_LOCKED		1u
#define	MTX_HOST_CONTENDED	2u	/* locked, and someone may sleep */

#define	MUTEX_DEFAULT	0
#define	MUTEX_SPIN	1
#define	IPL_NONE	0
#define	IPL_SOFTBIO	2
#define	IPL_BIO		6
#define	IPL_VM		6

void	mutex_init(kmutex_t *, int, int);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
void	mutex_exit(kmutex_t *);

/*
 * A signal bumps cv_seq, which sleepers wait on with futex(2); it makes
 * the system call only when cv_waiters says someone may sleep.
 */
typedef struct kcondvar {
	volatile u_int	cv_seq;
	volatile u_int	cv_waiters;
} kcondvar_t;

void	cv_init(kcondvar_t *, const char *);
void	cv_destroy(kcondvar_t *);
void	cv_wait(kcondvar_t *, kmutex_t *);
int	cv_wait_sig(kcondvar_t *, kmutex_t *);
void	cv_signal(kcondvar_t *);
void	cv_broadcast(kcondvar_t *);

/*
 * As the kernel's: readers take it with one compare-and-swap; a writer
 * raises RW_HOST_WANTED, which holds new readers back, and sleeps until
 * the readers are gone.
 */
typedef struct krwlock {
	volatile u_int	rw_word;	/* reader count, RW_HOST_* */
	pthread_mutex_t	rw_m;		/* sleepers */
	pthread_cond_t	rw_cv;
} krwlock_t;

#define	RW_HOST_WANTED	0x40000000u	/* a writer waits for readers */
#define	RW_HOST_LOCKED	0x80000000u	/* a writer holds it */
#define	RW_HOST_READERS	0x3fffffffu

typedef enum { RW_READER, RW_WRITER } krw_t;

void	rw_init(krwlock_t *);
void	rw_destroy(krwlock_t *);
void	rw_enter(krwlock_t *, const krw_t);
void	rw_exit(krwlock_t *);

typedef struct callout {
	void	*c_host;
} callout_t;

#define	CALLOUT_MPSAFE	0x0100
extern int hz;

void	callout_init(callout_t *, u_int);
void	callout_destroy(callout_t *);
void	callout_setfunc(callout_t *, void (*)(void *), void *);
void	callout_schedule(callout_t *, int);
void	callout_reset(callout_t *, int, void (*)(void *), void *);
bool	callout_halt(callout_t *, void *);
int	mstohz(int);

void	getmicrouptime(struct timeval *);

/* ---- workqueue(9) -------------------------------------------------------- */

struct work {
	struct work	*wk_next;
};
struct workqueue;
struct cpu_info;

#define	PRI_BIO		220
#define	WQ_MPSAFE	0x01

int	workqueue_create(struct workqueue **, const char *,
	    void (*)(struct work *, void *), void *, int, int, int);
void	workqueue_destroy(struct workqueue *);
void	workqueue_enqueue(struct workqueue *, struct work *, struct cpu_info *);

/* ---- queue(3) pieces the glue uses ------------------------------------- */

#ifndef TAILQ_HEAD
#define	TAILQ_HEAD(name, type)						\
struct name {								\
	struct type *tqh_first;						\
	struct type **tqh_last;						\
}
#define	TAILQ_ENTRY(type)						\
struct {								\
	struct type *tqe_next;						\
	struct type **tqe_prev;						\
}
#define	TAILQ_INIT(head) do {						\
	(head)->tqh_first = NULL;					\
	(head)->tqh_last = &(head)->tqh_first;				\
} while (0)
#define	TAILQ_FIRST(head)	((head)->tqh_first)
#define	TAILQ_EMPTY(head)	((head)->tqh_first == NULL)
#define	TAILQ_INSERT_TAIL(head, elm, field) do {			\
	(elm)->field.tqe_next = NULL;					\
	(elm)->field.tqe_prev = (head)->tqh_last;			\
	*(head)->tqh_last = (elm);					\
	(head)->tqh_last = &(elm)->field.tqe_next;			\
} while (0)
#define	TAILQ_REMOVE(head, elm, field) do {				\
	if ((elm)->field.tqe_next != NULL)				\
		(elm)->field.tqe_next->field.tqe_prev =			\
		    (elm)->field.tqe_prev;				\
	else								\
		(head)->tqh_last = (elm)->field.tqe_prev;		\
	*(elm)->field.tqe_prev = (elm)->field.tqe_next;			\
} while (0)
#endif
#ifndef LIST_HEAD
#define	LIST_HEAD(name, type)						\
struct name {								\
	struct type *lh_first;						\
}
#define	LIST_ENTRY(type)						\
struct {								\
	struct type *le_next;						\
	struct type **le_prev;						\
}
#endif
#ifndef LIST_FOREACH
#define	LIST_FOREACH(var, head, field)					\
	for ((var) = (head)->lh_first; (var); (var) = (var)->field.le_next)
#define	LIST_INSERT_HEAD(head, elm, field) do {				\
	if (((elm)->field.le_next = (head)->lh_first) != NULL)		\
		(head)->lh_first->field.le_prev = &(elm)->field.le_next;\
	(head)->lh_first = (elm);					\
	(elm)->field.le_prev = &(head)->lh_first;			\
} while (0)
#define	LIST_REMOVE(elm, field) do {					\
	if ((elm)->field.le_next != NULL)				\
		(elm)->field.le_next->field.le_prev =			\
		    (elm)->field.le_prev;				\
	*(elm)->field.le_prev = (elm)->field.le_next;			\
} while (0)
#endif

/* ---- ioctl encoding (sys/ioccom.h), NetBSD's, not Linux's -------------- */

#undef _IOC
#undef _IO
#undef _IOR
#undef _IOW
#undef _IOWR
#undef IOCPARM_MASK
#define	IOCPARM_MASK	0x1fff
#define	IOCPARM_SHIFT	16
#define	IOCGROUP_SHIFT	8
#define	IOCPARM_LEN(x)	(((x) >> IOCPARM_SHIFT) & IOCPARM_MASK)
#define	IOCGROUP(x)	(((x) >> IOCGROUP_SHIFT) & 0xff)
#define	IOC_VOID	(unsigned long)0x20000000
#define	IOC_OUT		(unsigned long)0x40000000
#define	IOC_IN		(unsigned long)0x80000000
#define	IOC_INOUT	(IOC_IN | IOC_OUT)
#define	_IOC(inout, group, num, len)					\
	((inout) | (((len) & IOCPARM_MASK) << IOCPARM_SHIFT) |		\
	((group) << IOCGROUP_SHIFT) | (num))
#define	_IO(g, n)	_IOC(IOC_VOID, (g), (n), 0)
#define	_IOR(g, n, t)	_IOC(IOC_OUT, (g), (n), sizeof(t))
#define	_IOW(g, n, t)	_IOC(IOC_IN, (g), (n), sizeof(t))
#define	_IOWR(g, n, t)	_IOC(IOC_INOUT, (g), (n), sizeof(t))

/* ---- uio, buf(9), physio ----------------------------------------------- */

enum uio_rw { UIO_READ, UIO_WRITE };

struct uio {
	struct iovec	*uio_iov;
	int		uio_iovcnt;
	off_t		uio_offset;
	size_t		uio_resid;
	enum uio_rw	uio_rw;
};

struct vnode;

struct buf {
	int		b_error;
	int		b_flags;
	int		b_cflags;
	int		b_oflags;
	int		b_bcount;
	int		b_resid;
	int		b_bufsize;
	int64_t		b_blkno;
	int64_t		b_rawblkno;
	void		*b_data;
	dev_t		b_dev;
	struct vnode	*b_vp;
	void		(*b_iodone)(struct buf *);
	void		*b_private;
	kmutex_t	*b_objlock;
	int		b_prio;
	TAILQ_ENTRY(buf) b_actq;
	/* host mode only: the soft interrupt's queue */
	struct buf	*b_hostnext;
	/* Set up by buf_init, kept across the cache's uses: last. */
	kmutex_t	b_hostlock;
	kcondvar_t	b_hostdone;
};
typedef struct buf buf_t;

#define	B_ASYNC		0x00000100
#define	B_READ		0x00100000
#define	B_WRITE		0x00000000
#define	B_PHYS		0x00200000
#define	BC_BUSY		0x00000010
#define	BO_DONE		0x00000200

#define	BPRIO_DEFAULT	1
#define	BIO_GETPRIO(bp)		((bp)->b_prio)
#define	BIO_SETPRIO(bp, p)	((bp)->b_prio = (p))
#define	BIO_COPYPRIO(bp1, bp2)	BIO_SETPRIO((bp1), BIO_GETPRIO(bp2))

void	buf_init(buf_t *);
void	buf_destroy(buf_t *);
void	biodone(buf_t *);
int	biowait(buf_t *);
buf_t	*getiobuf(struct vnode *, bool);
void	putiobuf(buf_t *);
void	nestiobuf_setup(buf_t *, buf_t *, int, size_t);
void	nestiobuf_done(buf_t *, int, int);
void	nestiobuf_iodone(buf_t *);
int	physio(void (*)(buf_t *), buf_t *, dev_t, int, void (*)(buf_t *),
	    struct uio *);
void	minphys(buf_t *);

/* ---- devsw (sys/conf.h) ------------------------------------------------ */

#define	dev_type_open(n)	int n(dev_t, int, int, struct lwp *)
#define	dev_type_close(n)	int n(dev_t, int, int, struct lwp *)
#define	dev_type_read(n)	int n(dev_t, struct uio *, int)
#define	dev_type_write(n)	int n(dev_t, struct uio *, int)
#define	dev_type_ioctl(n)	int n(dev_t, u_long, void *, int, struct lwp *)
#define	dev_type_strategy(n)	void n(struct buf *)
#define	dev_type_dump(n)	int n(dev_t, int64_t, void *, size_t)
#define	dev_type_size(n)	int n(dev_t)
#define	dev_type_discard(n)	int n(dev_t, off_t, off_t)
#define	dev_type_stop(n)	void n(struct tty *, int)
#define	dev_type_poll(n)	int n(dev_t, int, struct lwp *)
#define	dev_type_mmap(n)	off_t n(dev_t, off_t, int)
#define	dev_type_kqfilter(n)	int n(dev_t, struct knote *)

struct tty;
struct knote;

struct bdevsw {
	dev_type_open((*d_open));
	dev_type_close((*d_close));
	dev_type_strategy((*d_strategy));
	dev_type_ioctl((*d_ioctl));
	dev_type_dump((*d_dump));
	dev_type_size((*d_psize));
	dev_type_discard((*d_discard));
	int	d_flag;
};

struct cdevsw {
	dev_type_open((*d_open));
	dev_type_close((*d_close));
	dev_type_read((*d_read));
	dev_type_write((*d_write));
	dev_type_ioctl((*d_ioctl));
	dev_type_stop((*d_stop));
	struct tty *(*d_tty)(dev_t);
	dev_type_poll((*d_poll));
	dev_type_mmap((*d_mmap));
	dev_type_kqfilter((*d_kqfilter));
	dev_type_discard((*d_discard));
	int	d_flag;
};

#define	D_OTHER		0x0000
#define	D_DISK		0x0002
#define	D_MPSAFE	0x0100

dev_type_dump(nodump);
dev_type_discard(nodiscard);
dev_type_stop(nostop);
dev_type_poll(nopoll);
dev_type_mmap(nommap);
dev_type_kqfilter(nokqfilter);
struct tty *notty(dev_t);

int	devsw_attach(const char *, const struct bdevsw *, devmajor_t *,
	    const struct cdevsw *, devmajor_t *);
void	devsw_detach(const struct bdevsw *, const struct cdevsw *);
const struct bdevsw *bdevsw_lookup(dev_t);
const struct cdevsw *cdevsw_lookup(dev_t);
void	bdev_strategy(struct buf *);
int	bdev_open(dev_t, int, int, struct lwp *);
int	bdev_close(dev_t, int, int, struct lwp *);
int	cdev_open(dev_t, int, int, struct lwp *);
int	cdev_close(dev_t, int, int, struct lwp *);
int	cdev_ioctl(dev_t, u_long, void *, int, struct lwp *);
/* Opens and closes through the special file layer (host/src/spec.c). */
int	host_spec_open(dev_t, int, int);
int	host_spec_close(dev_t, int, int);
/* ioctl(2) on a character device, as sys_ioctl() runs it. */
int	host_sys_ioctl(dev_t, u_long, void *, size_t);

/* ---- module(9) --------------------------------------------------------- */

typedef enum modcmd {
	MODULE_CMD_INIT,
	MODULE_CMD_FINI,
	MODULE_CMD_STAT,
	MODULE_CMD_AUTOUNLOAD
} modcmd_t;

#define	MODULE_CLASS_DRIVER	2
/* Host mode also exports the module command, for the daemon to call. */
#define	MODULE(class, name, required)					\
	static int name##_modcmd(modcmd_t, void *);			\
	int (*const host_modcmd_##name)(modcmd_t, void *) = name##_modcmd

/* ---- fcntl bits, vnode(9), namei ---------------------------------------- */

#define	FREAD		0x00000001
#define	FWRITE		0x00000002

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

struct vnode {
	enum vtype	v_type;
	dev_t		v_rdev;
	kmutex_t	*v_interlock;
	int		v_numoutput;
	/* host mode only */
	int		v_hostfd;
	uint64_t	v_hostsize;
	uint32_t	v_hostsecsize;
	int		v_hostrefs;
	struct vnode	*v_hostnext;
};

struct pathbuf;
struct pathbuf	*pathbuf_create(const char *);
void	pathbuf_destroy(struct pathbuf *);

int	vn_open(struct vnode *, struct pathbuf *, int, int, int,
	    struct vnode **, bool *, int *);
int	vn_close(struct vnode *, int, kauth_cred_t);
void	VOP_UNLOCK(struct vnode *);
int	VOP_STRATEGY(struct vnode *, struct buf *);
int	VOP_IOCTL(struct vnode *, u_long, void *, int, kauth_cred_t);
int	getdisksize(struct vnode *, uint64_t *, unsigned int *);

/* ---- disk(9), disklabel, dkio ------------------------------------------ */

struct dkdriver {
	void	(*d_strategy)(struct buf *);
	void	(*d_minphys)(struct buf *);
};

struct disk_geom {
	int64_t		dg_secperunit;
	uint32_t	dg_secsize;
	uint32_t	dg_nsectors;
	uint32_t	dg_ntracks;
	uint32_t	dg_ncylinders;
	uint32_t	dg_secpercyl;
	uint32_t	dg_pcylinders;
	uint32_t	dg_sparespertrack;
	uint32_t	dg_sparespercyl;
	uint32_t	dg_acylinders;
};

struct disk {
	const char	*dk_name;
	int		dk_busy;
	volatile u_int	dk_hoststats;	/* statistics being updated */
	uint64_t	dk_rbytes;
	uint64_t	dk_wbytes;
	uint64_t	dk_rxfer;
	uint64_t	dk_wxfer;
	struct disk_geom dk_geom;
	prop_dictionary_t dk_info;
	const struct dkdriver *dk_driver;
	LIST_ENTRY(disk) dk_hostlink;
};

typedef struct device *device_t;

void	disk_init(struct disk *, const char *, const struct dkdriver *);
void	disk_attach(struct disk *);
void	disk_detach(struct disk *);
void	disk_destroy(struct disk *);
void	disk_busy(struct disk *);
void	disk_unbusy(struct disk *, long, int);
void	disk_set_info(device_t, struct disk *, const char *);

struct dkwedge_info {
	char		dkw_devname[16];
	uint8_t		dkw_wname[128];
	char		dkw_parent[16];
	int64_t		dkw_offset;
	uint64_t	dkw_size;
	char		dkw_ptype[32];
};

#define	DKW_PTYPE_UNUSED	""
#define	DKW_PTYPE_FFS		"ffs"

struct plistref {
	void	*pref_plist;
	size_t	pref_len;
};

/* sys/disklabel.h, amd64's values */
#define	MAXPARTITIONS	16
#define	RAW_PART	3
#define	LABELSECTOR	1
#define	LABELOFFSET	0
#define	DISKMAGIC	((uint32_t)0x82564557)
#define	BBSIZE		8192
#define	SBLOCKSIZE	8192
#define	NDDATA		5
#define	NSPARE		5
#define	DKTYPE_DM	20
#define	FS_UNUSED	0
#define	FS_BSDFFS	7

struct partition {
	uint32_t	p_size;
	uint32_t	p_offset;
	union {
		uint32_t fsize;
		uint32_t cdsession;
	} __partition_u2;
#define	p_fsize		__partition_u2.fsize
	uint8_t		p_fstype;
	uint8_t		p_frag;
	union {
		uint16_t cpg;
		uint16_t sgs;
	} __partition_u1;
#define	p_cpg		__partition_u1.cpg
};

struct disklabel {
	uint32_t	d_magic;
	uint16_t	d_type;
	uint16_t	d_subtype;
	char		d_typename[16];
	union {
		char	un_d_packname[16];
		struct {
			char *un_d_boot0;
			char *un_d_boot1;
		} un_b;
		uint64_t un_d_pad;
	} d_un;
#define	d_packname	d_un.un_d_packname
	uint32_t	d_secsize;
	uint32_t	d_nsectors;
	uint32_t	d_ntracks;
	uint32_t	d_ncylinders;
	uint32_t	d_secpercyl;
	uint32_t	d_secperunit;
	uint16_t	d_sparespertrack;
	uint16_t	d_sparespercyl;
	uint32_t	d_acylinders;
	uint16_t	d_rpm;
	uint16_t	d_interleave;
	uint16_t	d_trackskew;
	uint16_t	d_cylskew;
	uint32_t	d_headswitch;
	uint32_t	d_trkseek;
	uint32_t	d_flags;
	uint32_t	d_drivedata[NDDATA];
	uint32_t	d_spare[NSPARE];
	uint32_t	d_magic2;
	uint16_t	d_checksum;
	uint16_t	d_npartitions;
	uint32_t	d_bbsize;
	uint32_t	d_sbsize;
	struct partition d_partitions[MAXPARTITIONS];
};

struct cpu_disklabel {
	int	cd_labelsector;
	int	cd_labeloffset;
};

struct partinfo {
	uint64_t	pi_offset;
	uint64_t	pi_size;
	uint32_t	pi_secsize;
	uint32_t	pi_bsize;
	uint8_t		pi_fstype;
	uint8_t		pi_frag;
	uint16_t	pi_cpg;
	uint32_t	pi_fsize;
};

uint16_t	dkcksum(struct disklabel *);
int	setdisklabel(struct disklabel *, struct disklabel *, u_long,
	    struct cpu_disklabel *);
const char *readdisklabel(dev_t, void (*)(struct buf *), struct disklabel *,
	    struct cpu_disklabel *);
int	writedisklabel(dev_t, void (*)(struct buf *), struct disklabel *,
	    struct cpu_disklabel *);

#define	DIOCGDINFO	_IOR('d', 101, struct disklabel)
#define	DIOCSDINFO	_IOW('d', 102, struct disklabel)
#define	DIOCWDINFO	_IOW('d', 103, struct disklabel)
#define	DIOCGDEFLABEL	_IOR('d', 114, struct disklabel)
#define	DIOCGPARTINFO	_IOR('d', 139, struct partinfo)
#define	DIOCCACHESYNC	_IOW('d', 118, int)
#define	DIOCGWEDGEINFO	_IOR('d', 122, struct dkwedge_info)
#define	DIOCGDISKINFO	_IOR('d', 127, struct plistref)
#define	DIOCGMEDIASIZE	_IOR('d', 132, off_t)
#define	DIOCGSECTORSIZE	_IOR('d', 133, u_int)

/* ---- proplib's kernel ioctl helpers ------------------------------------ */

int	prop_dictionary_copyin_ioctl(const struct plistref *, const u_long,
	    prop_dictionary_t *);
int	prop_dictionary_copyin_ioctl_size(const struct plistref *,
	    const u_long, prop_dictionary_t *, size_t);
int	prop_dictionary_copyout_ioctl(struct plistref *, const u_long,
	    prop_dictionary_t);

#endif /* !_HOST_KERNEL_H_ */
