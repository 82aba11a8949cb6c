/*
 * fix_text.h - what fix_rules.c and fix_columns.c write with (fix_text.c):
 * one statement being fixed, its tokens and tree, and the output.
 */
#ifndef STRATA_LINT_FIX_TEXT_H
#define STRATA_LINT_FIX_TEXT_H

#include <pg_query/pg_query.pb-c.h>
#include <stdbool.h>
#include <stddef.h>

#include "../sql/pg_classify.h"
#include "../sql/pg_parse.h"
#include "../util/buf.h"
#include "fix.h"

struct fx {
	const struct fix_ctx *c;
	const char           *text; /* the file's */
	const struct stmt    *s;
	size_t                body; /* statement bytes before a final ';' */
	struct pg_tree       *tree;
	const PgQuery__Node  *node;
	struct sql_token     *tok;
	size_t                ntok;
	struct buf            out;
};

/*
 * Begin on statement c->index: its text (fx_begin), and its tree and
 * tokens too (fx_open; false when it has no tree). fx_close frees them
 * and whatever of x->out was not taken (buf_detach).
 */
void fx_begin(struct fx *, const struct fix_ctx *);
bool fx_open(struct fx *, const struct fix_ctx *);
void fx_close(struct fx *);
/* The statement's text from `at` to `end` (relative to it), to x->out. */
void fx_span(struct fx *, size_t at, size_t end);
/* Token k is the word w (any case); the first such from k on, or ntok. */
bool   fx_word_is(const struct fx *, size_t k, const char *w);
size_t fx_find_word(const struct fx *, size_t k, const char *w);
/* The token at loc (relative to the statement), or ntok; its offset. */
size_t fx_token_at(const struct fx *, int loc);
size_t fx_rel_off(const struct fx *, size_t k);
/* A (qualified) name as written at loc, in a new string. */
char *fx_name_at(const struct fx *, int loc);
/* A name, double-quoted when it must be. */
void fx_ident(struct buf *, const char *name);
/* PostgreSQL's makeObjectName: name1_name2_label within 63 bytes. */
char *fx_object_name(const char *name1, const char *name2, const char *label);
/* A String node's text, or NULL; a list of names joined by sep. */
const char *fx_str(const PgQuery__Node *);
void
fx_names(struct buf *, PgQuery__Node **, size_t, const char *sep, bool quote);
/* A name for something temporary no other object has. */
char *fx_temp_name(const struct fx *, const char *table, const char *what);
/* The comment above a rewritten statement, naming its rule. */
void fx_header(struct fx *, const char *what);
void fx_header_to(struct buf *, const char *rule, const char *what);
/* fix_tables.c: keys, volatile defaults, ATTACH PARTITION. */
char *fx_fix_key(struct fx *, const char **why);
char *fx_fix_volatile_default(struct fx *, const char **why);
char *fx_fix_attach(struct fx *, const char **why);
/* fix_columns.c: a type change, a rename, by expand and contract. */
char *fx_fix_retype(struct fx *, const char **why);
char *fx_fix_rename(struct fx *, const char **why);
/* The statement with word token k followed by " CONCURRENTLY". */
void fx_concurrently_after(struct fx *, size_t k);
/*
 * ADD CONSTRAINT name CHECK (check) NOT VALID, a commit line, and its
 * VALIDATE; fx_not_null_check with the check "col IS NOT NULL".
 */
void fx_check_validated(struct buf *, const char *rel, const char *name,
    const char *check);
void fx_not_null_check(struct buf *, const char *rel, const char *name,
    const char *col);
/* The steps that make col NOT NULL with no scan under a lock, to b. */
void fx_not_null_steps(const struct fx *, struct buf *b, const char *rel,
    const char *table, const char *col, const char *then);
/* Visit every node of a tree. */
void fx_walk(const ProtobufCMessage *,
    void (*fn)(const ProtobufCMessage *, void *), void *arg);
/* The one ALTER TABLE action of the statement, or NULL. */
const PgQuery__AlterTableCmd *
fx_only_cmd(const struct fx *, const PgQuery__AlterTableStmt **);
/* " NOT VALID;", a commit line, VALIDATE of name; frees rel and name. */
char *fx_validate_after(struct fx *, char *rel, char *name);
/* Has the table a key a backfill can walk before this file? */
bool fx_key_before(const struct fx *, const PgQuery__RangeVar *);
/* Where a column constraint's clause ends (relative to the statement). */
size_t fx_clause_end(const struct fx *, const PgQuery__ColumnDef *, int loc);

#endif
