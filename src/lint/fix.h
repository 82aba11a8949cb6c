/*
 * fix.h - lint --fix: a file rewritten into the safe form of what it says.
 *
 * A lint run over the files gives the findings; for each statement with a
 * finding that has a mechanical fix, fix_rules.c writes the statement's
 * safe form (several statements, commit lines, a backfill directive), and
 * fix.c puts those in place of the statement, with a comment above naming
 * the rule, keeping every other byte of the file. A statement that must
 * wait for the application (a DROP COLUMN) moves after a
 * '-- strata:contract' line, and the rollback file's undo of it moves
 * into the rollback's contract part. The caller lints the new text again
 * and repeats until nothing more is fixed.
 */
#ifndef STRATA_LINT_FIX_H
#define STRATA_LINT_FIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sql/sql.h"
#include "../util/buf.h"
#include "lint.h"

/* What a fix of a forward file asks of its rollback file. */
enum fix_note_kind {
	NOTE_MOVED,  /* a drop moved into the contract part */
	NOTE_RETYPE, /* a type change made by expand and contract */
	NOTE_RENAME, /* a rename made by expand and contract */
};

struct fix_note {
	enum fix_note_kind kind;
	int64_t            version;
	char              *table;  /* as lint names it (moves: bare) */
	char              *column; /* NULL: the table itself */
	char              *to;     /* RETYPE: the new type; RENAME: new name */
};

struct fix_notes {
	struct fix_note *v;
	size_t           n;
	size_t           alloc;
};

void fix_notes_free(struct fix_notes *);

/*
 * The fixed text of f (split, linted into r as `down`) in `out`; returns
 * how many statements were rewritten or moved. Findings that cannot be
 * fixed get their help extended with why. A forward file's moves into a
 * contract part are added to notes; a rollback file follows the notes of
 * its version.
 */
size_t fix_file(struct lint_run *, const struct sqlfile *, enum dialect,
    int64_t version, bool down, struct fix_notes *, struct buf *out);

/* fix_rules.c: the safe form of statement i of f for finding x. */
struct fix_ctx {
	struct lint_run       *run;
	const struct sqlfile  *f;
	size_t                 index;
	bool                   down;
	int64_t                version;
	const struct finding  *finding;
	struct buf            *contract; /* what goes into the contract part */
	struct fix_notes      *notes;    /* for the rollback file */
	const struct fix_note *undo;     /* rollback: the note it answers */
};

/*
 * The statements that replace statement ctx->index (with its header
 * comment), or NULL when the finding has no fix here: *why then says why
 * (NULL: the rule has no fix at all).
 */
char *fix_statement(const struct fix_ctx *, const char **why);
/*
 * fix_columns.c: in a rollback file, the note of its version's rename or
 * type change that statement i undoes (NULL: none), and its phased undo.
 */
const struct fix_note *fix_undo_note(const struct fix_notes *, int64_t version,
    const struct sqlfile *, size_t                                     i);
char                  *fix_undo(const struct fix_ctx *);
/* Has the rule a fix; is it a move into the contract part? */
bool fix_has(enum lint_rule);
bool fix_moves(enum lint_rule);

#endif
