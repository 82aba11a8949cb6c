/*
 * output.c - a lint run's findings as text, JSON, SARIF 2.1.0 or GitHub
 * workflow annotations (SPEC §6), on stdout.
 */
#include "output.h"

#include <stdio.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/json.h"
#include "../util/log.h"

static const char *
level(const struct lint_run *r, const struct finding *f)
{
	return lint_is_error(r, f) ? "error" : "warning";
}

/* Findings at each level as printed (--strict makes warnings errors). */
static size_t
count(const struct lint_run *r, bool errors)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		if (lint_is_error(r, &r->v[i]) == errors)
			n++;
	return n;
}

static void
trace_text(const struct lint_run *r)
{
	struct buf b = BUF_INIT;
	size_t     i, k;

	for (i = 0; i < r->n_trace; i++) {
		const struct lint_trace *t = &r->trace[i];

		buf_reset(&b);
		buf_addf(&b, "trace: %s statement %d: ", t->file, t->statement);
		if (!t->traced) {
			buf_adds(&b,
			    "not traced (it runs outside a transaction)");
			out_printf("%s\n", buf_cstr(&b));
			continue;
		}
		buf_addf(&b, "%.1f ms", t->duration_ms);
		if (t->lock_wait_ms > 0)
			buf_addf(&b, " (%.0f ms of it waiting for a lock)",
			    t->lock_wait_ms);
		for (k = 0; k < t->n_locks; k++)
			buf_addf(&b, "%s%s %s", k ? ", " : "; locks ",
			    t->locks[k].table, t->locks[k].mode);
		for (k = 0; k < t->n_rewrote; k++)
			buf_addf(&b, "%s%s", k ? ", " : "; rewrote ",
			    t->rewrote[k]);
		out_printf("%s\n", buf_cstr(&b));
	}
	buf_free(&b);
}

static void
trace_json(const struct lint_run *r, struct json *j)
{
	size_t i, k;

	json_key(j, "trace");
	json_array_begin(j);
	for (i = 0; i < r->n_trace; i++) {
		const struct lint_trace *t = &r->trace[i];

		json_object_begin(j);
		json_key(j, "version");
		json_int(j, t->version);
		json_key(j, "statement");
		json_int(j, t->statement);
		json_key(j, "duration_ms");
		json_double(j, t->duration_ms);
		json_key(j, "lock_wait_ms");
		json_double(j, t->lock_wait_ms);
		json_key(j, "locks");
		json_array_begin(j);
		for (k = 0; k < t->n_locks; k++) {
			json_object_begin(j);
			json_key(j, "table");
			json_string(j, t->locks[k].table);
			json_key(j, "mode");
			json_string(j, t->locks[k].mode);
			json_object_end(j);
		}
		json_array_end(j);
		json_key(j, "rewrote");
		json_array_begin(j);
		for (k = 0; k < t->n_rewrote; k++)
			json_string(j, t->rewrote[k]);
		json_array_end(j);
		json_key(j, "traced");
		json_bool(j, t->traced);
		json_object_end(j);
	}
	json_array_end(j);
}

static void
text(const struct lint_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct finding *f = &r->v[i];
		bool                  err = lint_is_error(r, f);

		out_printf("%s:%d:%d: %s%s%s[%s]: %s\n", f->file, f->line,
		    f->column, out_colour(err ? C_RED : C_YELLOW), level(r, f),
		    out_colour(C_NONE), f->rule, f->message);
		if (f->help)
			out_printf("  help: %s\n", f->help);
	}
	if (r->traced)
		trace_text(r);
	out_printf("%zu file%s, %zu statement%s: %zu error%s, %zu warning%s\n",
	    r->files, r->files == 1 ? "" : "s", r->statements,
	    r->statements == 1 ? "" : "s", count(r, true),
	    count(r, true) == 1 ? "" : "s", count(r, false),
	    count(r, false) == 1 ? "" : "s");
}

void
lint_output_stderr(const struct lint_run *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct finding *f = &r->v[i];

		log_plain("%s:%d:%d: %s[%s]: %s", f->file, f->line, f->column,
		    level(r, f), f->rule, f->message);
		if (f->help)
			log_plain("  help: %s", f->help);
	}
}

static void
json(const struct lint_run *r)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i;

	json_init(&j, &doc);
	json_object_begin(&j);
	json_key(&j, "findings");
	json_array_begin(&j);
	for (i = 0; i < r->n; i++) {
		const struct finding *f = &r->v[i];

		json_object_begin(&j);
		json_key(&j, "rule");
		json_string(&j, f->rule);
		json_key(&j, "severity");
		json_string(&j, level(r, f));
		json_key(&j, "file");
		json_string(&j, f->file);
		json_key(&j, "line");
		json_int(&j, f->line);
		json_key(&j, "column");
		json_int(&j, f->column);
		json_key(&j, "version");
		if (f->version > 0)
			json_int(&j, f->version);
		else
			json_null(&j);
		json_key(&j, "direction");
		json_string(&j, f->down ? "down" : "up");
		json_key(&j, "statement");
		json_int(&j, f->statement);
		json_key(&j, "message");
		json_string(&j, f->message);
		json_key(&j, "help");
		json_string(&j, f->help);
		json_key(&j, "table");
		json_string(&j, f->table);
		json_key(&j, "lock");
		json_string(&j, f->lock);
		json_key(&j, "blocks");
		json_string(&j, f->blocks);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "files");
	json_int(&j, (int64_t)r->files);
	json_key(&j, "statements");
	json_int(&j, (int64_t)r->statements);
	json_key(&j, "errors");
	json_int(&j, (int64_t)count(r, true));
	json_key(&j, "warnings");
	json_int(&j, (int64_t)count(r, false));
	if (r->traced)
		trace_json(r, &j);
	json_object_end(&j);
	buf_addch(&doc, '\n');
	out_write(doc.ptr, doc.len);
	buf_free(&doc);
}

static void
sarif(const struct lint_run *r)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i, k;

	json_init(&j, &doc);
	json_object_begin(&j);
	json_key(&j, "$schema");
	json_string(&j, "https://json.schemastore.org/sarif-2.1.0.json");
	json_key(&j, "version");
	json_string(&j, "2.1.0");
	json_key(&j, "runs");
	json_array_begin(&j);
	json_object_begin(&j);
	json_key(&j, "tool");
	json_object_begin(&j);
	json_key(&j, "driver");
	json_object_begin(&j);
	json_key(&j, "name");
	json_string(&j, "strata");
	json_key(&j, "version");
	json_string(&j, STRATA_VERSION);
	json_key(&j, "rules");
	json_array_begin(&j);
	/* Each rule reported, once, with its help. */
	for (i = 0; lint_rules[i].name != NULL; i++) {
		const struct finding *first = NULL;

		for (k = 0; k < r->n && first == NULL; k++)
			if (strcmp(r->v[k].rule, lint_rules[i].name) == 0)
				first = &r->v[k];
		if (first == NULL)
			continue;
		json_object_begin(&j);
		json_key(&j, "id");
		json_string(&j, lint_rules[i].name);
		json_key(&j, "shortDescription");
		json_object_begin(&j);
		json_key(&j, "text");
		json_string(&j, lint_rules[i].summary);
		json_object_end(&j);
		json_key(&j, "help");
		json_object_begin(&j);
		json_key(&j, "text");
		json_string(&j,
		    first->help ? first->help : lint_rules[i].summary);
		json_object_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	json_key(&j, "results");
	json_array_begin(&j);
	for (i = 0; i < r->n; i++) {
		const struct finding *f = &r->v[i];

		json_object_begin(&j);
		json_key(&j, "ruleId");
		json_string(&j, f->rule);
		json_key(&j, "level");
		json_string(&j, level(r, f));
		json_key(&j, "message");
		json_object_begin(&j);
		json_key(&j, "text");
		json_string(&j, f->message);
		json_object_end(&j);
		json_key(&j, "locations");
		json_array_begin(&j);
		json_object_begin(&j);
		json_key(&j, "physicalLocation");
		json_object_begin(&j);
		json_key(&j, "artifactLocation");
		json_object_begin(&j);
		json_key(&j, "uri");
		json_string(&j, f->file);
		json_object_end(&j);
		json_key(&j, "region");
		json_object_begin(&j);
		json_key(&j, "startLine");
		json_int(&j, f->line);
		json_key(&j, "startColumn");
		json_int(&j, f->column);
		json_object_end(&j);
		json_object_end(&j);
		json_object_end(&j);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_array_end(&j);
	json_object_end(&j);
	buf_addch(&doc, '\n');
	out_write(doc.ptr, doc.len);
	buf_free(&doc);
}

/* GitHub's workflow commands: '%', CR and LF escaped; ',' and ':' too. */
static void
gh_escape(struct buf *b, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			buf_adds(b, "%25");
		else if (*s == '\r')
			buf_adds(b, "%0D");
		else if (*s == '\n')
			buf_adds(b, "%0A");
		else if (property && *s == ',')
			buf_adds(b, "%2C");
		else if (property && *s == ':')
			buf_adds(b, "%3A");
		else
			buf_addch(b, *s);
	}
}

static void
github(const struct lint_run *r)
{
	struct buf b = BUF_INIT;
	size_t     i;

	for (i = 0; i < r->n; i++) {
		const struct finding *f = &r->v[i];

		buf_reset(&b);
		buf_addf(&b, "::%s file=", level(r, f));
		gh_escape(&b, f->file, true);
		buf_addf(&b, ",line=%d,col=%d,title=", f->line, f->column);
		gh_escape(&b, f->rule, true);
		buf_adds(&b, "::");
		gh_escape(&b, f->message, false);
		buf_addch(&b, '\n');
		out_write(b.ptr, b.len);
	}
	buf_free(&b);
}

void
lint_output(const struct lint_run *r, enum lint_format format)
{
	switch (format) {
	case LINT_TEXT: text(r); break;
	case LINT_JSON: json(r); break;
	case LINT_SARIF: sarif(r); break;
	case LINT_GITHUB: github(r); break;
	}
}
