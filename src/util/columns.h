/*
 * columns.h - text in aligned columns under a heading (columns.c): status,
 * log, the fleet's summary and matrix, lint --list-rules.
 *
 * Each column is as wide as its widest cell or heading; the last column is
 * not padded, so free text may run on there. Colour wraps a cell's text
 * and does not count toward its width.
 */
#ifndef STRATA_COLUMNS_H
#define STRATA_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "log.h"

struct column {
	const char *head;
	bool        right; /* aligned right (numbers, durations) */
};

struct columns_cell {
	char       *text;
	enum colour colour;
};

struct columns_row {
	struct columns_cell *cells; /* ncol of them; NULL text: empty */
	struct buf           under; /* lines printed under the row, as is */
};

struct columns {
	const struct column *col;
	size_t               ncol;
	struct columns_row  *rows;
	size_t               n;
	size_t               alloc;
	size_t               next; /* the current row's next cell */
};

void columns_init(struct columns *, const struct column *, size_t ncol);
/* The next cell of the current row; a full row starts a new one. */
void columns_add(struct columns *, const char *text, enum colour);
void columns_addf(struct columns *, enum colour, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* End the current row early: the cells left are empty. */
void columns_end_row(struct columns *);
/* A line under the current row, not in the columns. */
void columns_under(struct columns *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The heading (bold) and the rows, into out. */
void columns_write(const struct columns *, struct buf *out);
void columns_free(struct columns *);

#endif
