/*
 * fleet_out.c - the end of a run over many targets: the summary table,
 * the status matrix, the JSON document, the exit code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/json.h"
#include "../util/columns.h"
#include "../util/log.h"
#include "fleet.h"

void
fleet_facts_parse(struct fleet_facts *ff, const char *text)
{
	const char *line = text;

	ff->current = -1;
	ff->applied = -1;
	while (*line) {
		const char *end = strchr(line, '\n');
		const char *sp = strchr(line, ' ');
		size_t      len = end ? (size_t)(end - line) : strlen(line);
		char       *value;

		if (sp != NULL && sp < line + len) {
			size_t key = (size_t)(sp - line);

			value = xstrdup(sp + 1);
			value[len - key - 1] = '\0';
#define FACT_IS(name) (key == strlen(name) && memcmp(line, name, key) == 0)
			if (FACT_IS("current"))
				ff->current = strtoll(value, NULL, 10);
			else if (FACT_IS("applied"))
				ff->applied = strtoll(value, NULL, 10);
			else if (FACT_IS("pending"))
				ff->pending = strtoll(value, NULL, 10);
			else if (FACT_IS("failed") && ff->failed == NULL)
				ff->failed = value, value = NULL;
			else if (FACT_IS("drifted") && ff->drifted == NULL)
				ff->drifted = value, value = NULL;
			else if (FACT_IS("missing") && ff->missing == NULL)
				ff->missing = value, value = NULL;
			else if (FACT_IS("out_of_order") &&
			    ff->out_of_order == NULL)
				ff->out_of_order = value, value = NULL;
			else if (FACT_IS("error") && ff->error == NULL)
				ff->error = value, value = NULL;
#undef FACT_IS
			free(value);
		}
		line += len;
		if (*line == '\n')
			line++;
	}
}

void
fleet_facts_free(struct fleet_facts *ff)
{
	free(ff->failed);
	free(ff->drifted);
	free(ff->missing);
	free(ff->out_of_order);
	free(ff->error);
}

static const char *
state_word(const struct fleet_target *t)
{
	switch (t->state) {
	case FLEET_WAITING:
	case FLEET_SKIPPED: return "skipped";
	case FLEET_RUNNING:
	case FLEET_INTERRUPTED: return "interrupted";
	case FLEET_DONE: return t->exit_code == 0 ? "ok" : "failed";
	}
	return "?";
}

static void
count(const struct fleet *f, size_t *ok, size_t *bad, size_t *skipped)
{
	size_t i;

	*ok = *bad = *skipped = 0;
	for (i = 0; i < f->n; i++) {
		const char *w = state_word(&f->v[i]);

		if (strcmp(w, "ok") == 0)
			(*ok)++;
		else if (strcmp(w, "skipped") == 0)
			(*skipped)++;
		else
			(*bad)++;
	}
}

static void
print_json(const struct fleet *f)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i, ok, bad, skipped;

	json_init(&j, &doc);
	json_object_begin(&j);
	json_key(&j, "targets");
	json_array_begin(&j);
	for (i = 0; i < f->n; i++) {
		const struct fleet_target *t = &f->v[i];
		struct buf                *d = (struct buf *)&t->part[0];

		while (d->len > 0 &&
		    (d->ptr[d->len - 1] == '\n' || d->ptr[d->len - 1] == ' '))
			d->len--;
		json_object_begin(&j);
		json_key(&j, "database");
		json_string(&j, t->spec->masked);
		json_key(&j, "schema");
		json_string(&j, t->spec->schema);
		json_key(&j, "state");
		json_string(&j, state_word(t));
		json_key(&j, "exit_code");
		if (t->state == FLEET_DONE || t->state == FLEET_INTERRUPTED)
			json_int(&j, t->exit_code);
		else
			json_null(&j);
		json_key(&j, "duration_ms");
		if (t->state == FLEET_SKIPPED)
			json_null(&j);
		else
			json_int(&j, t->duration_ms);
		json_key(&j, "result");
		if (d->len > 0 && (d->ptr[0] == '{' || d->ptr[0] == '[')) {
			buf_addch(d, '\0');
			json_raw(&j, d->ptr);
		} else
			json_null(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	count(f, &ok, &bad, &skipped);
	json_key(&j, "summary");
	json_object_begin(&j);
	json_key(&j, "targets");
	json_int(&j, (int64_t)f->n);
	json_key(&j, "ok");
	json_int(&j, (int64_t)ok);
	json_key(&j, "failed");
	json_int(&j, (int64_t)bad);
	json_key(&j, "skipped");
	json_int(&j, (int64_t)skipped);
	json_object_end(&j);
	json_object_end(&j);
	json_emit(&doc);
	buf_free(&doc);
}

static void
number(char *out, size_t size, int64_t v)
{
	if (v < 0)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%lld", (long long)v);
}

static void
duration(char *out, size_t size, const struct fleet_target *t)
{
	if (t->state == FLEET_SKIPPED)
		snprintf(out, size, "-");
	else if (t->duration_ms < 10000)
		snprintf(out, size, "%lldms", (long long)t->duration_ms);
	else
		snprintf(out, size, "%.1fs", (double)t->duration_ms / 1000.0);
}

static void
print_summary(const struct fleet *f)
{
	const struct column cols[] = {
		{ "TARGET", false },
		{ "RESULT", false },
		{ "CURRENT", false },
		{ f->cmd->fleet_done ? f->cmd->fleet_done : "APPLIED", false },
		{ "DURATION", false },
	};
	struct columns c;
	struct buf     out = BUF_INIT;
	size_t         i, ok, bad, skipped;
	char           cur[24], app[24], dur[24];

	columns_init(&c, cols, sizeof(cols) / sizeof(cols[0]));
	for (i = 0; i < f->n; i++) {
		const struct fleet_target *t = &f->v[i];

		columns_add(&c, t->spec->label, C_NONE);
		if (t->state == FLEET_DONE && t->exit_code != 0)
			columns_addf(&c, C_NONE, "failed (exit %d)",
			    t->exit_code);
		else
			columns_add(&c, state_word(t), C_NONE);
		number(cur, sizeof(cur), t->facts.current);
		number(app, sizeof(app), t->facts.applied);
		duration(dur, sizeof(dur), t);
		columns_add(&c, cur, C_NONE);
		columns_add(&c, app, C_NONE);
		columns_add(&c, dur, C_NONE);
	}
	buf_addch(&out, '\n');
	columns_write(&c, &out);
	columns_free(&c);
	out_write(out.ptr, out.len);
	buf_free(&out);
	count(f, &ok, &bad, &skipped);
	out_printf("%zu targets: %zu ok, %zu failed, %zu skipped\n", f->n, ok,
	    bad, skipped);
}

/* A target's line of the status matrix: what is wrong with it, if any. */
static void
status_state(struct buf *b, const struct fleet_target *t, int64_t highest)
{
	const struct fleet_facts *ff = &t->facts;

	if (t->state != FLEET_DONE) {
		buf_adds(b, state_word(t));
		return;
	}
	if (t->exit_code != 0) {
		buf_addf(b, "error (exit %d)%s%.60s", t->exit_code,
		    ff->error ? ": " : "", ff->error ? ff->error : "");
		return;
	}
	if (ff->failed)
		buf_addf(b, "failed %s; ", ff->failed);
	if (ff->drifted)
		buf_addf(b, "drifted %s; ", ff->drifted);
	if (ff->missing)
		buf_addf(b, "missing %s; ", ff->missing);
	if (ff->out_of_order)
		buf_addf(b, "out of order %s; ", ff->out_of_order);
	if (ff->pending > 0)
		buf_addf(b, "behind: %lld pending; ", (long long)ff->pending);
	else if (ff->current >= 0 && ff->current < highest)
		buf_addf(b, "behind the others (%lld); ", (long long)highest);
	if (b->len == 0)
		buf_adds(b, "up to date");
	else {
		/* The last "; " goes: the text ends where its state does. */
		b->len -= 2;
		b->ptr[b->len] = '\0';
	}
}

static const struct column matrix_columns[] = {
	{ "TARGET", false },
	{ "CURRENT", false },
	{ "PENDING", false },
	{ "STATE", false },
};

static void
print_matrix(const struct fleet *f)
{
	struct columns c;
	struct buf     out = BUF_INIT;
	int64_t        highest = 0;
	size_t         i, fine = 0;
	char           cur[24], pend[24];

	for (i = 0; i < f->n; i++)
		if (f->v[i].facts.current > highest)
			highest = f->v[i].facts.current;
	columns_init(&c, matrix_columns,
	    sizeof(matrix_columns) / sizeof(matrix_columns[0]));
	for (i = 0; i < f->n; i++) {
		const struct fleet_target *t = &f->v[i];
		struct buf                 state = BUF_INIT;
		bool done = t->state == FLEET_DONE && t->exit_code == 0;
		bool good;

		status_state(&state, t, highest);
		good = strcmp(state.ptr, "up to date") == 0;
		if (good)
			fine++;
		number(cur, sizeof(cur), done ? t->facts.current : -1);
		number(pend, sizeof(pend), done ? t->facts.pending : -1);
		columns_add(&c, t->spec->label, C_NONE);
		columns_add(&c, cur, done && good ? C_GREEN : C_RED);
		columns_add(&c, pend, done && good ? C_GREEN : C_RED);
		columns_add(&c, state.ptr, done && good ? C_GREEN : C_RED);
		buf_free(&state);
	}
	columns_write(&c, &out);
	columns_free(&c);
	out_write(out.ptr, out.len);
	buf_free(&out);
	out_printf("%zu targets: %zu up to date, %zu not\n", f->n, fine,
	    f->n - fine);
}

void
fleet_print(const struct fleet *f)
{
	if (f->json)
		print_json(f);
	else if (f->cmd->fleet_done == NULL)
		print_matrix(f);
	else
		print_summary(f);
}

int
fleet_exit_code(const struct fleet *f, int signal)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].state == FLEET_INTERRUPTED ||
		    (f->v[i].state == FLEET_DONE && f->v[i].exit_code != 0))
			return f->v[i].exit_code;
	return signal ? 128 + signal : 0;
}
