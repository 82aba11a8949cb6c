/*
 * pg_builtins.h - PostgreSQL's built-in functions and their volatility,
 * for judging defaults without a database (pg_builtins.c, generated).
 */
#ifndef STRATA_PG_BUILTINS_H
#define STRATA_PG_BUILTINS_H

/* 1: a volatile built-in, 0: a built-in that is not, -1: no built-in. */
int pg_builtin_volatile(const char *name);

#endif
