/*
 * targets.h - the databases one command runs on (SPEC §8): every --db,
 * then the lines of --targets files, in the order given.
 *
 * Knows only the names; opening and running them is fleet.c's job.
 */
#ifndef STRATA_TARGETS_H
#define STRATA_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

struct target_spec {
	char *url;
	char *schema; /* schema=NAME (a tenant), or NULL */
	char *masked; /* the URL with any password masked */
	char *label;  /* "[<masked url>[ schema]]", the prefix of its lines */
};

struct target_list {
	struct target_spec *v;
	size_t              n;
	size_t              alloc;
	bool                from_file; /* --targets was given */
};

/* Add one target; a second one with the same URL and schema is exit 2. */
int targets_add(struct target_list *, const char *url, const char *schema);
/* Add the targets a file lists, one "URL [schema=NAME]" a line; "-" stdin. */
int  targets_read(struct target_list *, const char *path);
void targets_free(struct target_list *);

#endif
