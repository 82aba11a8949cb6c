/*
 * error.h - the error record, and the exit codes.
 *
 * A failing function calls err_set(code, ...) and returns what it returns (a
 * negative number); callers pass it up and clean up on the way. Only main.c
 * prints the record and turns it into the process exit code.
 */
#ifndef STRATA_ERROR_H
#define STRATA_ERROR_H

#include <stddef.h>
#include <stdint.h>

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAILED = 1,  /* a migration or rollback statement failed */
	EXIT_USAGE = 2,   /* usage or configuration error */
	EXIT_INVALID = 3, /* validation refused the run */
	EXIT_LOCK = 4,    /* migration lock not obtained in time */
	EXIT_DB = 5,      /* connection or database failure */
};

struct error {
	int     code; /* an enum exit_code, 0 when clear */
	char   *message;
	int64_t version; /* 0 when not about one version */
	char   *file;
	int     line;   /* 1-based, 0 unknown */
	int     column; /* 1-based characters, 0 unknown */
	char    sqlstate[6];
	char   *detail;
	char   *hint;
};

/* Set the record (replacing any earlier one); returns -code. */
int err_set(int code, const char *, ...) __attribute__((format(printf, 2, 3)));
/* Change the exit code of the record; returns -code. */
int  err_set_code(int code);
void err_set_version(int64_t);
void err_set_location(const char *file, int line, int column);
void err_set_sqlstate(const char *);
void err_set_detail(const char *detail, const char *hint);
/* Put context in front of the message: "what: message". */
void err_prefix(const char *, ...) __attribute__((format(printf, 1, 2)));
const struct error *err_last(void);
/* Move the record out (to keep it across calls that may fail), and back. */
void err_save(struct error *);
void err_restore(struct error *);
/* Free a saved record that is not wanted after all. */
void err_free(struct error *);
void err_clear(void);

/*
 * Checks that go on after a problem to report every one (SPEC §5): keep
 * the record in a list and look further; at the end the first kept one
 * becomes the record again.
 */
void err_keep(void);
/* The problems kept so far, in order. */
size_t err_kept(const struct error **list);
/* The first kept problem as the record (returns -code), or 0 if none. */
int err_kept_end(void);
/* Forget the kept problems. */
void err_kept_clear(void);

#endif
