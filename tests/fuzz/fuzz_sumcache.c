/*
 * fuzz_sumcache.c - the checksum cache reader, over any cache file: a
 * garbled cache reads as no cache, and never crashes the run.
 */
#include "fuzz.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/core/sumcache.h"

static char sqldir[64], cachefile[160], path[96];

static void
setup(void)
{
	static char root[] = "/tmp/strata-fuzz-XXXXXX";
	char        cachedir[96];
	struct stat ds;
	FILE       *f;

	if (mkdtemp(root) == NULL)
		abort();
	snprintf(sqldir, sizeof(sqldir), "%s/sql", root);
	snprintf(cachedir, sizeof(cachedir), "%s/cache", root);
	mkdir(sqldir, 0755);
	mkdir(cachedir, 0700);
	snprintf(path, sizeof(path), "%s/1_a.sql", sqldir);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs("CREATE TABLE a (id int);\n", f);
	fclose(f);
	stat(sqldir, &ds);
	snprintf(cachefile, sizeof(cachefile), "%s/sums-%llx-%llx", cachedir,
	    (unsigned long long)ds.st_dev, (unsigned long long)ds.st_ino);
	setenv("STRATA_CACHE_DIR", cachedir, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int       ready;
	struct mig_file  mf;
	struct sqlfile   f;
	struct sumcache *c;
	FILE            *out;

	if (!ready)
		setup();
	ready = 1;
	if ((out = fopen(cachefile, "w")) == NULL)
		abort();
	fwrite(data, 1, size, out);
	fclose(out);
	memset(&mf, 0, sizeof(mf));
	mf.version = 1;
	mf.filename = "1_a.sql";
	mf.path = path;
	memset(&f, 0, sizeof(f));
	c = sumcache_open(sqldir);
	(void)sumcache_load(c, &f, &mf, EXIT_USAGE);
	sqlfile_free(&f);
	sumcache_close(c);
	/* What close wrote back goes: each input meets the same folder. */
	unlink(cachefile);
	err_clear();
	return 0;
}
