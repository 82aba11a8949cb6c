/*
 * pg_classify.c - what a PostgreSQL statement is, from its parse tree:
 * its kind, whether it must run outside a transaction, the table and
 * index it works on. Reads trees only (pg_query.pb-c.h); pg_parse.c, the
 * one includer of <pg_query.h>, makes them.
 */
#include "pg_classify.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/error.h"

char *
pg_range_name(const PgQuery__RangeVar *rv)
{
	struct buf b = BUF_INIT;

	if (rv == NULL || rv->relname == NULL || rv->relname[0] == '\0')
		return NULL;
	if (rv->schemaname && rv->schemaname[0])
		buf_addf(&b, "%s.", rv->schemaname);
	buf_adds(&b, rv->relname);
	return buf_detach(&b);
}

char *
pg_list_name(const PgQuery__Node *n)
{
	struct buf b = BUF_INIT;
	size_t     i;

	if (n != NULL && n->node_case == PG_QUERY__NODE__NODE_STRING)
		return xstrdup(n->string->sval);
	if (n == NULL || n->node_case != PG_QUERY__NODE__NODE_LIST)
		return NULL;
	for (i = 0; i < n->list->n_items; i++) {
		const PgQuery__Node *it = n->list->items[i];

		if (it->node_case != PG_QUERY__NODE__NODE_STRING)
			continue;
		if (b.len)
			buf_addch(&b, '.');
		buf_adds(&b, it->string->sval);
	}
	return b.len ? buf_detach(&b) : NULL;
}

static bool
has_defelem(PgQuery__Node **params, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (params[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    strcmp(params[i]->def_elem->defname, name) == 0)
			return true;
	return false;
}

/* The kind of a DROP of anything but an index or a table. */
static enum stmt_kind
drop_kind(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW: return KIND_DROP_VIEW;
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW: return KIND_DROP_MATVIEW;
	case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
	case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE: return KIND_DROP_FUNCTION;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER: return KIND_DROP_TRIGGER;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN: return KIND_DROP_TYPE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE: return KIND_DROP_SEQUENCE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA: return KIND_DROP_SCHEMA;
	default: return KIND_DROP_OTHER;
	}
}

static void
classify_alter_table(struct stmt *st, const PgQuery__AlterTableStmt *a)
{
	size_t i;

	st->kind = KIND_ALTER_TABLE;
	st->relation = pg_range_name(a->relation);
	for (i = 0; i < a->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c;

		if (a->cmds[i]->node_case !=
		    PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		c = a->cmds[i]->alter_table_cmd;
		switch (c->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			st->kind = KIND_ALTER_COLUMN_TYPE;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
			st->kind = KIND_PARTITION;
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
			st->kind = KIND_PARTITION;
			if (c->def &&
			    c->def->node_case ==
				PG_QUERY__NODE__NODE_PARTITION_CMD &&
			    c->def->partition_cmd->concurrent) {
				st->kind = KIND_DETACH_PARTITION_CONCURRENTLY;
				st->nontx = true;
				return;
			}
			break;
		default: break;
		}
	}
}

void
pg_classify(struct stmt *st, const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT: {
		const PgQuery__IndexStmt *x = n->index_stmt;

		st->kind = x->concurrent ? KIND_CREATE_INDEX_CONCURRENTLY
					 : KIND_CREATE_INDEX;
		st->nontx = x->concurrent;
		st->if_not_exists = x->if_not_exists;
		st->relation = pg_range_name(x->relation);
		if (x->idxname && x->idxname[0]) {
			struct buf b = BUF_INIT;

			/* An index lives in its table's schema. */
			if (x->relation && x->relation->schemaname &&
			    x->relation->schemaname[0])
				buf_addf(&b, "%s.", x->relation->schemaname);
			buf_adds(&b, x->idxname);
			st->index = buf_detach(&b);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_DROP_STMT: {
		const PgQuery__DropStmt *x = n->drop_stmt;

		if (x->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
			st->kind = x->concurrent ? KIND_DROP_INDEX_CONCURRENTLY
						 : KIND_DROP_INDEX;
			st->nontx = x->concurrent;
			if (x->n_objects > 0)
				st->index = pg_list_name(x->objects[0]);
		} else if (x->remove_type ==
		    PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
			st->kind = KIND_DROP_TABLE;
			if (x->n_objects > 0)
				st->relation = pg_list_name(x->objects[0]);
		} else
			st->kind = drop_kind(x->remove_type);
		break;
	}
	case PG_QUERY__NODE__NODE_REINDEX_STMT: {
		const PgQuery__ReindexStmt *x = n->reindex_stmt;
		bool conc = has_defelem(x->params, x->n_params, "concurrently");

		st->kind = conc ? KIND_REINDEX_CONCURRENTLY : KIND_REINDEX;
		st->relation = pg_range_name(x->relation);
		st->nontx = conc ||
		    x->kind ==
			PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_SYSTEM ||
		    x->kind ==
			PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_DATABASE;
		break;
	}
	case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
		st->kind = n->refresh_mat_view_stmt->concurrent
		    ? KIND_REFRESH_MATVIEW_CONCURRENTLY
		    : KIND_REFRESH_MATVIEW;
		st->nontx = n->refresh_mat_view_stmt->concurrent;
		st->relation = pg_range_name(
		    n->refresh_mat_view_stmt->relation);
		break;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		classify_alter_table(st, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		st->kind = n->create_stmt->partbound || n->create_stmt->partspec
		    ? KIND_PARTITION
		    : KIND_CREATE_TABLE;
		st->relation = pg_range_name(n->create_stmt->relation);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		st->kind = n->create_table_as_stmt->objtype ==
			PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW
		    ? KIND_CREATE_MATVIEW
		    : KIND_CREATE_TABLE;
		break;
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
		st->kind = KIND_CREATE_TYPE;
		break;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
	case PG_QUERY__NODE__NODE_ALTER_DOMAIN_STMT:
		st->kind = KIND_ALTER_TYPE;
		break;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		st->kind = KIND_CREATE_SEQUENCE;
		break;
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
		st->kind = KIND_ALTER_SEQUENCE;
		break;
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
		st->kind = KIND_CREATE_SCHEMA;
		break;
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
		st->kind = KIND_CREATE_EXTENSION;
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT: st->kind = KIND_RENAME; break;
	case PG_QUERY__NODE__NODE_COMMENT_STMT: st->kind = KIND_COMMENT; break;
	case PG_QUERY__NODE__NODE_GRANT_STMT:
	case PG_QUERY__NODE__NODE_GRANT_ROLE_STMT: st->kind = KIND_GRANT; break;
	case PG_QUERY__NODE__NODE_CREATE_POLICY_STMT:
		st->kind = KIND_CREATE_POLICY;
		break;
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: st->kind = KIND_SET; break;
	case PG_QUERY__NODE__NODE_LOCK_STMT: st->kind = KIND_LOCK; break;
	case PG_QUERY__NODE__NODE_DO_STMT: st->kind = KIND_DO; break;
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		st->kind = n->vacuum_stmt->is_vacuumcmd ? KIND_VACUUM
							: KIND_ANALYZE;
		st->nontx = n->vacuum_stmt->is_vacuumcmd;
		break;
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		st->kind = KIND_TRANSACTION;
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		st->kind = KIND_CREATE_VIEW;
		st->relation = pg_range_name(n->view_stmt->view);
		break;
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT:
		st->kind = KIND_CREATE_FUNCTION;
		break;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		st->kind = KIND_CREATE_TRIGGER;
		break;
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		st->kind = KIND_INSERT;
		st->relation = pg_range_name(n->insert_stmt->relation);
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		st->kind = KIND_UPDATE;
		st->relation = pg_range_name(n->update_stmt->relation);
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		st->kind = KIND_DELETE;
		st->relation = pg_range_name(n->delete_stmt->relation);
		break;
	case PG_QUERY__NODE__NODE_SELECT_STMT: st->kind = KIND_SELECT; break;
	case PG_QUERY__NODE__NODE_COPY_STMT:
		if ((n->copy_stmt->filename == NULL ||
			n->copy_stmt->filename[0] == '\0') &&
		    !n->copy_stmt->is_program)
			st->client_copy = n->copy_stmt->is_from ? 'i' : 'o';
		break;
	/* These refuse to run inside a transaction block. */
	case PG_QUERY__NODE__NODE_CREATEDB_STMT:
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
	case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
	case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
	case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
		st->nontx = true;
		break;
	default: break;
	}
}

/* Parse one statement on its own; its tree, or NULL when it does not parse. */
