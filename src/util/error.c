/*
 * error.c - the error record.
 */
#include "error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* The one record: strata runs one thread (--jobs uses connections). */
static struct error last;

void
err_free(struct error *e)
{
	free(e->message);
	free(e->file);
	free(e->detail);
	free(e->hint);
	memset(e, 0, sizeof(*e));
}

void
err_clear(void)
{
	err_free(&last);
}

int
err_set(int code, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list    ap;

	err_clear();
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	last.code = code;
	last.message = buf_detach(&b);
	return -code;
}

int
err_set_code(int code)
{
	last.code = code;
	return -code;
}

void
err_set_version(int64_t version)
{
	last.version = version;
}

void
err_set_location(const char *file, int line, int column)
{
	free(last.file);
	last.file = file ? xstrdup(file) : NULL;
	last.line = line;
	last.column = column;
}

void
err_set_sqlstate(const char *state)
{
	memset(last.sqlstate, 0, sizeof(last.sqlstate));
	if (state)
		strncpy(last.sqlstate, state, sizeof(last.sqlstate) - 1);
}

void
err_set_detail(const char *detail, const char *hint)
{
	free(last.detail);
	free(last.hint);
	last.detail = detail ? xstrdup(detail) : NULL;
	last.hint = hint ? xstrdup(hint) : NULL;
}

void
err_prefix(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list    ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	buf_addf(&b, ": %s", last.message ? last.message : "");
	free(last.message);
	last.message = buf_detach(&b);
}

void
err_save(struct error *saved)
{
	*saved = last;
	memset(&last, 0, sizeof(last));
}

void
err_restore(struct error *saved)
{
	err_clear();
	last = *saved;
	memset(saved, 0, sizeof(*saved));
}

const struct error *
err_last(void)
{
	return &last;
}

static struct error *kept;
static size_t        nkept, kept_alloc;

void
err_keep(void)
{
	if (last.code == 0)
		return;
	if (nkept == kept_alloc) {
		kept_alloc = kept_alloc ? kept_alloc * 2 : 8;
		kept = xrealloc(kept, kept_alloc * sizeof(*kept));
	}
	err_save(&kept[nkept++]);
}

size_t
err_kept(const struct error **list)
{
	*list = kept;
	return nkept;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int
err_kept_end(void)
{
	const struct error *first = kept;

	if (nkept == 0)
		return 0;
	err_clear();
	last = *first;
	last.message = dup_or_null(first->message);
	last.file = dup_or_null(first->file);
	last.detail = dup_or_null(first->detail);
	last.hint = dup_or_null(first->hint);
	return -last.code;
}

void
err_kept_clear(void)
{
	while (nkept > 0)
		err_free(&kept[--nkept]);
}
