/*
 * test_sumcache.c - the checksum cache trusts a line only when it parses
 * and the file's stat matches it; anything else reads the file.
 *
 * The cache files are written by hand here, with the test file's real
 * stat, so no test waits out the two-second rule (tests/integration/
 * sumcache.sh covers what status writes).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/util/checksum.h"
#include "../../src/util/error.h"
#include "../../src/core/sumcache.h"

#define FAKE "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define TEXT "CREATE TABLE a (id int);\n"

static char dir[64], sqldir[96], cachedir[96], cachefile[192], path[160];
static struct mig_file mf;
static struct stat     st;

static void
setup(void)
{
	FILE *f;

	strcpy(dir, "/tmp/strata-unit-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(sqldir, sizeof(sqldir), "%s/sql", dir);
	snprintf(cachedir, sizeof(cachedir), "%s/cache", dir);
	mkdir(sqldir, 0755);
	mkdir(cachedir, 0700);
	snprintf(path, sizeof(path), "%s/1_a.sql", sqldir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(TEXT, f);
	fclose(f);
	cr_assert_eq(stat(path, &st), 0);
	memset(&mf, 0, sizeof(mf));
	mf.version = 1;
	mf.filename = "1_a.sql";
	mf.path = path;
	{
		struct stat ds;

		cr_assert_eq(stat(sqldir, &ds), 0);
		snprintf(cachefile, sizeof(cachefile), "%s/sums-%llx-%llx",
		    cachedir, (unsigned long long)ds.st_dev,
		    (unsigned long long)ds.st_ino);
	}
	setenv("STRATA_CACHE_DIR", cachedir, 1);
	unsetenv("STRATA_NO_CACHE");
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

/* The line the cache would hold for 1_a.sql, with `sum` as its checksum. */
static void
line_for(char *out, size_t n, long long size_delta, const char *sum,
    const char *name)
{
	snprintf(out, n, "%llu %llu %lld %lld %lld 0 %s %s",
	    (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
	    (long long)st.st_size + size_delta,
	    (long long)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
	    (long long)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec, sum,
	    name);
}

static void
write_cache(const char *content)
{
	FILE *f = fopen(cachefile, "w");

	cr_assert_not_null(f);
	fputs(content, f);
	fclose(f);
}

/* A valid cache holding one line. */
static void
write_cache_line(const char *line)
{
	char doc[600];

	snprintf(doc, sizeof(doc), "strata-sums 1\n%s\n", line);
	write_cache(doc);
}

/* Load 1_a.sql through the cache; true when the cache answered. */
static bool
load(char sum[CHECKSUM_HEX])
{
	struct sumcache *c = sumcache_open(sqldir);
	struct sqlfile   f;
	bool             cached;

	cr_assert_not_null(c);
	cr_assert_eq(sumcache_load(c, &f, &mf, EXIT_USAGE), 0);
	cached = f.text.ptr == NULL;
	memcpy(sum, f.checksum, CHECKSUM_HEX);
	sqlfile_free(&f);
	sumcache_close(c);
	return cached;
}

static void
real_sum(char out[CHECKSUM_HEX])
{
	checksum_text(TEXT, strlen(TEXT), out);
}

TestSuite(sumcache, .init = setup, .fini = teardown);

Test(sumcache, a_matching_line_answers)
{
	char l[512], sum[CHECKSUM_HEX];

	line_for(l, sizeof(l), 0, FAKE, "1_a.sql");
	write_cache_line(l);
	cr_assert(load(sum));
	cr_assert_str_eq(sum, FAKE);
}

Test(sumcache, a_changed_stat_reads_the_file)
{
	char l[512], sum[CHECKSUM_HEX], want[CHECKSUM_HEX];

	line_for(l, sizeof(l), 1, FAKE, "1_a.sql");
	write_cache_line(l);
	cr_assert_not(load(sum));
	real_sum(want);
	cr_assert_str_eq(sum, want);
}

Test(sumcache, garbled_caches_are_ignored)
{
	const char *bad[] = {
		"strata-sums 2\n%s\n",   /* another format */
		"strata-sums 1\n%s x\n", /* a space in the name */
		"strata-sums 1\n%s\n0 0 0 0 0 0 " FAKE " 0_a.sql\n", /* order */
		"strata-sums 1\n99999999999999999999999 %s\n", /* overflow */
		"strata-sums 1\n-1 %s\n",                      /* a sign */
	};
	char   l[512], doc[800], sum[CHECKSUM_HEX], want[CHECKSUM_HEX];
	size_t i;

	real_sum(want);
	line_for(l, sizeof(l), 0, FAKE, "1_a.sql");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc), bad[i], l);
		write_cache(doc);
		cr_assert_not(load(sum), "cache %zu was trusted", i);
		cr_assert_str_eq(sum, want);
	}
	/* A checksum that is not 64 lowercase hex digits. */
	line_for(l, sizeof(l), 0,
	    "0123456789ABCDEF0123456789abcdef"
	    "0123456789abcdef0123456789abcdef",
	    "1_a.sql");
	write_cache_line(l);
	cr_assert_not(load(sum));
	/* Flags beyond the two known ones. */
	line_for(l, sizeof(l), 0, FAKE, "1_a.sql");
	l[strlen(l) - strlen(FAKE) - strlen(" 1_a.sql") - 2] = '7';
	write_cache_line(l);
	cr_assert_not(load(sum));
}

Test(sumcache, a_cut_short_cache_keeps_its_whole_lines)
{
	char l[512], doc[800], sum[CHECKSUM_HEX];

	line_for(l, sizeof(l), 0, FAKE, "1_a.sql");
	snprintf(doc, sizeof(doc), "strata-sums 1\n%s\n2 3 4 5", l);
	write_cache(doc);
	cr_assert(load(sum));
	cr_assert_str_eq(sum, FAKE);
}

Test(sumcache, switched_off_or_absent)
{
	char           sum[CHECKSUM_HEX], want[CHECKSUM_HEX];
	struct sqlfile f;

	setenv("STRATA_NO_CACHE", "1", 1);
	cr_assert_null(sumcache_open(sqldir));
	unsetenv("STRATA_NO_CACHE");
	/* No cache object: the file is read. */
	cr_assert_eq(sumcache_load(NULL, &f, &mf, EXIT_USAGE), 0);
	cr_assert_not_null(f.text.ptr);
	sqlfile_free(&f);
	/* No cache file yet: the file is read, and nothing is remembered
	 * (it was written under two seconds ago). */
	real_sum(want);
	cr_assert_not(load(sum));
	cr_assert_str_eq(sum, want);
	cr_assert_neq(access(cachefile, F_OK), 0);
}

Test(sumcache, need_text_checks_the_checksum)
{
	char             l[512];
	struct sumcache *c;
	struct sqlfile   f;

	line_for(l, sizeof(l), 0, FAKE, "1_a.sql");
	write_cache_line(l);
	c = sumcache_open(sqldir);
	cr_assert_eq(sumcache_load(c, &f, &mf, EXIT_USAGE), 0);
	cr_assert_null(f.text.ptr);
	cr_assert_eq(sqlfile_need_text(&f, EXIT_USAGE), -EXIT_USAGE);
	cr_assert_not_null(strstr(err_last()->message, "changed while"));
	/* With the true checksum the text is loaded. */
	real_sum(f.checksum);
	cr_assert_eq(sqlfile_need_text(&f, EXIT_USAGE), 0);
	cr_assert_str_eq(f.text.ptr, TEXT);
	sqlfile_free(&f);
	sumcache_close(c);
	err_clear();
}
