/*
 * html_runs.c - the report's runs: log rows close in time and going one
 * way, each run a timeline of bars by duration, with its versions below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/tables.h"
#include "html_report.h"

/* Rows further apart than this start a new run. */
#define RUN_GAP_MS 60000

static const char *
dir(const struct entry *e)
{
	return e->v[LC_DIRECTION] ? e->v[LC_DIRECTION] : "";
}

static int64_t
stmt_no(const struct entry *e)
{
	return e->v[LC_STATEMENT] ? strtoll(e->v[LC_STATEMENT], NULL, 10) : 0;
}

/*
 * Does cur belong to prev's run? The same direction, soon after, and
 * further on: a later version (up), an earlier one (down), or a later
 * statement of the same one; a retried statement runs again.
 */
static bool
continues(const struct entry *prev, const struct entry *cur)
{
	bool down = strcmp(dir(cur), "down") == 0;

	if (strcmp(dir(prev), dir(cur)) != 0 ||
	    cur->at_ms - (prev->at_ms + prev->ms) > RUN_GAP_MS)
		return false;
	if (cur->version != prev->version)
		return down ? cur->version < prev->version
			    : cur->version > prev->version;
	return stmt_no(cur) > stmt_no(prev) ||
	    (prev->retried && stmt_no(cur) == stmt_no(prev));
}

/* "v240", or a repeatable's "R name" (its log rows have no version). */
static const char *
label(const struct entry *e, char *buf, size_t size)
{
	const char *t = e->v[LC_TEXT], *colon;

	if (e->v[LC_VERSION] != NULL)
		snprintf(buf, size, "v%s", e->v[LC_VERSION]);
	else if (t && t[0] == 'R' && t[1] == ' ' &&
	    (colon = strchr(t, ':')) != NULL)
		snprintf(buf, size, "%.*s", (int)(colon - t), t);
	else
		snprintf(buf, size, "v-");
	return buf;
}

/*
 * Under a run's bars, its versions in order, each with its statements and
 * time: the labels a bar too narrow for its own cannot show.
 */
static void
version_chips(FILE *f, const struct entry *e, size_t n)
{
	size_t i = 0, j;

	fputs("<div class=\"vs\">", f);
	while (i < n) {
		double ms = 0;

		char a[80], b[80];

		/* A phased version's two parts are two chips. */
		for (j = i; j < n && e[j].version == e[i].version &&
		     strcmp(e[j].phase, e[i].phase) == 0 &&
		     strcmp(label(&e[j], a, sizeof(a)),
			 label(&e[i], b, sizeof(b))) == 0;
		     j++)
			ms += e[j].ms;
		fprintf(f, "<span>");
		html_esc(f, label(&e[i], a, sizeof(a)));
		fprintf(f, "%s%s: %zu statement%s, ", *e[i].phase ? " " : "",
		    e[i].phase, j - i, j - i == 1 ? "" : "s");
		html_span_text(f, ms);
		fputs("</span>", f);
		i = j;
	}
	fputs("</div>", f);
}

/* Runs: each one's header and its statements as bars by duration. */
void
html_write_runs(FILE *f, const struct entry *e, size_t n)
{
	size_t i = 0, k = 0, j;

	fputs("<section id=\"runs\"><h2>Runs</h2><p class=\"legend\">", f);
	fputs("<span class=\"table\">tables</span><span class=\"index\">"
	      "indexes</span><span class=\"conc\">concurrently</span>"
	      "<span class=\"alter\">alter</span><span class=\"rewrite\">"
	      "type change</span><span class=\"data\">data</span><span "
	      "class=\"drop\">drop</span><span class=\"object\">views, "
	      "functions, types</span><span class=\"maint\">analyze, "
	      "vacuum</span><span class=\"other\">other</span> — outlined: "
	      "failed; striped: retried; yellow top: waited for replicas</p>",
	    f);
	while (i < n) {
		double total = 0;
		size_t fails = 0, retries = 0, start = i;

		for (j = i; j < n; j++) {
			if (j > i && !continues(&e[j - 1], &e[j]))
				break;
			total += e[j].ms;
			fails += e[j].failed;
			retries += e[j].retried;
		}
		fprintf(f, "<h3>Run %zu: %s, ", ++k,
		    e[i].v[LC_DIRECTION] ? e[i].v[LC_DIRECTION] : "?");
		html_when(f, e[i].at_ms);
		fprintf(f, ", %zu statements taking ", j - i);
		html_span_text(f, total);
		if (retries)
			fprintf(f, ", %zu retried", retries);
		if (fails)
			fprintf(f, ", <span class=\"bad\">%zu failed</span>",
			    fails);
		fputs("</h3><div class=\"tl\">", f);
		for (; i < j; i++) {
			char name[80];

			fprintf(f,
			    "<span class=\"%s%s%s%s\" style=\"flex-grow:%.3f\" "
			    "title=\"",
			    html_family(e[i].v[LC_KIND]),
			    e[i].failed ? " failed" : "",
			    e[i].retried ? " retried" : "",
			    e[i].waited ? " waited" : "",
			    /* Shares of the run: a sum under 1 leaves a gap. */
			    1000.0 * (e[i].ms + 0.001) /
				(total + 0.001 * (double)(j - start)));
			html_statement_title(f, &e[i]);
			/* Read without hovering: a screenshot, a print. */
			fputs("\">", f);
			html_esc(f, label(&e[i], name, sizeof(name)));
			fprintf(f, "%s%s %s</span>", *e[i].phase ? " " : "",
			    e[i].phase,
			    e[i].v[LC_KIND] ? e[i].v[LC_KIND] : "?");
		}
		fputs("</div>", f);
		version_chips(f, e + start, j - start);
	}
	fputs("</section>", f);
}
