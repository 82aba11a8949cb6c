/*
 * fleet_lint.c - lint findings of many targets, said once each.
 *
 * Every target of a fleet run lints what it will run, and most find the
 * same in the same files. The parent keeps each finding (its line and its
 * help line) with the targets that reported it, and prints each once at
 * the end, naming those targets, instead of once per target.
 */
#include "fleet.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
fleet_is_finding(const char *line, size_t len)
{
	const char *end = line + len, *p = memchr(line, ':', len);
	int         numbers = 0;

	/* "file:line:col: error[rule]: ..." or "warning[...". */
	if (len == 0 || isspace((unsigned char)line[0]) || p == NULL)
		return false;
	while (p < end && *p == ':' && numbers < 2) {
		const char *q = p + 1;

		while (q < end && isdigit((unsigned char)*q))
			q++;
		if (q == p + 1)
			return false;
		numbers++;
		p = q;
	}
	if (numbers < 2 || end - p < 3 || strncmp(p, ": ", 2) != 0)
		return false;
	p += 2;
	return (end - p > 6 && strncmp(p, "error[", 6) == 0) ||
	    (end - p > 8 && strncmp(p, "warning[", 8) == 0);
}

/* The target's finding so far (and its help) joins the others. */
void
fleet_finding_flush(struct fleet *f, struct fleet_target *t)
{
	struct fleet_finding *x = NULL;
	size_t                i;

	if (t->lint.len == 0)
		return;
	for (i = 0; i < f->findings.n && x == NULL; i++)
		if (strcmp(f->findings.v[i].text, buf_cstr(&t->lint)) == 0)
			x = &f->findings.v[i];
	if (x == NULL) {
		ARRAY_GROW(f->findings.v, f->findings.n + 1, f->findings.alloc);
		x = &f->findings.v[f->findings.n++];
		memset(x, 0, sizeof(*x));
		x->text = xstrdup(buf_cstr(&t->lint));
		x->on = xcalloc(f->n, sizeof(*x->on));
	}
	if (!x->on[t - f->v]) {
		x->on[t - f->v] = true;
		x->count++;
	}
	buf_reset(&t->lint);
}

bool
fleet_finding_line(struct fleet *f, struct fleet_target *t, const char *line,
    size_t len)
{
	if (fleet_is_finding(line, len)) {
		fleet_finding_flush(f, t);
		buf_add(&t->lint, line, len);
		return true;
	}
	if (t->lint.len > 0 && len > 8 && strncmp(line, "  help: ", 8) == 0) {
		buf_addch(&t->lint, '\n');
		buf_add(&t->lint, line, len);
		fleet_finding_flush(f, t);
		return true;
	}
	fleet_finding_flush(f, t);
	return false;
}

void
fleet_findings_print(const struct fleet *f)
{
	size_t i, k, said;

	for (i = 0; i < f->findings.n; i++) {
		const struct fleet_finding *x = &f->findings.v[i];

		if (x->count == f->n && f->n > 1) {
			fprintf(stderr, "%s\n  on every target (%zu)\n",
			    x->text, f->n);
			continue;
		}
		fprintf(stderr, "%s\n  on ", x->text);
		for (k = 0, said = 0; k < f->n; k++)
			if (x->on[k])
				fprintf(stderr, "%s%s", said++ ? ", " : "",
				    f->v[k].spec->label);
		fputc('\n', stderr);
	}
	fflush(stderr);
}

void
fleet_findings_free(struct fleet *f)
{
	size_t i;

	for (i = 0; i < f->findings.n; i++) {
		free(f->findings.v[i].text);
		free(f->findings.v[i].on);
	}
	free(f->findings.v);
	memset(&f->findings, 0, sizeof(f->findings));
}
