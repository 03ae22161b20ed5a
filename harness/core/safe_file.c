/* safe_file.c — output files created relative to an opened directory,
 * O_EXCL|O_NOFOLLOW, never over a device, symlink or directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "safe_file.h"

static void split_path(const char *path, char *dir, size_t dir_len, char *base, size_t base_len)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		snprintf(dir, dir_len, ".");
		snprintf(base, base_len, "%s", path);
	} else {
		snprintf(dir, dir_len, "%.*s", slash == path ? 1 : (int)(slash - path), path);
		snprintf(base, base_len, "%s", slash + 1);
	}
}

int safe_dir_open(const char *path, char *base, size_t base_len, struct err *e)
{
	char dir[PATH_MAX];
	if (strlen(path) >= sizeof dir) {
		err_set(e, "'%.200s...' is too long a path", path);
		return -1;
	}
	split_path(path, dir, sizeof dir, base, base_len);
	if (!base[0] || !strcmp(base, ".") || !strcmp(base, "..")) {
		err_set(e, "'%s' names a directory, not a file", path);
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		err_set(e, "cannot write %s: directory %s: %s", path, dir, strerror(errno));
	return fd;
}

int safe_target_ok(int dirfd, const char *base, const char *shown, struct err *e)
{
	struct stat st;
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : err_set(e, "cannot write %s: %s", shown, strerror(errno));
	if (S_ISREG(st.st_mode))
		return 0;
	return err_set(e, "%s exists and is not a regular file (%s); cmbench never replaces it "
			  "(allowed: a new file or a regular file%s)", shown,
		       S_ISLNK(st.st_mode) ? "a symlink" : S_ISDIR(st.st_mode) ? "a directory"
		       : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "a special file",
		       strcmp(shown, "-") ? "" : "; -o - writes to standard output");
}

int safe_path_ok(const char *path, struct err *e)
{
	char base[NAME_MAX + 1];
	int dfd = safe_dir_open(path, base, sizeof base, e);
	if (dfd < 0)
		return -1;
	int rc = safe_target_ok(dfd, base, path, e);
	if (rc == 0 && faccessat(dfd, ".", W_OK, AT_EACCESS) < 0)
		rc = err_set(e, "cannot write %s: %s", path, strerror(errno));
	close(dfd);
	return rc;
}

int safe_tmp_create(int dirfd, const char *base, char *tmp, size_t tmp_len, struct err *e)
{
	if (snprintf(tmp, tmp_len, "%s.tmp.%d", base, (int)getpid()) >= (int)tmp_len)
		return err_set(e, "file name too long: %s", base);
	for (int attempt = 0; attempt < 2; attempt++) {
		int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			break;
		/* ours from an earlier write of this process, or a planted name: only
		 * a regular file we own is removed, anything else is refused */
		struct stat st;
		if (fstatat(dirfd, tmp, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid() || unlinkat(dirfd, tmp, 0) < 0) {
			errno = EEXIST;
			break;
		}
	}
	return err_set(e, "cannot create %s: %s", tmp, strerror(errno));
}

int safe_commit(int dirfd, const char *tmp, const char *base, const char *shown, struct err *e)
{
	if (safe_target_ok(dirfd, base, shown, e) < 0) {
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	if (renameat(dirfd, tmp, dirfd, base) < 0) {
		int why = errno;
		unlinkat(dirfd, tmp, 0);
		return err_set(e, "cannot write %s: %s", shown, strerror(why));
	}
	fsync(dirfd); /* the rename itself survives a crash */
	return 0;
}

int safe_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int safe_write_file(const char *path, const void *buf, size_t len, struct err *e)
{
	return safe_write_file_sync(path, buf, len, 1, e);
}

int safe_write_file_sync(const char *path, const void *buf, size_t len, int durable,
			 struct err *e)
{
	char base[NAME_MAX + 1], tmp[NAME_MAX + 32];
	int dfd = safe_dir_open(path, base, sizeof base, e);
	if (dfd < 0)
		return -1;
	int rc = safe_target_ok(dfd, base, path, e);
	int fd = rc < 0 ? -1 : safe_tmp_create(dfd, base, tmp, sizeof tmp, e);
	if (fd < 0) {
		close(dfd);
		return -1;
	}
	if (safe_write_all(fd, buf, len) < 0 || (durable && fsync(fd) < 0))
		rc = -1;
	int why = errno;
	if (close(fd) < 0 && rc == 0)
		rc = -1, why = errno;
	if (rc < 0) {
		unlinkat(dfd, tmp, 0);
		err_set(e, "cannot write %s: %s", path, strerror(why));
	} else {
		rc = safe_commit(dfd, tmp, base, path, e);
	}
	close(dfd);
	return rc;
}

int safe_create_new(int dirfd, const char *base, const char *shown, struct err *e)
{
	int fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		err_set(e, "cannot create %s: %s", shown, strerror(errno));
	return fd;
}

/* "BASE.tmp.DIGITS" (any BASE when base is NULL) -> DIGITS as a pid; 0 if
 * the name does not match. */
static pid_t stale_pid(const char *name, const char *base)
{
	const char *d;
	if (base) {
		size_t n = strlen(base);
		if (strncmp(name, base, n) || strncmp(name + n, ".tmp.", 5))
			return 0;
		d = name + n + 5;
	} else {
		const char *t = strstr(name, ".tmp.");
		if (!t || t == name)
			return 0;
		d = t + 5;
	}
	if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 9)
		return 0;
	return (pid_t)atol(d);
}

int safe_clean_stale(int dirfd, const char *base, int dirs)
{
	int dup_fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return 0;
	}
	int removed = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		pid_t pid = stale_pid(de->d_name, base);
		if (pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
			continue; /* not ours by name, or its writer may still be alive */
		struct stat st;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_uid != geteuid())
			continue;
		if (S_ISREG(st.st_mode) && unlinkat(dirfd, de->d_name, 0) == 0)
			removed++;
		else if (dirs && S_ISDIR(st.st_mode) && safe_remove_tree(dirfd, de->d_name) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int safe_remove_tree(int dirfd, const char *name)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		struct stat st;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
			safe_remove_tree(fd, de->d_name);
		else
			unlinkat(fd, de->d_name, 0);
	}
	closedir(d);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

int safe_same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
		return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
	char da[PATH_MAX], db[PATH_MAX], ba[NAME_MAX + 1], bb[NAME_MAX + 1];
	split_path(a, da, sizeof da, ba, sizeof ba);
	split_path(b, db, sizeof db, bb, sizeof bb);
	if (strcmp(ba, bb))
		return 0;
	struct stat xa, xb;
	return stat(da, &xa) == 0 && stat(db, &xb) == 0 && xa.st_dev == xb.st_dev &&
	       xa.st_ino == xb.st_ino;
}

int safe_private_dir(const char *path, const char *what, struct err *e)
{
	char tmp[PATH_MAX];
	if (!path[0] || snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return err_set(e, "%s '%s' is not a usable path", what, path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return err_set(e, "%s %s: cannot create %s: %s", what, path, tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return err_set(e, "%s %s: cannot create it: %s", what, path, strerror(errno));
	struct stat st;
	if (lstat(tmp, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(e, "%s %s is not a directory (a symlink is refused)", what, path);
	if (st.st_uid != geteuid())
		return err_set(e, "%s %s belongs to uid %u, not to us (uid %u); refused (allowed: a "
				  "directory of ours that only we can write)", what, path,
			       (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 022)
		return err_set(e, "%s %s is writable by others (mode %03o); refused (allowed: a "
				  "directory only we can write, e.g. chmod 700)", what, path,
			       (unsigned)(st.st_mode & 0777));
	return 0;
}
