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


#ifndef _DEV_DM_DM_CORE_H_
#define _DEV_DM_DM_CORE_H_

/* Generated from sys/dev/dm/core by cbindgen (./build.sh header); do not edit. */

#include <sys/types.h>

/**
 * `dm_core_map` result: hold the request until the glue is told the
 * device resumed (`dmk_device_resumed`), then map it again.
 */
#define DM_MAP_DEFERRED -1

/**
 * Largest control request the glue copies in, NUL included (exclusive
 * bound, as proplib's copy-in). NetBSD's default of 128 KiB refuses a
 * table of about 800 lines; 4 MiB (npf's choice for its rulesets) takes
 * some 25 000 lines, and the memory is held only during the ioctl.
 */
#define DM_REQUEST_MAX (4 << 20)

/**
 * Highest minor a dm disk gets: NetBSD's dev_t carries 20 bits of
 * minor. The glue sizes its table of disks by it.
 */
#define DM_MINOR_MAX 1048575

/**
 * Size of `struct dm_io` in 64-bit words.
 */
#define DM_IO_WORDS 32

/**
 * Read or write a component range (with `delay_ms` and corruption).
 */
#define DM_ACT_IO 1

/**
 * Reads: fill with zeros. Writes: discard, successfully.
 */
#define DM_ACT_ZERO 2

/**
 * Complete the range with errno `error`.
 */
#define DM_ACT_ERROR 3

/**
 * Writes: complete successfully without writing.
 */
#define DM_ACT_DROP 4

/**
 * Flush the component's write cache (DIOCCACHESYNC).
 */
#define DM_ACT_SYNC 5

/**
 * `label_start` of a component that has no disklabel to protect.
 */
#define DM_LABEL_NONE UINT64_MAX

struct dm_dev;

/**
 * Disk geometry set with `setgeometry`.
 */
struct dm_geometry {
  uint32_t cylinders;
  uint32_t heads;
  uint32_t sectors;
  uint64_t start;
};

/**
 * Storage for one mapped request, embedded in the glue's own
 * per-request structure, so mapping allocates nothing. Its content is
 * dm-core's; between `dm_core_map` (or `dm_core_sync`) returning 0 and
 * `dm_core_io_done` it holds a live request.
 */
struct dm_io {
  uint64_t words[DM_IO_WORDS];
};

/**
 * One piece of a request, as the glue sees it.
 */
struct dm_action {
  /**
   * One of the `DM_ACT_*` values.
   */
  uint32_t kind;
  /**
   * The errno of a `DM_ACT_ERROR` piece.
   */
  int32_t error;
  /**
   * The component handle of a `DM_ACT_IO` or `DM_ACT_SYNC` piece.
   */
  void *comp;
  /**
   * First sector of the piece within the request (512-byte sectors).
   */
  uint64_t offset;
  /**
   * Length of the piece in sectors.
   */
  uint64_t count;
  /**
   * Component sector of a `DM_ACT_IO` piece.
   */
  uint64_t sector;
  /**
   * Hold the piece this many milliseconds before issuing it.
   */
  uint32_t delay_ms;
  /**
   * Byte value written at `corrupt_byte`.
   */
  uint32_t corrupt_value;
  /**
   * 1-based byte of the piece to overwrite with `corrupt_value` (reads:
   * after completion; writes: in a copy, before issue); 0 for none.
   */
  uint64_t corrupt_byte;
};

/**
 * What the glue runs for a mapped request, handed back with it so the
 * I/O path asks dm-core once.
 */
struct dm_mapped {
  /**
   * The actions, in request order; they live in the `struct dm_io`.
   */
  const struct dm_action *actions;
  size_t count;
  /**
   * Sectors of the request the actions cover; the rest is past the end.
   */
  uint64_t sectors;
};

/**
 * What opening a component tells about it.
 */
struct dmk_comp_info {
  /**
   * The component's block dev_t, as `deps` reports it.
   */
  uint64_t dev;
  /**
   * Size in 512-byte sectors.
   */
  uint64_t sectors;
  /**
   * The component's own sector size in bytes.
   */
  uint32_t secsize;
  /**
   * Minor of the dm device this component is, or 0 when it is not one.
   */
  uint32_t dm_minor;
  /**
   * Where the component starts on the disk whose disklabel it could
   * reach, in 512-byte sectors: 0 for a whole disk (and when the glue
   * cannot tell), a partition's offset, or `DM_LABEL_NONE` for a
   * wedge, whose disk keeps no NetBSD label in front of it. The label
   * rule (dm.4) refuses only ranges that reach that disk's label.
   */
  uint64_t label_start;
};

/**
 * Creates the core. 0, or ENOMEM.
 */
int32_t dm_core_init(void);

/**
 * Destroys the core; EBUSY while any device exists.
 */
int32_t dm_core_fini(void);

uint32_t dm_core_device_count(void);

/**
 * Runs the control command in `dict` (a prop_dictionary_t), which becomes
 * the reply. Returns the command's errno.
 *
 * # Safety
 * `dict` is a live proplib dictionary the caller holds a reference to.
 */
int32_t dm_core_ioctl(void *dict, bool privileged);

/**
 * Whether the client takes errnos (`DM_ERRNO_FLAG` in `flags`): then a
 * failed command fails the ioctl; otherwise the ioctl returns 0 and the
 * reply carries the error (`errno`, `message`), as NetBSD's dm did.
 *
 * # Safety
 * `dict` is NULL or a live proplib dictionary.
 */
bool dm_core_errno_aware(void *dict);

/**
 * Writes why the command in `dict` (a reply) failed into `buf`, NUL
 * terminated and cut to `len` bytes: its `message`, or the errno alone.
 * With `context`, the command and device name come first, for the
 * kernel log. Returns the length written, without the NUL.
 *
 * # Safety
 * `dict` is NULL or a live proplib dictionary; `buf` is NULL or valid
 * for `len` bytes of writes.
 */
size_t dm_core_message(void *dict, bool context, uint8_t *buf, size_t len);

/**
 * An open of the dm disk `minor`'s character (`raw`) or block node.
 */
int32_t dm_core_open(uint32_t minor, bool raw);

/**
 * The last close of that node (NetBSD calls `d_close` only then).
 */
int32_t dm_core_close(uint32_t minor, bool raw);

/**
 * Whether the device is suspended now: the glue asks it again under
 * its queue lock before holding a request back.
 *
 * # Safety
 * `dev` is a handle of an attached dm disk.
 */
bool dm_core_suspended(const struct dm_dev *dev);

/**
 * The device's size in 512-byte sectors and its sector size.
 *
 * # Safety
 * `sectors` and `secsize` are valid for writes.
 */
int32_t dm_core_size(uint32_t minor, uint64_t *sectors, uint32_t *secsize);

/**
 * The geometry set with `setgeometry`; ENOENT when none was set.
 *
 * # Safety
 * `out` is valid for writes.
 */
int32_t dm_core_geometry(uint32_t minor, struct dm_geometry *out);

/**
 * Maps `count` sectors at `sector` of the device `dev` (the handle
 * `dmk_disk_attach` was given). On 0, `*io` holds the request and `*out`
 * says what to run; the glue runs it and then calls `dm_core_io_done`.
 * `DM_MAP_DEFERRED` means hold the request; any other value is an errno,
 * and `*io` holds nothing.
 *
 * # Safety
 * `dev` is a handle of an attached dm disk; `io` and `out` are valid for
 * writes and `io` holds no live request.
 */
int32_t dm_core_map(const struct dm_dev *dev, uint64_t sector, uint64_t count, bool write, struct dm_io *io, struct dm_mapped *out);

/**
 * One `DM_ACT_SYNC` action per component of the active table, for
 * DIOCCACHESYNC; none for a device that takes no writes. Finish with
 * `dm_core_io_done`.
 *
 * # Safety
 * As for `dm_core_map`.
 */
int32_t dm_core_sync(const struct dm_dev *dev, struct dm_io *io, struct dm_mapped *out);

/**
 * Whether releasing the request (`dm_core_io_done`) frees no memory, so
 * that the glue may release it in interrupt context.
 *
 * # Safety
 * `io` holds a request from `dm_core_map`/`dm_core_sync`.
 */
bool dm_core_io_light(const struct dm_io *io);

/**
 * The request is complete: unpins its table.
 *
 * # Safety
 * `io` holds a request from `dm_core_map`/`dm_core_sync`; it holds
 * nothing afterwards.
 */
void dm_core_io_done(struct dm_io *io);

extern uint8_t *dmk_alloc_nosleep(size_t size, size_t align);

extern void dmk_free(uint8_t *p, size_t size, size_t align);

extern void *dmk_mutex_create(bool spin);

extern void dmk_mutex_destroy(void *m);

extern void dmk_mutex_enter(void *m);

extern void dmk_mutex_exit(void *m);

extern void *dmk_rw_create(void);

extern void dmk_rw_destroy(void *rw);

extern void dmk_rw_enter(void *rw, bool write);

extern void dmk_rw_exit(void *rw);

extern void *dmk_cv_create(void);

extern void dmk_cv_destroy(void *cv);

extern void dmk_cv_wait(void *cv, void *m);

extern int32_t dmk_cv_wait_sig(void *cv, void *m);

extern void dmk_cv_broadcast(void *cv);

extern uint64_t dmk_uptime_ms(void);

extern void dmk_log(const char *msg, size_t len);

extern int32_t dmk_comp_open(const char *path, bool writable, struct dmk_comp_info *info, void **handle);

extern void dmk_comp_close(void *handle, bool writable);

extern int32_t dmk_disk_attach(uint32_t minor, const char *name, const struct dm_dev *dev);

extern void dmk_disk_detach(uint32_t minor);

extern void dmk_disk_rename(uint32_t minor, const char *name);

extern void dmk_disk_resize(uint32_t minor, uint64_t sectors, uint32_t secsize);

extern void dmk_disk_regeometry(uint32_t minor);

extern void dmk_device_resumed(uint32_t minor);

extern uint8_t *dmk_alloc(size_t size, size_t align);

extern void dmk_free(uint8_t *p, size_t size, size_t align);

extern void dmk_panic(const char *msg, size_t len);

#endif  /* _DEV_DM_DM_CORE_H_ */
