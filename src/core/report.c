/*
 * report.c - events of a run, as lines or as one JSON document.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../db/db.h"
#include "../util/buf.h"
#include "../util/log.h"
#include "plan.h"

void
report_init(struct report *r, bool json)
{
	memset(r, 0, sizeof(*r));
	r->json = json;
}

void
report_run_begin(struct report *r, bool down)
{
	r->down = down;
	r->started = true;
}

/* Lines go to people only without --json and without -q. */
static bool
talking(const struct report *r)
{
	return !r->json && log_get_level() >= LOG_NORMAL;
}

void
report_done(struct report *r, const struct migration *m, int64_t ms,
    size_t statements)
{
	struct run_item *it;

	ARRAY_GROW(r->v, r->n + 1, r->alloc);
	it = &r->v[r->n++];
	it->version = m->version;
	it->name = m->name;
	it->duration_ms = ms;
	it->statements = statements;
	it->phase = NULL;
	it->repeatable = m->repeatable;
	if (m->repeatable) {
		if (talking(r))
			out_printf(
			    "%sapplied%s R %s (%zu statement%s, %lld ms)\n",
			    out_colour(C_GREEN), out_colour(C_NONE), m->name,
			    statements, statements == 1 ? "" : "s",
			    (long long)ms);
		return;
	}
	if (!r->down && m->up.phased && m->part == PART_EXPAND &&
	    m->up.contract < m->up.stmts.n)
		it->phase = "expand";
	else if (!r->down && m->part == PART_CONTRACT)
		it->phase = "contract";
	if (talking(r))
		out_printf("%s%s%s %lld %s (%zu statement%s, %lld ms)%s\n",
		    out_colour(C_GREEN),
		    r->down                 ? "rolled back"
			: it->phase == NULL ? "applied"
			: *it->phase == 'e' ? "expanded"
					    : "completed",
		    out_colour(C_NONE), (long long)m->version, m->name,
		    statements, statements == 1 ? "" : "s", (long long)ms,
		    it->phase && *it->phase == 'e'
			? "; its contract part runs with 'strata complete'"
			: "");
}

void
report_checked(struct report *r, const struct migration *m, size_t items)
{
	ARRAY_GROW(r->checked, r->nchecked + 1, r->checked_alloc);
	r->checked[r->nchecked++] = m->version;
	if (talking(r))
		out_printf("checked %lld %s: the rollback restores the schema "
			   "(%zu items)\n",
		    (long long)m->version, m->name, items);
}

void
report_retry(struct report *r, const struct migration *m, size_t statement,
    const char *path, int line, const char *error, int attempt, int retries,
    int64_t wait_ms)
{
	(void)r;
	log_notice("version %lld statement %zu (%s:%d) could not get its lock: "
		   "%s; retry %d of %d in %lld ms",
	    (long long)m->version, statement, path, line, error, attempt,
	    retries, (long long)wait_ms);
}

void
report_resume(struct report *r, const struct migration *m, size_t statement,
    size_t of)
{
	(void)r;
	log_notice("resuming version %lld at statement %zu of %zu",
	    (long long)m->version, statement, of);
}

void
report_also_failed(struct report *r, const char *path, int line,
    int64_t version, size_t statement, const char *error)
{
	(void)r;
	log_error("%s:%d: version %lld statement %zu failed too: %s", path,
	    line, (long long)version, statement, error);
}

void
report_warn(struct report *r, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list    ap;

	(void)r;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	log_warn("%s", buf_cstr(&b));
	buf_free(&b);
}

/* One list of the run's items: the versions, or the repeatables. */
static void
item_list(const struct report *r, struct json *j, const char *key,
    bool repeatables)
{
	size_t i;

	json_key(j, key);
	json_array_begin(j);
	for (i = 0; i < r->n; i++) {
		if (r->v[i].repeatable != repeatables)
			continue;
		json_object_begin(j);
		if (repeatables) {
			json_key(j, "repeatable");
			json_string(j, r->v[i].name);
		} else {
			json_key(j, "version");
			json_int(j, r->v[i].version);
			json_key(j, "name");
			json_string(j, r->v[i].name);
		}
		json_key(j, "duration_ms");
		json_int(j, r->v[i].duration_ms);
		json_key(j, "statements");
		json_int(j, (int64_t)r->v[i].statements);
		if (r->v[i].phase != NULL) {
			json_key(j, "phase");
			json_string(j, r->v[i].phase);
		}
		json_object_end(j);
	}
	json_array_end(j);
}

static void
items(const struct report *r, struct json *j)
{
	size_t i;

	item_list(r, j,
	    r->completing ? "completed"
		: r->down ? "rolled_back"
			  : "applied",
	    false);
	/* The repeatables run after the versions, in a list of their own. */
	for (i = 0; i < r->n && !r->v[i].repeatable; i++)
		;
	if (i < r->n)
		item_list(r, j, "repeatables", true);
}

void
report_run_end(struct report *r, int64_t current)
{
	struct buf  doc = BUF_INIT;
	struct json j;
	size_t      i;

	if (!r->json) {
		if (r->n == 0)
			out_printf("nothing to %s; ",
			    r->completing ? "complete"
				: r->down ? "roll back"
					  : "apply");
		out_printf("current version: %lld\n", (long long)current);
		return;
	}
	json_init(&j, &doc);
	json_object_begin(&j);
	items(r, &j);
	if (r->checking) {
		json_key(&j, "rollbacks_checked");
		json_array_begin(&j);
		for (i = 0; i < r->nchecked; i++)
			json_int(&j, r->checked[i]);
		json_array_end(&j);
	}
	json_key(&j, "current");
	json_int(&j, current);
	json_object_end(&j);
	buf_addch(&doc, '\n');
	out_write(doc.ptr, doc.len);
	buf_free(&doc);
}

void
report_error_members(const struct report *r, struct json *j)
{
	if (r->started)
		items(r, j);
}

void
report_free(struct report *r)
{
	free(r->v);
	free(r->checked);
	memset(r, 0, sizeof(*r));
}

static void
db_notice_event(void *arg, const char *text)
{
	(void)arg;
	log_notice("%s", text);
}

static void
db_progress_event(void *arg, int slot, const char *line)
{
	(void)arg;
	if (line == NULL)
		progress_done(slot);
	else
		progress_set(slot, "%s", line);
}

static bool
db_progress_wanted_event(void *arg)
{
	(void)arg;
	return progress_enabled();
}

const struct db_events *
report_db_events(struct report *r)
{
	r->db_events.arg = r;
	r->db_events.notice = db_notice_event;
	r->db_events.progress = db_progress_event;
	r->db_events.progress_wanted = db_progress_wanted_event;
	return &r->db_events;
}
