/*
 * log.c - stdout for results, stderr for everything else.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"

static enum log_level level = LOG_NORMAL;
static bool           json_mode;
static bool           colour_out;
static bool           colour_err;

static bool
want_colour(int fd)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc != NULL && nc[0] != '\0')
		return false;
	if (term != NULL && term[0] != '\0' &&
	    (term[0] == 'd' && term[1] == 'u' && term[2] == 'm'))
		return false;
	return isatty(fd);
}

void
log_setup(enum log_level lvl, bool json)
{
	level = lvl;
	json_mode = json;
	colour_out = !json && want_colour(STDOUT_FILENO);
	colour_err = want_colour(STDERR_FILENO);
}

enum log_level
log_get_level(void)
{
	return level;
}

bool
log_json(void)
{
	return json_mode;
}

bool
log_stderr_tty(void)
{
	return isatty(STDERR_FILENO);
}

/* The progress slots, and how many lines of them are on the screen. */
static char *slots[PROGRESS_SLOTS];
static int   drawn;

bool
progress_enabled(void)
{
	static int tty = -1;

	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	return tty && !json_mode && level >= LOG_NORMAL;
}

/* Erase the lines drawn, leaving the cursor where the first one began. */
static void
progress_erase(void)
{
	int i;

	if (drawn == 0)
		return;
	for (i = 1; i < drawn; i++)
		fputs("\033[A", stderr);
	fputs("\r\033[J", stderr);
	drawn = 0;
}

static void
progress_draw(void)
{
	int i;

	progress_erase();
	for (i = 0; i < PROGRESS_SLOTS; i++) {
		if (slots[i] == NULL)
			continue;
		fprintf(stderr, "%s%s", drawn ? "\n" : "", slots[i]);
		drawn++;
	}
	fflush(stderr);
}

void
progress_set(int slot, const char *fmt, ...)
{
	va_list ap;
	char    line[256];

	if (!progress_enabled() || slot < 0 || slot >= PROGRESS_SLOTS)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	free(slots[slot]);
	slots[slot] = xstrdup(line);
	progress_draw();
}

void
progress_done(int slot)
{
	if (slot < 0 || slot >= PROGRESS_SLOTS || slots[slot] == NULL)
		return;
	free(slots[slot]);
	slots[slot] = NULL;
	progress_draw();
}

void
progress_clear(void)
{
	int i;

	for (i = 0; i < PROGRESS_SLOTS; i++) {
		free(slots[i]);
		slots[i] = NULL;
	}
	progress_erase();
	fflush(stderr);
}

static void
emit(const char *prefix, const char *colour, const char *fmt, va_list ap)
{
	progress_clear();
	fflush(stdout);
	if (colour_err && colour)
		fprintf(stderr, "%s%s\033[0m", colour, prefix);
	else
		fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("", NULL, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	emit("strata: warning: ", "\033[33m", fmt, ap);
	va_end(ap);
}

void
log_notice(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	emit("strata: ", NULL, fmt, ap);
	va_end(ap);
}

void
log_plain(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	emit("", NULL, fmt, ap);
	va_end(ap);
}

void
log_verbose(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_VERBOSE)
		return;
	va_start(ap, fmt);
	emit("strata: ", "\033[2m", fmt, ap);
	va_end(ap);
}

void
out_printf(const char *fmt, ...)
{
	va_list ap;

	if (drawn)
		progress_clear();
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
}

void
out_write(const char *s, size_t n)
{
	if (drawn)
		progress_clear();
	fwrite(s, 1, n, stdout);
}

const char *
out_colour(enum colour c)
{
	if (!colour_out)
		return "";
	switch (c) {
	case C_NONE: return "\033[0m";
	case C_BOLD: return "\033[1m";
	case C_DIM: return "\033[2m";
	case C_RED: return "\033[31m";
	case C_GREEN: return "\033[32m";
	case C_YELLOW: return "\033[33m";
	case C_CYAN: return "\033[36m";
	}
	return "";
}
