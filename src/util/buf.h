/*
 * buf.h - an owned, growable string, and the x-allocators.
 *
 * A buf is always NUL-terminated once anything was added, so buf.ptr can be
 * handed to C string APIs. Allocation failure aborts with a message: running
 * out of memory is not an error code threaded through every call.
 */
#ifndef STRATA_BUF_H
#define STRATA_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char  *ptr;
	size_t len;
	size_t cap;
};

#define BUF_INIT \
	{ \
		NULL, 0, 0 \
	}

/*
 * Make room for at least need elements in array a, whose capacity is
 * alloc (an lvalue, updated). Capacity doubles, so n appends cost O(n).
 */
#define ARRAY_GROW(a, need, alloc) \
	((a) = array_grow((a), &(alloc), (need), sizeof(*(a))))

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *array_grow(void *, size_t *alloc, size_t need, size_t size);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);

void buf_grow(struct buf *, size_t extra);
void buf_add(struct buf *, const void *, size_t);
void buf_adds(struct buf *, const char *);
void buf_addch(struct buf *, int);
void
buf_addf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *, const char *, va_list);
/* s, padded with spaces to width bytes: after it, or with `right` before. */
void buf_addpad(struct buf *, const char *s, size_t width, bool right);
/* v in decimal into out (room for 21 bytes); returns the length. */
size_t fmt_int(char *out, long long v);
void   buf_reset(struct buf *);
/* Keep the first len bytes (no more than there are). */
void        buf_truncate(struct buf *, size_t len);
const char *buf_cstr(const struct buf *);
char       *buf_detach(struct buf *);
void        buf_free(struct buf *);

#endif
