/*
 * lock.c - SQLite's migration lock: an flock() on a file beside the
 * database ("<path>.strata-lock").
 *
 * It works across processes, and the kernel drops it when the holder
 * dies, so a killed runner never leaves a stale lock. The holder writes
 * its pid, host and start time into the file for those who wait.
 */
#include "sqlite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

#define LOCK_POLL_MS 50

static void
lock_holder(int fd, char *out, size_t outsz)
{
	ssize_t n = pread(fd, out, outsz - 1, 0);

	if (n <= 0) {
		snprintf(out, outsz, "another strata process");
		return;
	}
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

int
sqlite_lock(struct db *db, int64_t wait_ms)
{
	struct db_sqlite *d = (struct db_sqlite *)db;
	int64_t           deadline = time_mono_us() + wait_ms * 1000;
	bool              told = false;
	char              info[256], host[128] = "localhost", at[32];
	int               len;

	if (d->lock_path == NULL)
		return 0;
	d->lock_fd = open(d->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->lock_fd < 0)
		return err_set(EXIT_DB, "cannot open lock file '%s': %s",
		    d->lock_path, strerror(errno));
	while (flock(d->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return err_set(EXIT_DB, "cannot lock '%s': %s",
			    d->lock_path, strerror(errno));
		lock_holder(d->lock_fd, info, sizeof(info));
		if (time_mono_us() >= deadline) {
			close(d->lock_fd);
			d->lock_fd = -1;
			return err_set(EXIT_LOCK,
			    "the migration lock on '%s' "
			    "is held by %s; gave up after --lock-wait",
			    d->path, info);
		}
		if (!told) {
			db_notice(&d->base,
			    "waiting for the migration lock on '%s', "
			    "held by %s",
			    d->path, info);
			told = true;
		}
		sleep_ms(LOCK_POLL_MS);
	}
	gethostname(host, sizeof(host) - 1);
	time_iso_now(at);
	len = snprintf(info, sizeof(info), "pid %d on %s since %s\n",
	    (int)getpid(), host, at);
	if (ftruncate(d->lock_fd, 0) == 0 && len > 0)
		(void)!pwrite(d->lock_fd, info, (size_t)len, 0);
	return 0;
}

void
sqlite_unlock(struct db *db)
{
	struct db_sqlite *d = (struct db_sqlite *)db;

	if (d->lock_fd < 0)
		return;
	(void)!ftruncate(d->lock_fd, 0);
	flock(d->lock_fd, LOCK_UN);
	close(d->lock_fd);
	d->lock_fd = -1;
}
