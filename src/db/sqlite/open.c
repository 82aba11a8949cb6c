/*
 * open.c - opening and closing a SQLite database: the URL, a file that
 * cannot be written (opened immutable, for reading), WAL mode and the
 * busy timeout.
 */
#include "sqlite.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../util/error.h"
#include "../../util/fs.h"
#include "../../util/log.h"

#define SQLITE_DEFAULT_BUSY_MS 5000

static bool sqlite_configured;

static const char *
sqlite_path_of(const char *url)
{
	if (strncmp(url, "sqlite://", 9) == 0)
		return url + 9;
	if (strncmp(url, "sqlite:", 7) == 0)
		return url + 7;
	return url;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool
sqlite_accepts(const char *url)
{
	if (strncmp(url, "sqlite:", 7) == 0)
		return true;
	return ends_with(url, ".db") || ends_with(url, ".sqlite") ||
	    ends_with(url, ".sqlite3");
}

/*
 * Before opening to write: say plainly which of the file or its folder
 * is read-only, rather than SQLite's "attempt to write a readonly
 * database" from somewhere inside the first write.
 */
static int
check_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char       *dir = slash ? xstrndup(path, (size_t)(slash - path + 1))
				: xstrdup(".");
	int         rc = 0;

	if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
		rc = err_set(EXIT_DB,
		    "sqlite database '%s' is read-only: strata records its "
		    "history in it (commands that only read work on it)",
		    path);
	else if (access(dir, F_OK) == 0 && access(dir, W_OK) != 0)
		rc = err_set(EXIT_DB,
		    "the folder of sqlite database '%s' is read-only: "
		    "SQLite in WAL mode writes '%s-wal' and '%s-shm' beside "
		    "it (commands that only read work on it)",
		    path, path, path);
	free(dir);
	return rc;
}

/*
 * A read-only open of a WAL database needs its -shm file, which SQLite
 * cannot make in a read-only folder: read it as immutable then, which a
 * file nobody here may write is.
 */
static int
reopen_immutable(struct db_sqlite *d, const char *path)
{
	struct buf  uri = BUF_INIT;
	const char *p;
	int         rc;

	buf_adds(&uri, "file:");
	for (p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			buf_addf(&uri, "%%%02X", (unsigned char)*p);
		else
			buf_addch(&uri, *p);
	}
	buf_adds(&uri, "?immutable=1");
	sqlite3_close(d->conn);
	d->conn = NULL;
	if (sqlite3_open_v2(uri.ptr, &d->conn,
		SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
		NULL) != SQLITE_OK)
		rc = sqlite_fail(d, EXIT_DB, "cannot open sqlite database");
	else
		rc = sqlite_run(d, "SELECT count(*) FROM sqlite_master");
	if (rc == 0)
		log_verbose("%s: read as immutable (no -shm file can be made)",
		    path);
	buf_free(&uri);
	return rc;
}

/*
 * Switch to WAL, retrying while another connection holds the file. On a
 * file still in rollback-journal mode the switch upgrades a read lock to
 * a write lock, and SQLite answers SQLITE_BUSY at once there, without the
 * busy handler, rather than risk a deadlock: two runners opening a new
 * database together would otherwise see "database is locked" from one of
 * them. The retries stop when the busy timeout is spent.
 */
static int
sqlite_set_wal(struct db_sqlite *d, int64_t busy_ms)
{
	int64_t deadline = time_mono_us() + busy_ms * 1000;
	int64_t pause = 1;
	int     rc;

	for (;;) {
		rc = sqlite3_exec(d->conn, "PRAGMA journal_mode=WAL", NULL,
		    NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY || time_mono_us() >= deadline)
			break;
		sleep_ms(pause);
		if (pause < 32)
			pause *= 2;
	}
	if (rc != SQLITE_OK)
		return sqlite_fail(d, EXIT_DB, "sqlite");
	return 0;
}

/*
 * While another connection holds the lock: look again every millisecond
 * until the busy timeout is spent. SQLite's own handler sleeps longer and
 * longer (up to 100 ms a try), and against a writer that takes the lock
 * again at once, as a busy collector does, it loses nearly every time.
 */
static int
busy_wait(void *arg, int count)
{
	struct db_sqlite *d = arg;
	int64_t           now = time_mono_us();

	if (count == 0)
		d->busy_since_us = now;
	if (now - d->busy_since_us >= d->busy_ms * 1000)
		return 0;
	sleep_ms(1);
	return 1;
}

int
sqlite_open(struct db **out, const char *url, const struct db_config *cfg)
{
	struct db_sqlite *d = xcalloc(1, sizeof(*d));
	const char       *path = sqlite_path_of(url);
	int64_t busy = cfg->lock_timeout_ms >= 0 ? cfg->lock_timeout_ms
						 : SQLITE_DEFAULT_BUSY_MS;
	int     rc;

	d->lock_fd = -1;
	d->path = xstrdup(path);
	d->base.ts_format = "%s";
	d->base.log_rows_per_insert = 1;
	*out = &d->base;
	if (path[0] == '\0') {
		rc = err_set(EXIT_USAGE, "sqlite URL '%s' names no file", url);
		goto fail;
	}
	if (cfg->search_path) {
		rc = err_set(EXIT_USAGE,
		    "schema= is for PostgreSQL targets; '%s' is SQLite", url);
		goto fail;
	}
	/*
	 * strata has one thread: no mutexes, and no memory statistics
	 * (a global mutex taken on every allocation). No bulk allocation
	 * for each new page cache either: DDL makes SQLite open and close
	 * one per statement, and a large block freed each time has the C
	 * library hand the top of the heap back and take it again. Only
	 * possible before SQLite initialises, so only on the first open.
	 */
	if (!sqlite_configured) {
		sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
		sqlite_configured = true;
	}
	/*
	 * Read-only: the file as it is, or, when there is none, an empty
	 * database in memory; nothing is created or changed.
	 */
	if (cfg->read_only && access(path, F_OK) != 0) {
		d->base.missing = true;
		path = ":memory:";
	}
	if (!cfg->read_only && (rc = check_writable(path)) < 0)
		goto fail;
	if (sqlite3_open_v2(path, &d->conn,
		(cfg->read_only ? SQLITE_OPEN_READONLY
				: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
		    SQLITE_OPEN_NOMUTEX,
		NULL) != SQLITE_OK) {
		rc = sqlite_fail(d, EXIT_DB, "cannot open sqlite database");
		goto fail;
	}
	sqlite3_extended_result_codes(d->conn, 1);
	d->busy_ms = busy;
	sqlite3_busy_handler(d->conn, busy_wait, d);
	/* Fails here, not later, for a file that is not a database. */
	if (cfg->read_only) {
		rc = sqlite_run(d, "SELECT count(*) FROM sqlite_master");
		if (rc < 0 && !d->base.missing &&
		    ((sqlite3_extended_errcode(d->conn) & 0xff) ==
			    SQLITE_READONLY ||
			(sqlite3_extended_errcode(d->conn) & 0xff) ==
			    SQLITE_CANTOPEN)) {
			err_clear();
			rc = reopen_immutable(d, path);
		}
	} else
		rc = sqlite_set_wal(d, busy);
	if (rc < 0) {
		err_prefix("cannot open sqlite database");
		goto fail;
	}
	if (strcmp(path, ":memory:") != 0) {
		struct buf lp = BUF_INIT;

		buf_addf(&lp, "%s.strata-lock", path);
		d->lock_path = buf_detach(&lp);
	}
	return 0;
fail:
	sqlite_close(&d->base);
	*out = NULL;
	return rc;
}

void
sqlite_close(struct db *db)
{
	struct db_sqlite *d = (struct db_sqlite *)db;

	size_t i;

	for (i = 0; i < sizeof(d->kept) / sizeof(d->kept[0]); i++) {
		sqlite3_finalize(d->kept[i].st);
		free(d->kept[i].sql);
	}
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	if (d->conn)
		sqlite3_close_v2(d->conn);
	free(d->path);
	free(d->lock_path);
	db_base_free(&d->base);
	free(d);
}
