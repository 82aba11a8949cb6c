/*
 * sumcache.c - remembered checksums of migration files (see sumcache.h).
 *
 * One cache file per folder, named after the folder's device and inode,
 * holding one line per file:
 *
 *	strata-sums 1
 *	<dev> <ino> <size> <mtime ns> <ctime ns> <flags> <sha-256> <file name>
 *
 * sorted by file name. Every line stands on its own, so a cache cut short
 * loses lines, never truth; a line that does not parse throws the whole
 * cache away. The file is replaced whole (written aside, then renamed),
 * only when something was learnt; writing one also deletes the cache
 * files not written for 30 days.
 */
#include "sumcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/buf.h"
#include "../util/fs.h"
#include "../util/log.h"

#define SUMS_HEADER "strata-sums 1\n"
/* A file changed this recently is read every time, never remembered. */
#define RACY_NS (2 * INT64_C(1000000000))
/* A cache file nobody wrote for this long is deleted. */
#define PRUNE_DAYS 30

enum {
	SUM_NO_TX = 1 << 0,
	SUM_IRREVERSIBLE = 1 << 1,
};

/* What stat(2) says of a file, as far as the cache cares. */
struct file_id {
	uint64_t dev;
	uint64_t ino;
	uint64_t size;
	int64_t  mtime; /* ns since the epoch */
	int64_t  ctime;
};

struct sum_entry;

struct sum_entry {
	const char    *name;
	struct file_id id;
	unsigned       flags;
	char           checksum[CHECKSUM_HEX];
	bool           used; /* looked up and still true */
	bool           dead; /* the file changed since */
};

struct sum_entries {
	struct sum_entry *v;
	size_t            n;
	size_t            alloc;
};

struct sumcache {
	int                dirfd;
	char              *dir; /* where the cache file lives */
	char              *file;
	struct buf         text;       /* the cache as read; names point here */
	struct sum_entries old;        /* sorted by name */
	struct sum_entries fresh;      /* learnt this run; names owned */
	int64_t            racy_after; /* changed after this: not remembered */
	bool               dirty;
	size_t             hits;  /* files answered from the cache */
	size_t             reads; /* files read */
};

static int64_t
ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static struct sum_entry *
entries_add(struct sum_entries *e)
{
	ARRAY_GROW(e->v, e->n + 1, e->alloc);
	memset(&e->v[e->n], 0, sizeof(e->v[0]));
	return &e->v[e->n++];
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct sum_entry *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static void
id_of(struct file_id *id, const struct stat *st)
{
	id->dev = (uint64_t)st->st_dev;
	id->ino = (uint64_t)st->st_ino;
	id->size = (uint64_t)st->st_size;
	id->mtime = ns_of(&st->st_mtim);
	id->ctime = ns_of(&st->st_ctim);
}

static bool
same_id(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime == b->mtime && a->ctime == b->ctime;
}

/* Stat a regular file of the folder; false when it is anything else. */
static bool
stat_file(struct sumcache *c, const char *name, struct file_id *id)
{
	struct stat st;

	if (fstatat(c->dirfd, name, &st, 0) < 0 || !S_ISREG(st.st_mode))
		return false;
	id_of(id, &st);
	return true;
}

static char *
cache_home(void)
{
	const char *e;
	struct buf  b = BUF_INIT;

	if ((e = getenv("STRATA_NO_CACHE")) != NULL && *e != '\0' &&
	    strcmp(e, "0") != 0)
		return NULL;
	if ((e = getenv("STRATA_CACHE_DIR")) != NULL && *e != '\0')
		buf_adds(&b, e);
	else if ((e = getenv("XDG_CACHE_HOME")) != NULL && *e == '/')
		buf_addf(&b, "%s/strata", e);
	else if ((e = getenv("HOME")) != NULL && *e == '/')
		buf_addf(&b, "%s/.cache/strata", e);
	else
		return NULL;
	return buf_detach(&b);
}

/* A decimal number and the space after it. */
static bool
parse_u64(char **p, uint64_t *out)
{
	const char *q = *p;
	uint64_t    v = 0;

	if (*q < '0' || *q > '9')
		return false;
	for (; *q >= '0' && *q <= '9'; q++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*q - '0');
	}
	if (*q != ' ')
		return false;
	*out = v;
	*p = (char *)q + 1;
	return true;
}

static bool
parse_line(char *line, struct sum_entry *e)
{
	uint64_t mtime, ctime, flags;
	char    *p = line;
	size_t   i;

	if (!parse_u64(&p, &e->id.dev) || !parse_u64(&p, &e->id.ino) ||
	    !parse_u64(&p, &e->id.size) || !parse_u64(&p, &mtime) ||
	    !parse_u64(&p, &ctime) || !parse_u64(&p, &flags) ||
	    mtime > INT64_MAX || ctime > INT64_MAX || flags > 3)
		return false;
	for (i = 0; i < CHECKSUM_HEX - 1; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
			(p[i] >= 'a' && p[i] <= 'f')))
			return false;
	if (p[i] != ' ' || p[i + 1] == '\0' || strchr(p + i + 1, ' '))
		return false;
	memcpy(e->checksum, p, CHECKSUM_HEX - 1);
	e->checksum[CHECKSUM_HEX - 1] = '\0';
	e->id.mtime = (int64_t)mtime;
	e->id.ctime = (int64_t)ctime;
	e->flags = (unsigned)flags;
	e->name = p + i + 1;
	return true;
}

/* Read the cache file; anything amiss leaves it empty. */
static void
load(struct sumcache *c)
{
	const char *step;
	char       *line, *nl;
	size_t      hl = strlen(SUMS_HEADER);

	if (fs_slurp(&c->text, c->file, &step) < 0 || c->text.len < hl ||
	    memcmp(c->text.ptr, SUMS_HEADER, hl) != 0)
		return;
	/* A line per entry: size the array once. */
	for (line = c->text.ptr + hl; (nl = strchr(line, '\n')) != NULL;
	     line = nl + 1)
		c->old.alloc++;
	c->old.v = xcalloc(c->old.alloc ? c->old.alloc : 1, sizeof(*c->old.v));
	for (line = c->text.ptr + hl; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break; /* cut short: drop the partial line */
		*nl = '\0';
		if (!parse_line(line, entries_add(&c->old))) {
			c->old.n = 0;
			return;
		}
		if (c->old.n > 1 &&
		    strcmp(c->old.v[c->old.n - 2].name,
			c->old.v[c->old.n - 1].name) >= 0) {
			c->old.n = 0; /* not sorted: not ours */
			return;
		}
	}
}

struct sumcache *
sumcache_open(const char *dir)
{
	struct sumcache *c;
	struct timespec  now;
	struct stat      st;
	char            *home;
	int              fd;

	if ((home = cache_home()) == NULL)
		return NULL;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		free(home);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->dirfd = fd;
	c->dir = home;
	{
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s/sums-%llx-%llx", home,
		    (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_ino);
		c->file = buf_detach(&b);
	}
	clock_gettime(CLOCK_REALTIME, &now);
	c->racy_after = ns_of(&now) - RACY_NS;
	load(c);
	return c;
}

static struct sum_entry *
find(struct sumcache *c, const char *name)
{
	struct sum_entry key;

	if (c->old.n == 0)
		return NULL;
	key.name = name;
	return bsearch(&key, c->old.v, c->old.n, sizeof(*c->old.v), cmp_entry);
}

static void
remember(struct sumcache *c, const char *name, const struct file_id *id,
    const struct sqlfile *f)
{
	struct sum_entry *e;

	/* Racy, or before 1970 (the format has no sign): read every time. */
	if (id->mtime >= c->racy_after || id->ctime >= c->racy_after ||
	    id->mtime < 0 || id->ctime < 0)
		return;
	e = entries_add(&c->fresh);
	e->name = xstrdup(name);
	e->id = *id;
	e->flags = (f->no_tx ? SUM_NO_TX : 0) |
	    (f->irreversible ? SUM_IRREVERSIBLE : 0);
	memcpy(e->checksum, f->checksum, CHECKSUM_HEX);
	c->dirty = true;
}

int
sumcache_load(struct sumcache *c, struct sqlfile *f, const struct mig_file *mf,
    int code)
{
	struct sum_entry *e;
	struct file_id    id;
	int               rc;

	if (c == NULL)
		return sqlfile_load(f, mf->path, code);
	/* The stat comes first: a write after it changes the ctime. */
	if (!stat_file(c, mf->filename, &id))
		return sqlfile_load(f, mf->path, code);
	e = find(c, mf->filename);
	if (e != NULL && !e->dead) {
		if (same_id(&e->id, &id)) {
			memset(f, 0, sizeof(*f));
			f->path = xstrdup(mf->path);
			memcpy(f->checksum, e->checksum, CHECKSUM_HEX);
			f->no_tx = (e->flags & SUM_NO_TX) != 0;
			f->irreversible = (e->flags & SUM_IRREVERSIBLE) != 0;
			e->used = true;
			c->hits++;
			return 0;
		}
		e->dead = true;
		c->dirty = true;
	}
	if ((rc = sqlfile_load(f, mf->path, code)) < 0)
		return rc;
	c->reads++;
	remember(c, mf->filename, &id, f);
	return 0;
}

/* Old entries no run looked at are kept while their file is unchanged. */
static bool
still_true(struct sumcache *c, const struct sum_entry *e)
{
	struct file_id id;

	if (e->dead)
		return false;
	if (e->used)
		return true;
	return stat_file(c, e->name, &id) && same_id(&e->id, &id);
}

/*
 * Every folder strata meets gets a cache file, and a CI runner meets a new
 * checkout each time: when writing, drop the cache files (and leftover
 * temporary files) nobody wrote for PRUNE_DAYS.
 */
static void
prune(struct sumcache *c)
{
	struct dirent *de;
	struct stat    st;
	DIR           *d;
	int64_t        before = c->racy_after + RACY_NS -
	    (int64_t)PRUNE_DAYS * 86400 * 1000000000;

	if ((d = opendir(c->dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, "sums-", 5) == 0 &&
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
			0 &&
		    S_ISREG(st.st_mode) && ns_of(&st.st_mtim) < before)
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

static void
save(struct sumcache *c)
{
	struct sum_entries all = { NULL, 0, 0 };
	struct buf         out = BUF_INIT, tmp = BUF_INIT;
	size_t             i, off;
	ssize_t            n;
	int                fd;

	for (i = 0; i < c->old.n; i++)
		if (still_true(c, &c->old.v[i]))
			*entries_add(&all) = c->old.v[i];
	for (i = 0; i < c->fresh.n; i++)
		*entries_add(&all) = c->fresh.v[i];
	if (all.n > 1)
		qsort(all.v, all.n, sizeof(*all.v), cmp_entry);
	buf_adds(&out, SUMS_HEADER);
	for (i = 0; i < all.n; i++) {
		const struct sum_entry *e = &all.v[i];

		/* A name learnt twice (two plans, one folder): keep one. */
		if (i + 1 < all.n && strcmp(e->name, all.v[i + 1].name) == 0)
			continue;
		buf_addf(&out, "%llu %llu %llu %lld %lld %u %s %s\n",
		    (unsigned long long)e->id.dev,
		    (unsigned long long)e->id.ino,
		    (unsigned long long)e->id.size, (long long)e->id.mtime,
		    (long long)e->id.ctime, e->flags, e->checksum, e->name);
	}
	free(all.v);

	buf_addf(&tmp, "%s.%ld.tmp", c->file, (long)getpid());
	if (fs_mkdirs(c->dir, 0700) < 0 ||
	    (fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		 0600)) < 0)
		goto done;
	off = 0;
	while (off < out.len) {
		n = write(fd, out.ptr + off, out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (close(fd) != 0 || off < out.len || rename(tmp.ptr, c->file) != 0)
		unlink(tmp.ptr);
	prune(c);
done:
	buf_free(&tmp);
	buf_free(&out);
}

void
sumcache_close(struct sumcache *c)
{
	size_t i;

	if (c == NULL)
		return;
	log_verbose("checksum cache %s: %zu file%s unchanged, %zu read%s",
	    c->file, c->hits, c->hits == 1 ? "" : "s", c->reads,
	    c->dirty ? ", cache updated" : "");
	if (c->dirty)
		save(c);
	for (i = 0; i < c->fresh.n; i++)
		free((char *)c->fresh.v[i].name);
	free(c->fresh.v);
	free(c->old.v);
	buf_free(&c->text);
	free(c->file);
	free(c->dir);
	close(c->dirfd);
	free(c);
}
