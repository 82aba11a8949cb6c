/*
 * error.c - the error record.
 */
#include "error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* One per thread; err_save moves a record from one thread to another. */
static _Thread_local struct error last;

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
