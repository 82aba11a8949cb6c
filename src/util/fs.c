/*
 * fs.c - file and clock helpers.
 */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

int
fs_slurp(struct buf *out, const char *path, const char **step)
{
	struct stat st;
	int         fd, saved;
	ssize_t     n;

	*step = "open";
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	*step = "read";
	if (fstat(fd, &st) < 0) {
		st.st_size = 0;
		st.st_mode = 0;
	} else if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	/*
	 * Room for the whole file and one byte more, so that the read that
	 * sees the end needs no second allocation; small files stay small
	 * (under malloc's mmap threshold) when hundreds are loaded at once.
	 */
	buf_grow(out, st.st_size > 0 ? (size_t)st.st_size + 1 : 4096);
	for (;;) {
		if (out->cap - out->len - 1 == 0)
			buf_grow(out, out->len);
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		/* A regular file read to its size needs no read that sees 0. */
		if (S_ISREG(st.st_mode) && st.st_size > 0 &&
		    out->len == (size_t)st.st_size)
			break;
	}
	out->ptr[out->len] = '\0';
	close(fd);
	return 0;
}

int
fs_read(struct buf *out, const char *path, int code)
{
	const char *step;

	if (fs_slurp(out, path, &step) < 0)
		return err_set(code, "cannot %s '%s': %s", step, path,
		    strerror(errno));
	return 0;
}

int
fs_create_new(const char *path, const char *content)
{
	size_t  len = strlen(content), done = 0;
	ssize_t n;
	int     fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(EXIT_USAGE, "cannot create '%s': %s", path,
		    strerror(errno));
	while (done < len) {
		n = write(fd, content + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return err_set(EXIT_USAGE, "cannot write '%s': %s",
			    path, strerror(errno));
		}
		done += (size_t)n;
	}
	if (close(fd) != 0)
		return err_set(EXIT_USAGE, "cannot write '%s': %s", path,
		    strerror(errno));
	return 0;
}

int
fs_mkdirs(const char *path, mode_t mode)
{
	char  *p = xstrdup(path);
	size_t i, len = strlen(p);
	int    rc = 0;

	for (i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		if (i < len)
			p[i] = '/';
	}
	free(p);
	return rc;
}

int
fs_replace(const char *path, const char *data, size_t len)
{
	struct buf tmp = BUF_INIT;
	FILE      *f;
	int        rc = 0;

	buf_addf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	if ((f = fopen(tmp.ptr, "w")) == NULL ||
	    fwrite(data, 1, len, f) != len || fclose(f) != 0 ||
	    rename(tmp.ptr, path) != 0) {
		rc = err_set(EXIT_USAGE, "cannot write '%s': %s", path,
		    strerror(errno));
		unlink(tmp.ptr);
	}
	buf_free(&tmp);
	return rc;
}

int
fs_mkdir_p(const char *path)
{
	if (fs_mkdirs(path, 0755) < 0)
		return err_set(EXIT_USAGE, "cannot create folder '%s': %s",
		    path, strerror(errno));
	return 0;
}

int64_t
time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
time_iso_now(char out[32])
{
	struct timespec ts;
	struct tm       tm;
	size_t          n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

void
sleep_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
