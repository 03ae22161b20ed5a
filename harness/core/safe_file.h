/* safe_file.h — creating output files that cannot be turned against us.
 *
 * Every file cmbench writes is created with O_CREAT|O_EXCL|O_NOFOLLOW
 * relative to a descriptor of its opened directory, as NAME.tmp.PID, then
 * renamed over NAME. A NAME that exists and is not a regular file (a
 * device such as /dev/null, a symlink, a directory, a FIFO) is refused,
 * never replaced. Errors carry the errno of the call that failed. */
#pragma once
#include <stddef.h>
#include <sys/types.h>
#include "err.h"

/* Open the directory that holds `path` (O_DIRECTORY) and copy its last
 * component into base. The directory fd, or -1 with e set. */
int safe_dir_open(const char *path, char *base, size_t base_len, struct err *e);

/* 0 when `base` in dirfd does not exist or is a regular file; -1 with e
 * naming `shown` otherwise. */
int safe_target_ok(int dirfd, const char *base, const char *shown, struct err *e);

/* The same for a path: its directory must open too. Checks a path up front. */
int safe_path_ok(const char *path, struct err *e);

/* Create BASE.tmp.PID in dirfd (O_EXCL|O_NOFOLLOW, mode 0644); its name into
 * tmp. The fd, or -1 with e set. */
int safe_tmp_create(int dirfd, const char *base, char *tmp, size_t tmp_len, struct err *e);

/* Rename tmp over base after checking base again; removes tmp on failure. */
int safe_commit(int dirfd, const char *tmp, const char *base, const char *shown, struct err *e);

/* Write all of buf to fd; -1 with errno set (ENOSPC for a short write). */
int safe_write_all(int fd, const void *buf, size_t len);

/* Replace `path` with `len` bytes atomically (temporary file, fsync,
 * rename, fsync of the directory). */
int safe_write_file(const char *path, const void *buf, size_t len, struct err *e);
/* The same; `durable` 0 skips the fsync of the data (still atomic against a
 * crash of the process, not of the machine): for a file rewritten after
 * every cell whose contents a fsync'd journal already holds. */
int safe_write_file_sync(const char *path, const void *buf, size_t len, int durable,
			 struct err *e);

/* Create a new file `base` in dirfd (O_EXCL|O_NOFOLLOW): for files that must
 * not exist yet. The fd or -1 with e set. */
int safe_create_new(int dirfd, const char *base, const char *shown, struct err *e);

/* Remove what an earlier run killed mid-write left beside `base`:
 * BASE.tmp.PID regular files (or, with dirs, directories) owned by us whose
 * PID is no longer alive; base NULL: any NAME.tmp.PID in dirfd. Returns how
 * many were removed. */
int safe_clean_stale(int dirfd, const char *base, int dirs);

/* 1 when a and b name the same file (same inode if both exist, else the same
 * directory and name), 0 otherwise. */
int safe_same_file(const char *a, const char *b);

/* Remove a directory tree relative to dirfd without following symlinks. */
int safe_remove_tree(int dirfd, const char *name);

/* Create `path` (and missing parents) mode 0700, then require a directory
 * (not a symlink) owned by us and writable by no one else: a cache or
 * output that others could change under us is refused. -1 with e set. */
int safe_private_dir(const char *path, const char *what, struct err *e);
