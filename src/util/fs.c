/*
 * fs.c - file and clock helpers.
 */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/error.h"

int
fs_read(struct buf *out, const char *path, int code)
{
	struct stat st;
	int fd;
	ssize_t n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(code, "cannot open '%s': %s", path,
		    strerror(errno));
	if (fstat(fd, &st) < 0) {
		st.st_size = 0;
		st.st_mode = 0;
	}
	else if (S_ISDIR(st.st_mode)) {
		close(fd);
		return err_set(code, "cannot read '%s': Is a directory", path);
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
			close(fd);
			return err_set(code, "cannot read '%s': %s", path,
			    strerror(errno));
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
fs_create_new(const char *path, const char *content)
{
	size_t len = strlen(content), done = 0;
	ssize_t n;
	int fd;

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
fs_mkdir_p(const char *path)
{
	struct buf p = BUF_INIT;
	size_t i;
	int rc = 0;

	buf_adds(&p, path);
	for (i = 1; i <= p.len; i++) {
		if (p.ptr[i] != '/' && p.ptr[i] != '\0')
			continue;
		p.ptr[i] = '\0';
		if (mkdir(p.ptr, 0755) != 0 && errno != EEXIST) {
			rc = err_set(EXIT_USAGE, "cannot create folder '%s': %s",
			    p.ptr, strerror(errno));
			break;
		}
		if (i < p.len)
			p.ptr[i] = '/';
	}
	buf_free(&p);
	return rc;
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
	struct tm tm;
	size_t n;

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
