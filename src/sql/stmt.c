/*
 * stmt.c - statement kinds, statement lists, and segments.
 */
#include "stmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[KIND__COUNT] = {
	[KIND_OTHER] = "other",
	[KIND_CREATE_TABLE] = "create_table",
	[KIND_CREATE_INDEX] = "create_index",
	[KIND_CREATE_INDEX_CONCURRENTLY] = "create_index_concurrently",
	[KIND_DROP_INDEX] = "drop_index",
	[KIND_DROP_INDEX_CONCURRENTLY] = "drop_index_concurrently",
	[KIND_REINDEX] = "reindex",
	[KIND_REINDEX_CONCURRENTLY] = "reindex_concurrently",
	[KIND_ALTER_COLUMN_TYPE] = "alter_column_type",
	[KIND_ALTER_TABLE] = "alter_table",
	[KIND_PARTITION] = "partition",
	[KIND_DETACH_PARTITION_CONCURRENTLY] = "detach_partition_concurrently",
	[KIND_REFRESH_MATVIEW] = "refresh_materialized_view",
	[KIND_REFRESH_MATVIEW_CONCURRENTLY] =
	    "refresh_materialized_view_concurrently",
	[KIND_ANALYZE] = "analyze",
	[KIND_VACUUM] = "vacuum",
	[KIND_DROP_TABLE] = "drop_table",
	[KIND_CREATE_VIEW] = "create_view",
	[KIND_CREATE_FUNCTION] = "create_function",
	[KIND_CREATE_TRIGGER] = "create_trigger",
	[KIND_INSERT] = "insert",
	[KIND_UPDATE] = "update",
	[KIND_DELETE] = "delete",
	[KIND_SELECT] = "select",
	[KIND_TRANSACTION] = "transaction_control",
	[KIND_CREATE_MATVIEW] = "create_materialized_view",
	[KIND_DROP_VIEW] = "drop_view",
	[KIND_DROP_MATVIEW] = "drop_materialized_view",
	[KIND_DROP_FUNCTION] = "drop_function",
	[KIND_DROP_TRIGGER] = "drop_trigger",
	[KIND_DROP_TYPE] = "drop_type",
	[KIND_DROP_SEQUENCE] = "drop_sequence",
	[KIND_DROP_SCHEMA] = "drop_schema",
	[KIND_DROP_OTHER] = "drop_other",
	[KIND_CREATE_TYPE] = "create_type",
	[KIND_ALTER_TYPE] = "alter_type",
	[KIND_CREATE_SEQUENCE] = "create_sequence",
	[KIND_ALTER_SEQUENCE] = "alter_sequence",
	[KIND_CREATE_SCHEMA] = "create_schema",
	[KIND_CREATE_EXTENSION] = "create_extension",
	[KIND_RENAME] = "rename",
	[KIND_COMMENT] = "comment",
	[KIND_GRANT] = "grant",
	[KIND_CREATE_POLICY] = "create_policy",
	[KIND_SET] = "set",
	[KIND_PRAGMA] = "pragma",
	[KIND_LOCK] = "lock",
	[KIND_DO] = "do",
	[KIND_BASELINE] = "baseline",
	[KIND_REPAIR] = "repair",
	[KIND_BATCH_UPDATE] = "batch_update",
	[KIND_BATCH_DELETE] = "batch_delete",
	[KIND_BATCH_INSERT] = "batch_insert",
	[KIND_CREATE_INDEX_PARTITIONED] = "create_index_partitioned",
};

const char *
stmt_kind_name(enum stmt_kind kind)
{
	if ((unsigned)kind >= KIND__COUNT || kind_names[kind] == NULL)
		return "other";
	return kind_names[kind];
}

struct stmt *
stmt_list_push(struct stmt_list *l)
{
	ARRAY_GROW(l->v, l->n + 1, l->alloc);
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

void
stmt_list_free(struct stmt_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].relation);
		free(l->v[i].index);
		batch_spec_free(l->v[i].batch);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool
stmt_parallel_ok(const struct stmt *s)
{
	return s->kind == KIND_CREATE_INDEX_CONCURRENTLY ||
	    s->kind == KIND_DROP_INDEX_CONCURRENTLY ||
	    s->kind == KIND_REINDEX_CONCURRENTLY;
}

void
segments_build(struct segment_list *out, const struct stmt_list *stmts,
    size_t from, bool no_tx, const bool *done, bool parallel)
{
	out->v = NULL;
	out->n = 0;
	segments_add(out, stmts, from, stmts->n, no_tx, done, parallel);
}

void
segments_add(struct segment_list *out, const struct stmt_list *stmts,
    size_t from, size_t to, bool no_tx, const bool *done, bool parallel)
{
	size_t          i;
	struct segment *cur = NULL;

	/* Each statement is in one segment at most: n + 1 is room for all. */
	if (out->v == NULL)
		out->v = xcalloc(stmts->n + 1, sizeof(*out->v));
	for (i = from; i < to && i < stmts->n; i++) {
		const struct stmt *s = &stmts->v[i];
		bool               tx = !no_tx && !s->nontx;
		bool               par = parallel && stmt_parallel_ok(s);

		if (done != NULL && done[i]) {
			cur = NULL;
			continue;
		}
		if (cur != NULL && cur->first + cur->count == i &&
		    ((tx && cur->tx && !s->commit_before) ||
			(par && cur->parallel))) {
			cur->count++;
			continue;
		}
		cur = &out->v[out->n++];
		cur->first = i;
		cur->count = 1;
		cur->tx = tx;
		cur->parallel = par;
	}
}

void
segment_list_free(struct segment_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
batch_spec_free(struct batch_spec *b)
{
	if (b == NULL)
		return;
	free(b->table);
	free(b->qualifier);
	free(b);
}
