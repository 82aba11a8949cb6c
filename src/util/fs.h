/*
 * fs.h - reading files whole, and small time helpers.
 */
#ifndef STRATA_FS_H
#define STRATA_FS_H

#include <stdint.h>
#include <sys/types.h>

#include "buf.h"

/* Read a whole file; on failure set the error record (exit code `code`). */
int fs_read(struct buf *, const char *path, int code);
/* The same without the error record: -1 and errno, *step "open" or "read". */
int fs_slurp(struct buf *, const char *path, const char **step);
/* Create a new file with the given content; fails if it exists. */
int fs_create_new(const char *path, const char *content);
/* Write a whole file aside and rename it over path: never seen half. */
int fs_replace(const char *path, const char *data, size_t len);
int fs_mkdir_p(const char *path);
/* The same without the error record: -1 and errno on failure. */
int fs_mkdirs(const char *path, mode_t mode);

/* Monotonic time in microseconds. */
int64_t time_mono_us(void);
/* Wall clock as ISO-8601 in UTC with milliseconds: 2026-11-22T13:02:11.123Z */
void time_iso_now(char out[32]);
void sleep_ms(int64_t);

#endif
