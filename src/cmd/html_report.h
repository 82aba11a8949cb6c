/*
 * html_report.h - what the page's parts share (html_report.c writes the
 * page and its tables, html_runs.c the runs' timelines).
 */
#ifndef STRATA_HTML_REPORT_H
#define STRATA_HTML_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One log row as the page needs it, oldest first. */
struct entry {
	char *const *v; /* the row's columns (enum log_column) */
	double       at_ms;
	double       ms;
	int64_t      version;
	int64_t      index_bytes; /* -1: none */
	bool         rewrote;
	bool         retried, failed, waited;
	const char  *phase; /* "expand", "contract" (a phased file's), or "" */
};

/* Text for HTML; a kind's colour family (a CSS class). */
void        html_esc(FILE *, const char *);
const char *html_family(const char *kind);
/* A time (ms since the epoch), a duration, a row's hover text. */
void html_when(FILE *, double at_ms);
void html_span_text(FILE *, double ms);
void html_statement_title(FILE *, const struct entry *);
/* html_runs.c: each run's header, its statements as bars, its versions. */
void html_write_runs(FILE *, const struct entry *, size_t n);

#endif
