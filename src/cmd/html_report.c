/*
 * html_report.c - strata report --html FILE: one self-contained page of
 * the optimization log (no script, no font, nothing from the network):
 * a timeline of each run, the largest indexes built, the tables
 * rewritten, the slowest statements, and each version up and down.
 *
 * The log keeps no run id: a run is told from the rows' order (see
 * continues()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/tables.h"
#include "../util/error.h"
#include "../util/fs.h"
#include "../util/json_read.h"
#include "../util/log.h"
#include "cmd.h"
#include "html_report.h"

#define TOP_N 20

static struct {
	const char *path;
} args;

static double
parse_at(const char *s)
{
	struct tm tm;
	int       ms = 0;
	char     *end;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || (end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return 0;
	if (*end == '.')
		ms = atoi(end + 1);
	return (double)timegm(&tm) * 1000.0 + ms;
}

/* Which part of a phased file the statement was in, or "". */
static const char *
fact_phase(const char *facts)
{
	if (json_member_is(facts, "phase", "expand"))
		return "expand";
	if (json_member_is(facts, "phase", "contract"))
		return "contract";
	return "";
}

void
html_esc(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

/* The colour family of a statement kind (a CSS class). */
const char *
html_family(const char *kind)
{
	static const struct {
		const char *prefix, *family;
	} map[] = {
		{ "create_index_concurrently", "conc" },
		{ "drop_index_concurrently", "conc" },
		{ "reindex_concurrently", "conc" },
		{ "refresh_materialized_view_concurrently", "conc" },
		{ "detach_partition_concurrently", "conc" },
		{ "create_index", "index" },
		{ "reindex", "index" },
		{ "alter_column_type", "rewrite" },
		{ "alter", "alter" },
		{ "rename", "alter" },
		{ "create_table", "table" },
		{ "partition", "table" },
		{ "batch_", "data" },
		{ "insert", "data" },
		{ "update", "data" },
		{ "delete", "data" },
		{ "drop", "drop" },
		{ "create_", "object" },
		{ "refresh", "object" },
		{ "analyze", "maint" },
		{ "vacuum", "maint" },
	};
	size_t i;

	for (i = 0; kind && i < sizeof(map) / sizeof(map[0]); i++)
		if (strncmp(kind, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].family;
	return "other";
}

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
    "h1{margin:0}.meta{color:#666}nav a{margin-right:1em}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "td,th{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left;"
    "vertical-align:top}td.n,th.n{text-align:right}"
    "code{font:12px ui-monospace,monospace;white-space:pre-wrap}"
    ".tl{display:flex;height:28px;border:1px solid #ccc;margin:4px 0 2px;"
    "background:#fafafa}.tl span{min-width:1px;flex-basis:0;"
    "box-sizing:border-box;border-right:1px solid #fff;overflow:hidden;"
    "white-space:nowrap;font:11px/28px system-ui,sans-serif;color:#fff;"
    "padding-left:2px}"
    ".vs{margin:0 0 10px;font-size:12px;color:#444}.vs span{display:"
    "inline-block;border:1px solid #ccc;border-radius:3px;padding:0 5px;"
    "margin:0 4px 2px 0;background:#f4f4f4}"
    ".legend span{display:inline-block;padding:0 6px;margin-right:4px;"
    "color:#fff}"
    ".table{background:#3b73b9}.index{background:#2e9b4f}"
    ".conc{background:#12a3a3}.alter{background:#e08a1e}"
    ".rewrite{background:#d2452c}.data{background:#7d4cc2}"
    ".drop{background:#888}.object{background:#8a6440}"
    ".maint{background:#9a9a2a}.other{background:#b5b5b5}"
    ".tl span.failed{outline:3px solid #c00;outline-offset:-3px}"
    ".tl span.retried{background-image:repeating-linear-gradient(45deg,"
    "transparent 0 3px,#fff8 3px 6px)}"
    ".tl span.waited{border-top:6px solid #f2c200}"
    ".bad{color:#c00;font-weight:bold}";

void
html_when(FILE *f, double at_ms)
{
	char      out[32];
	time_t    t = (time_t)(at_ms / 1000.0);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d %H:%M:%SZ", &tm);
	fputs(out, f);
}

void
html_span_text(FILE *f, double ms)
{
	if (ms < 1000)
		fprintf(f, "%.1f ms", ms);
	else
		fprintf(f, "%.1f s", ms / 1000.0);
}

void
html_statement_title(FILE *f, const struct entry *e)
{
	fprintf(f, "v%s #%s %s, %.1f ms, %s",
	    e->v[LC_VERSION] ? e->v[LC_VERSION] : "-",
	    e->v[LC_STATEMENT] ? e->v[LC_STATEMENT] : "-",
	    e->v[LC_KIND] ? e->v[LC_KIND] : "?", e->ms,
	    e->v[LC_OUTCOME] ? e->v[LC_OUTCOME] : "");
	if (e->waited)
		fputs(", waited for replicas", f);
	fputs(": ", f);
	html_esc(f, e->v[LC_TEXT]);
	if (e->v[LC_ERROR]) {
		fputs(" — ", f);
		html_esc(f, e->v[LC_ERROR]);
	}
}

static int
by_index_size(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;

	return x->index_bytes < y->index_bytes ? 1
	    : x->index_bytes > y->index_bytes  ? -1
					       : 0;
}

static int
by_duration(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;

	return x->ms < y->ms ? 1 : x->ms > y->ms ? -1 : 0;
}

static void
size_text(FILE *f, int64_t b)
{
	if (b >= 1 << 30)
		fprintf(f, "%.1f GB", (double)b / (1 << 30));
	else if (b >= 1 << 20)
		fprintf(f, "%.1f MB", (double)b / (1 << 20));
	else
		fprintf(f, "%.1f kB", (double)b / 1024);
}

static void
statement_row(FILE *f, const struct entry *e, bool size)
{
	fprintf(f, "<tr><td class=\"n\">%s</td><td>%s</td><td>%s</td>",
	    e->v[LC_VERSION] ? e->v[LC_VERSION] : "-",
	    e->v[LC_DIRECTION] ? e->v[LC_DIRECTION] : "",
	    e->v[LC_KIND] ? e->v[LC_KIND] : "");
	if (size) {
		fputs("<td class=\"n\">", f);
		size_text(f, e->index_bytes);
		fputs("</td>", f);
	}
	fprintf(f, "<td class=\"n\">%.1f ms</td><td><code>", e->ms);
	html_esc(f, e->v[LC_TEXT]);
	fputs("</code></td></tr>", f);
}

/* A table of up to TOP_N entries that pass keep, sorted by cmp. */
static void
write_top(FILE *f, const struct entry *e, size_t n, const char *id,
    const char *title, bool (*keep)(const struct entry *),
    int (*cmp)(const void *, const void *), bool size)
{
	const struct entry **pick = xcalloc(n + 1, sizeof(*pick));
	size_t               m = 0, i;

	for (i = 0; i < n; i++)
		if (keep(&e[i]))
			pick[m++] = &e[i];
	if (cmp != NULL)
		qsort(pick, m, sizeof(*pick), cmp);
	fprintf(f, "<section id=\"%s\"><h2>%s</h2>", id, title);
	if (m == 0)
		fputs("<p>None in the log.</p>", f);
	else {
		fputs("<table><tr><th class=\"n\">version</th><th>dir</th>"
		      "<th>kind</th>",
		    f);
		if (size)
			fputs("<th class=\"n\">size</th>", f);
		fputs("<th class=\"n\">took</th><th>statement</th></tr>", f);
		for (i = 0; i < m && i < TOP_N; i++)
			statement_row(f, pick[i], size);
		fputs("</table>", f);
	}
	fputs("</section>", f);
	free(pick);
}

static bool
built_index(const struct entry *e)
{
	return e->index_bytes >= 0;
}

static bool
rewrote(const struct entry *e)
{
	return e->rewrote;
}

static bool
any(const struct entry *e)
{
	(void)e;
	return true;
}

static int
by_version(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;

	return x->version < y->version ? -1 : x->version > y->version;
}

/* Each version: its statements and time up and down, and failures. */
static void
write_versions(FILE *f, const struct entry *e, size_t n)
{
	const struct entry **by = xcalloc(n + 1, sizeof(*by));
	size_t               i, k;

	for (i = 0; i < n; i++)
		by[i] = &e[i];
	qsort(by, n, sizeof(*by), by_version);
	fputs("<section id=\"versions\"><h2>Versions</h2><table><tr>"
	      "<th class=\"n\">version</th><th class=\"n\">up</th>"
	      "<th class=\"n\">statements</th><th class=\"n\">down</th>"
	      "<th class=\"n\">statements</th><th class=\"n\">failures"
	      "</th></tr>",
	    f);
	for (i = 0; i < n; i = k) {
		double up = 0, down = 0;
		size_t nup = 0, ndown = 0, bad = 0;

		for (k = i; k < n && by[k]->version == by[i]->version; k++) {
			const char *d = by[k]->v[LC_DIRECTION];

			if (d && strcmp(d, "down") == 0) {
				down += by[k]->ms;
				ndown++;
			} else {
				up += by[k]->ms;
				nup++;
			}
			bad += by[k]->failed;
		}
		if (by[i]->version <= 0)
			continue;
		fprintf(f,
		    "<tr><td class=\"n\">%lld</td><td class=\"n\">%.1f ms</td>"
		    "<td class=\"n\">%zu</td><td class=\"n\">%.1f ms</td>"
		    "<td class=\"n\">%zu</td><td class=\"n%s\">%zu</td></tr>",
		    (long long)by[i]->version, up, nup, down, ndown,
		    bad ? " bad" : "", bad);
	}
	fputs("</table></section>", f);
	free(by);
}

static void
write_page(FILE *f, const struct ctx *ctx, struct entry *e, size_t n)
{
	char now[32];

	time_iso_now(now);
	fputs("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\">"
	      "<title>strata report</title><style>",
	    f);
	fputs(css, f);
	fputs("</style></head><body><h1>strata report</h1><p class=\"meta\">",
	    f);
	html_esc(f, ctx->target.db->url_masked);
	fprintf(f, " (%s), %zu log rows, written %s</p>",
	    ctx->target.db->ops->name, n, now);
	fputs("<nav><a href=\"#runs\">Runs</a><a href=\"#indexes\">Largest "
	      "indexes</a><a href=\"#rewrites\">Tables rewritten</a><a "
	      "href=\"#slowest\">Slowest statements</a><a href=\"#versions\">"
	      "Versions</a></nav>",
	    f);
	if (n == 0)
		fputs("<p>The optimization log is empty.</p>", f);
	else {
		html_write_runs(f, e, n);
		write_top(f, e, n, "indexes", "Largest indexes built",
		    built_index, by_index_size, true);
		write_top(f, e, n, "rewrites", "Tables rewritten", rewrote,
		    NULL, false);
		write_top(f, e, n, "slowest", "Slowest statements", any,
		    by_duration, false);
		write_versions(f, e, n);
	}
	fputs("</body></html>\n", f);
}

static int
cmd_report_exec(struct ctx *ctx)
{
	struct log_rows rows = { NULL, 0, 0 };
	struct entry   *e;
	char           *page = NULL;
	size_t          size = 0;
	FILE           *f;
	size_t          i;
	int             rc = 0;

	if (ctx->target.tables_exist &&
	    (rc = log_load(ctx->target.db, 0, 0, &rows)) < 0)
		return rc;
	e = xcalloc(rows.n + 1, sizeof(*e));
	/* log_load gives the newest first. */
	for (i = 0; i < rows.n; i++) {
		struct entry *x = &e[rows.n - 1 - i];
		char *const  *v = rows.v[i].v;

		x->v = v;
		x->at_ms = parse_at(v[LC_AT]);
		x->ms = v[LC_DURATION] ? strtod(v[LC_DURATION], NULL) : 0;
		x->version = v[LC_VERSION] ? strtoll(v[LC_VERSION], NULL, 10)
					   : 0;
		x->index_bytes = json_member_int(v[LC_FACTS],
		    "index_size_bytes", -1);
		x->rewrote = json_member_true(v[LC_FACTS], "table_rewritten");
		x->failed = v[LC_OUTCOME] &&
		    strcmp(v[LC_OUTCOME], "error") == 0;
		x->retried = (v[LC_OUTCOME] &&
				 strcmp(v[LC_OUTCOME], "retried") == 0) ||
		    json_member_int(v[LC_FACTS], "lock_retries", 0) > 0;
		x->waited = json_member_int(v[LC_FACTS], "replica_wait_ms", 0) >
		    0;
		x->phase = fact_phase(v[LC_FACTS]);
	}
	/* Built in memory, then written aside and renamed (fs_replace). */
	if ((f = open_memstream(&page, &size)) == NULL) {
		rc = err_set(EXIT_USAGE, "cannot build the page: %s",
		    strerror(errno));
		goto out;
	}
	write_page(f, ctx, e, rows.n);
	fclose(f);
	if ((rc = fs_replace(args.path, page, size)) < 0)
		goto out;
	if (!ctx->json)
		out_printf("wrote %s (%zu log rows)\n", args.path, rows.n);
	else {
		struct buf  doc = BUF_INIT;
		struct json j;

		json_init(&j, &doc);
		json_object_begin(&j);
		json_key(&j, "file");
		json_string(&j, args.path);
		json_key(&j, "rows");
		json_int(&j, (int64_t)rows.n);
		json_object_end(&j);
		json_emit(&doc);
		buf_free(&doc);
	}
out:
	free(page);
	free(e);
	log_rows_free(&rows);
	return rc;
}

static int
cmd_report_parse(struct ctx *ctx, int argc, char **argv)
{
	static const struct opt_spec opts[] = {
		{ "html", 0, true, 1 },
		{ NULL, 0, false, 0 },
	};
	struct opt_iter it;
	int             id;

	(void)ctx;
	args.path = NULL;
	opt_init(&it, argc, argv);
	while ((id = opt_next(&it, opts)) != OPT_END) {
		if (id == OPT_ERROR)
			return -EXIT_USAGE;
		if (id == OPT_POSITIONAL)
			return err_set(EXIT_USAGE,
			    "report takes no argument ('%s')", it.arg);
		args.path = it.arg;
	}
	if (args.path == NULL)
		return err_set(EXIT_USAGE, "report needs --html FILE");
	return 0;
}

static const struct cmd_option report_help[] = {
	{ "--html FILE", "the page to write (written aside, then renamed)" },
	{ NULL, NULL },
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "--html FILE",
	.summary = "write one self-contained HTML page of the optimization log",
	.options = report_help,
	.flags = CMD_DB | CMD_ONE_DB, /* one FILE */
	.parse = cmd_report_parse,
	.exec = cmd_report_exec,
};
