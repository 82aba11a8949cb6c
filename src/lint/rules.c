/*
 * rules.c - the table of lint rules: name, severity, what each reports.
 * The names are SPEC §6's; --exclude and the SARIF document use them.
 */
#include "lint.h"

#include <string.h>

#include "../util/error.h"

const struct lint_rule_info lint_rules[R__COUNT + 1] = {
	[R_REQUIRE_CONCURRENT_INDEX_CREATION] = { "require-concurrent-index-creation",
	    SEV_ERROR, "CREATE INDEX without CONCURRENTLY on an existing table",
	    false, true, false },
	[R_REQUIRE_CONCURRENT_INDEX_DELETION] = { "require-concurrent-index-deletion",
	    SEV_ERROR,
	    "DROP INDEX without CONCURRENTLY of an existing table's index",
	    false, true, false },
	[R_REQUIRE_CONCURRENT_REINDEX] = { "require-concurrent-reindex",
	    SEV_ERROR, "REINDEX without CONCURRENTLY", false, true, false },
	[R_REQUIRE_CONCURRENT_REFRESH] = { "require-concurrent-refresh",
	    SEV_ERROR,
	    "REFRESH MATERIALIZED VIEW without CONCURRENTLY of an existing "
	    "view",
	    false, true, false },
	[R_REQUIRE_CONCURRENT_PARTITION_DETACH] = { "require-concurrent-partition-detach",
	    SEV_ERROR, "DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+)",
	    false, true, false },
	[R_ATTACH_PARTITION_SCAN] = { "attach-partition-scan", SEV_ERROR,
	    "ATTACH PARTITION of an existing table whose bound no validated "
	    "CHECK implies: a scan under ACCESS EXCLUSIVE",
	    false, true, false },
	[R_DEFAULT_PARTITION_SCAN] = { "default-partition-scan", SEV_WARNING,
	    "a new partition of a table with a default partition: the default "
	    "is scanned under ACCESS EXCLUSIVE",
	    false, true, false },
	[R_PARTITIONED_UNIQUE_KEY] = { "partitioned-unique-key", SEV_ERROR,
	    "a unique index or constraint on a partitioned table without "
	    "every partition key column (PostgreSQL refuses it)",
	    false, true, false },
	[R_ADDING_FIELD_WITH_DEFAULT] = { "adding-field-with-default",
	    SEV_ERROR,
	    "ADD COLUMN with a volatile default, or GENERATED ... STORED, on "
	    "an existing table",
	    false, true, false },
	[R_ADDING_SERIAL_COLUMN] = { "adding-serial-column", SEV_ERROR,
	    "ADD COLUMN of a serial or identity type on an existing table",
	    false, true, false },
	[R_ADDING_REQUIRED_FIELD] = { "adding-required-field", SEV_ERROR,
	    "ADD COLUMN ... NOT NULL without a default on an existing table",
	    true, true, false },
	[R_ADDING_NOT_NULLABLE_FIELD] = { "adding-not-nullable-field",
	    SEV_ERROR,
	    "SET NOT NULL on an existing table without a validated CHECK",
	    false, true, false },
	[R_ADDING_PRIMARY_KEY] = { "adding-primary-key", SEV_ERROR,
	    "ADD PRIMARY KEY without USING INDEX on an existing table", false,
	    true, false },
	[R_DISALLOWED_UNIQUE_CONSTRAINT] = { "disallowed-unique-constraint",
	    SEV_ERROR, "ADD UNIQUE without USING INDEX on an existing table",
	    false, true, false },
	[R_ADDING_FOREIGN_KEY_CONSTRAINT] = { "adding-foreign-key-constraint",
	    SEV_ERROR,
	    "a foreign key added to an existing table without NOT VALID", false,
	    true, false },
	[R_CONSTRAINT_MISSING_NOT_VALID] = { "constraint-missing-not-valid",
	    SEV_ERROR,
	    "ADD CHECK without NOT VALID, or VALIDATE in the same transaction",
	    false, true, false },
	[R_ADDING_EXCLUSION_CONSTRAINT] = { "adding-exclusion-constraint",
	    SEV_ERROR, "ADD EXCLUDE on an existing table", false, true, false },
	[R_CHANGING_COLUMN_TYPE] = { "changing-column-type", SEV_ERROR,
	    "ALTER COLUMN ... TYPE that rewrites an existing table", false,
	    true, false },
	[R_REWRITING_TABLE] = { "rewriting-table", SEV_ERROR,
	    "VACUUM FULL, CLUSTER, SET LOGGED/UNLOGGED/TABLESPACE/ACCESS "
	    "METHOD on an existing table",
	    false, true, false },
	[R_UNBATCHED_DATA_CHANGE] = { "unbatched-data-change", SEV_WARNING,
	    "UPDATE or DELETE of an existing table without a WHERE", false,
	    true, false },
	[R_EXCLUSIVE_LOCK_HELD] = { "exclusive-lock-held", SEV_WARNING,
	    "more statements after one that took ACCESS EXCLUSIVE, in one "
	    "transaction",
	    false, true, false },
	[R_REQUIRE_LOCK_TIMEOUT] = { "require-lock-timeout", SEV_WARNING,
	    "a lock blocking traffic taken with no lock timeout", false, true,
	    false },
	[R_LOCK_TABLE] = { "lock-table", SEV_WARNING, "LOCK TABLE", false, true,
	    false },
	[R_BAN_DROP_COLUMN] = { "ban-drop-column", SEV_ERROR,
	    "DROP COLUMN of an existing table", true, true, true },
	[R_RENAMING_COLUMN] = { "renaming-column", SEV_ERROR, "RENAME COLUMN",
	    true, true, true },
	[R_RENAMING_TABLE] = { "renaming-table", SEV_ERROR,
	    "RENAME TO of a table", true, true, true },
	[R_BAN_DROP_TABLE] = { "ban-drop-table", SEV_ERROR,
	    "DROP TABLE of an existing table", true, true, true },
	[R_BAN_DROP_DATABASE] = { "ban-drop-database", SEV_ERROR,
	    "DROP DATABASE / DROP SCHEMA", false, true, true },
	[R_BAN_TRUNCATE_CASCADE] = { "ban-truncate-cascade", SEV_ERROR,
	    "TRUNCATE ... CASCADE", false, true, true },
	[R_IDENTIFIER_TOO_LONG] = { "identifier-too-long", SEV_ERROR,
	    "an identifier longer than 63 bytes", false, true, false },
	[R_PREFER_BIGINT_KEY] = { "prefer-bigint-key", SEV_WARNING,
	    "an integer or smallint primary key or identity column", false,
	    true, true },
	[R_PREFER_TIMESTAMPTZ] = { "prefer-timestamptz", SEV_WARNING,
	    "a timestamp without time zone column", false, true, true },
	[R_PREFER_TEXT_FIELD] = { "prefer-text-field", SEV_WARNING,
	    "varchar(n) / char(n) columns", false, true, true },
	[R_PREFER_IDENTITY] = { "prefer-identity", SEV_WARNING, "serial types",
	    false, true, true },
	[R_PREFER_JSONB] = { "prefer-jsonb", SEV_WARNING, "a json column",
	    false, true, true },
	[R_SQLITE_PRAGMA_IN_TRANSACTION] = { "sqlite-pragma-in-transaction",
	    SEV_ERROR,
	    "SQLite: PRAGMA foreign_keys / legacy_alter_table / journal_mode "
	    "in a transactional file",
	    true, false, false },
	[R_SQLITE_NON_CONSTANT_DEFAULT] = { "sqlite-non-constant-default",
	    SEV_ERROR, "SQLite: ADD COLUMN with a non-constant default", true,
	    false, false },
	[R_TRACED_REWRITE] = { "traced-rewrite", SEV_ERROR,
	    "--trace: a statement rewrote an existing table", false, true,
	    false },
	[R_TRACED_LONG_LOCK] = { "traced-long-lock", SEV_ERROR,
	    "--trace: ACCESS EXCLUSIVE on an existing table held past one "
	    "second",
	    false, true, false },
	[R_CONTRACT_BREAKS_EXPANDED] = { "contract-breaks-expanded", SEV_ERROR,
	    "a contract part drops or renames what an expand part of a "
	    "still-expanded earlier version uses",
	    true, true, false },
	[R_UNUSED_IGNORE] = { "unused-ignore", SEV_WARNING,
	    "an ignore comment that suppressed nothing", true, true, false },
	[R__COUNT] = { NULL, SEV_WARNING, NULL, false, false, false },
};

int
lint_exclude_add(struct lint_excludes *x, const char *list)
{
	size_t len = strlen(list);
	char  *p, *save = NULL, *tok;

	if (x->used + len + 1 > sizeof(x->text))
		return err_set(EXIT_USAGE, "too many rules to exclude");
	p = x->text + x->used;
	memcpy(p, list, len + 1);
	x->used += len + 1;
	for (tok = strtok_r(p, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (lint_rule_find(tok) == NULL)
			return err_set(EXIT_USAGE,
			    "'%s' is not a lint rule; did you mean '%s'? "
			    "('strata lint --list-rules' lists them)",
			    tok, lint_rule_nearest(tok));
		if (x->n == LINT_MAX_EXCLUDE)
			return err_set(EXIT_USAGE, "too many rules to exclude");
		x->v[x->n++] = tok;
	}
	x->v[x->n] = NULL;
	return 0;
}

const struct lint_rule_info *
lint_rule_find(const char *name)
{
	size_t i;

	for (i = 0; lint_rules[i].name != NULL; i++)
		if (strcmp(lint_rules[i].name, name) == 0)
			return &lint_rules[i];
	return NULL;
}

/* Edits (insert, delete, replace) that make a into b. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[64], cur[64];

	if (lb >= 64)
		lb = 63;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins)
					   : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(*prev));
	}
	return prev[lb];
}

const char *
lint_rule_nearest(const char *name)
{
	const char *best = lint_rules[0].name;
	size_t      i, d, least = SIZE_MAX;

	for (i = 0; lint_rules[i].name != NULL; i++)
		if ((d = edit_distance(name, lint_rules[i].name)) < least) {
			least = d;
			best = lint_rules[i].name;
		}
	return best;
}
