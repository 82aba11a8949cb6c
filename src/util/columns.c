/*
 * columns.c - rows of cells measured, then written padded to the widest.
 */
#include "columns.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
columns_init(struct columns *c, const struct column *col, size_t ncol)
{
	memset(c, 0, sizeof(*c));
	c->col = col;
	c->ncol = ncol;
	c->next = ncol; /* the first cell starts a row */
}

static struct columns_row *
current_row(struct columns *c)
{
	struct columns_row *r;

	if (c->next < c->ncol)
		return &c->rows[c->n - 1];
	ARRAY_GROW(c->rows, c->n + 1, c->alloc);
	r = &c->rows[c->n++];
	r->cells = xcalloc(c->ncol, sizeof(*r->cells));
	memset(&r->under, 0, sizeof(r->under));
	c->next = 0;
	return r;
}

void
columns_add(struct columns *c, const char *text, enum colour colour)
{
	struct columns_row *r = current_row(c);

	r->cells[c->next].text = xstrdup(text ? text : "");
	r->cells[c->next].colour = colour;
	c->next++;
}

void
columns_addf(struct columns *c, enum colour colour, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list    ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	columns_add(c, b.ptr ? b.ptr : "", colour);
	buf_free(&b);
}

void
columns_end_row(struct columns *c)
{
	c->next = c->ncol;
}

void
columns_under(struct columns *c, const char *fmt, ...)
{
	struct columns_row *r;
	va_list             ap;

	if (c->n == 0)
		return;
	r = &c->rows[c->n - 1];
	va_start(ap, fmt);
	buf_vaddf(&r->under, fmt, ap);
	va_end(ap);
	buf_addch(&r->under, '\n');
}

/* One line: each cell padded to its column, the last as it is. */
static void
write_line(const struct columns *c, const struct columns_cell *cells,
    const size_t *width, struct buf *out)
{
	size_t i, last = 0, start = out->len;

	for (i = 0; i < c->ncol; i++)
		if (cells[i].text && *cells[i].text)
			last = i;
	for (i = 0; i <= last; i++) {
		const char *t = cells[i].text ? cells[i].text : "";

		if (i > 0)
			buf_adds(out, "  ");
		if (cells[i].colour != C_NONE)
			buf_adds(out, out_colour(cells[i].colour));
		if (i == last)
			buf_adds(out, t);
		else
			buf_addpad(out, t, width[i], c->col[i].right);
		if (cells[i].colour != C_NONE)
			buf_adds(out, out_colour(C_NONE));
	}
	/* An empty cell padded last leaves no trailing blanks. */
	while (out->len > start && out->ptr[out->len - 1] == ' ')
		out->len--;
	buf_addch(out, '\n');
}

void
columns_write(const struct columns *c, struct buf *out)
{
	size_t              *width = xcalloc(c->ncol, sizeof(*width));
	struct columns_cell *head = xcalloc(c->ncol, sizeof(*head));
	size_t               i, k;

	for (k = 0; k < c->ncol; k++) {
		width[k] = strlen(c->col[k].head);
		for (i = 0; i < c->n; i++)
			if (c->rows[i].cells[k].text &&
			    strlen(c->rows[i].cells[k].text) > width[k])
				width[k] = strlen(c->rows[i].cells[k].text);
		head[k].text = (char *)c->col[k].head;
	}
	buf_adds(out, out_colour(C_BOLD));
	write_line(c, head, width, out);
	/* The bold ends before the line does. */
	out->len--;
	buf_adds(out, out_colour(C_NONE));
	buf_addch(out, '\n');
	for (i = 0; i < c->n; i++) {
		write_line(c, c->rows[i].cells, width, out);
		if (c->rows[i].under.len > 0)
			buf_add(out, c->rows[i].under.ptr,
			    c->rows[i].under.len);
	}
	free(head);
	free(width);
}

void
columns_free(struct columns *c)
{
	size_t i, k;

	for (i = 0; i < c->n; i++) {
		for (k = 0; k < c->ncol; k++)
			free(c->rows[i].cells[k].text);
		free(c->rows[i].cells);
		buf_free(&c->rows[i].under);
	}
	free(c->rows);
	memset(c, 0, sizeof(*c));
}
