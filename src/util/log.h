/*
 * log.h - the one way strata talks to people.
 *
 * Results go to stdout through out_*; diagnostics (warnings, notices,
 * progress, errors) go to stderr through log_*. With --json, stdout carries
 * only the JSON document, so nothing but the command's final writer may call
 * out_* then. Colour is used only on a terminal and never under NO_COLOR.
 */
#ifndef STRATA_LOG_H
#define STRATA_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_QUIET = 0, /* errors only */
	LOG_NORMAL = 1,
	LOG_VERBOSE = 2,
};

enum colour {
	C_NONE,
	C_BOLD,
	C_DIM,
	C_RED,
	C_GREEN,
	C_YELLOW,
	C_CYAN,
};

void           log_setup(enum log_level, bool json);
enum log_level log_get_level(void);
bool           log_json(void);
bool           log_stderr_tty(void);

void log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_verbose(const char *, ...) __attribute__((format(printf, 1, 2)));
/* A line of its own on stderr, no prefix (lint findings before a run). */
void log_plain(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * Live progress lines on stderr, one per slot (a running statement), only
 * when stderr is a terminal and neither -q nor --json is in effect. Other
 * output clears them first.
 */
#define PROGRESS_SLOTS 16
bool progress_enabled(void);
void
progress_set(int slot, const char *, ...) __attribute__((format(printf, 2, 3)));
void progress_done(int slot);
void progress_clear(void);

void out_printf(const char *, ...) __attribute__((format(printf, 1, 2)));
void out_write(const char *, size_t);
/* Escape sequences for colour on stdout, or "" when colour is off. */
const char *out_colour(enum colour);

#endif
