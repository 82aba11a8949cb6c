/*
 * targets.c - the list of databases a command runs on, read from --db and
 * --targets files.
 */
#include "targets.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/db.h"
#include "../util/buf.h"
#include "../util/error.h"

static bool
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
targets_add(struct target_list *l, const char *url, const char *schema)
{
	struct target_spec *t;
	struct buf          b = BUF_INIT;
	char               *masked;
	size_t              i;

	for (i = 0; i < l->n; i++) {
		if (!same(l->v[i].url, url) || !same(l->v[i].schema, schema))
			continue;
		return err_set(EXIT_USAGE,
		    "target %s is named twice; each database (and schema) "
		    "runs once",
		    l->v[i].label);
	}
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 8;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	t = &l->v[l->n++];
	t->url = xstrdup(url);
	t->schema = schema ? xstrdup(schema) : NULL;
	t->masked = masked = db_mask_url(url);
	buf_addf(&b, "[%s%s%s]", masked, schema ? " " : "",
	    schema ? schema : "");
	t->label = buf_detach(&b);
	return 0;
}

/* One line: "URL [schema=NAME]", already stripped of comments. */
static int
add_line(struct target_list *l, char *line, const char *path, int lineno)
{
	char *url, *word, *schema = NULL, *save = NULL;
	int   rc;

	url = strtok_r(line, " \t", &save);
	if (url == NULL)
		return 0;
	while ((word = strtok_r(NULL, " \t", &save)) != NULL) {
		if (strncmp(word, "schema=", 7) != 0 || word[7] == '\0' ||
		    schema != NULL) {
			rc = err_set(EXIT_USAGE,
			    "'%s' is not 'schema=NAME'; a target line is "
			    "'URL [schema=NAME]'",
			    word);
			err_set_location(path, lineno, (int)(word - line) + 1);
			return rc;
		}
		schema = word + 7;
	}
	if ((rc = targets_add(l, url, schema)) < 0)
		err_set_location(path, lineno, (int)(url - line) + 1);
	return rc;
}

int
targets_read(struct target_list *l, const char *path)
{
	bool   std = strcmp(path, "-") == 0;
	FILE  *f = std ? stdin : fopen(path, "r");
	char  *line = NULL;
	size_t cap = 0;
	int    lineno = 0, rc = 0;

	if (f == NULL)
		return err_set(EXIT_USAGE, "cannot open targets file '%s': %s",
		    path, strerror(errno));
	l->from_file = true;
	while (getline(&line, &cap, f) != -1) {
		char *hash = strchr(line, '#');
		char *p;

		lineno++;
		/* A comment starts a line or follows a blank, never in a URL. */
		if (hash != NULL &&
		    (hash == line || isspace((unsigned char)hash[-1])))
			*hash = '\0';
		for (p = line; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		if ((rc = add_line(l, line, std ? "<stdin>" : path, lineno)) <
		    0)
			break;
	}
	if (rc == 0 && ferror(f))
		rc = err_set(EXIT_USAGE, "cannot read targets file '%s'", path);
	free(line);
	if (!std)
		fclose(f);
	return rc;
}

void
targets_free(struct target_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].url);
		free(l->v[i].schema);
		free(l->v[i].masked);
		free(l->v[i].label);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
