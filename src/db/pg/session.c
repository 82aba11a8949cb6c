/*
 * session.c - one libpq connection: connect, run strata's own SQL, send a
 * migration statement and read its results, pipeline strata's writes.
 *
 * The only file that includes <libpq-fe.h>; the rest of the PostgreSQL
 * driver talks through struct pg_conn (pg.h). Errors of strata's own SQL
 * set the error record (exit 5); a migration statement's error goes into
 * its exec_result, for the runner to judge and retry.
 */
#include "pg.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/error.h"
#include "../../util/log.h"

struct pg_conn {
	PGconn          *c;
	const struct db *owner; /* whose events its notices are */
	bool             quiet; /* hide the server's notices */
};

char *
pg_chomp(const char *s)
{
	char  *out = xstrdup(s ? s : "");
	size_t n = strlen(out);

	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	return out;
}

/* Server notices and warnings go to stderr; NOTICEs only under -v. */
static void
notice(void *arg, const PGresult *res)
{
	struct pg_conn *pc = arg;
	const char     *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char     *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);

	if (pc->quiet || msg == NULL)
		return;
	if (log_get_level() >= LOG_VERBOSE ||
	    (sev && strcmp(sev, "NOTICE") && strcmp(sev, "DEBUG") &&
		strcmp(sev, "LOG")))
		db_notice(pc->owner, "server %s: %s", sev ? sev : "notice",
		    msg);
}

struct pg_conn *
pgc_connect(const char *url, const struct db *owner, char **why)
{
	const char     *keys[] = { "dbname", "application_name", NULL };
	const char     *vals[] = { url, "strata", NULL };
	PGconn         *c = PQconnectdbParams(keys, vals, 1);
	struct pg_conn *pc;

	if (c == NULL || PQstatus(c) != CONNECTION_OK) {
		*why = pg_chomp(c ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return NULL;
	}
	pc = xcalloc(1, sizeof(*pc));
	pc->c = c;
	pc->owner = owner;
	PQsetNoticeReceiver(c, notice, pc);
	return pc;
}

void
pgc_close(struct pg_conn *pc)
{
	if (pc == NULL)
		return;
	PQfinish(pc->c);
	free(pc);
}

void
pgc_set_quiet(struct pg_conn *pc, bool quiet)
{
	pc->quiet = quiet;
}

bool
pgc_ok(const struct pg_conn *pc)
{
	return pc != NULL && PQstatus(pc->c) == CONNECTION_OK;
}

bool
pgc_in_transaction(const struct pg_conn *pc)
{
	return PQtransactionStatus(pc->c) != PQTRANS_IDLE;
}

int
pgc_backend_pid(const struct pg_conn *pc)
{
	return PQbackendPID(pc->c);
}

int
pgc_server_version(const struct pg_conn *pc)
{
	return PQserverVersion(pc->c);
}

int
pgc_socket(const struct pg_conn *pc)
{
	return PQsocket(pc->c);
}

/* The connection's last error, set as the error (exit 5); returns -1. */
static int
conn_fail(PGconn *conn)
{
	char *msg = pg_chomp(PQerrorMessage(conn));
	int   rc = err_set(EXIT_DB, "postgres: %s", msg);

	free(msg);
	return rc;
}

/* 0 when r is a success, else -1 with the error set (exit 5). */
static int
result_check(PGconn *conn, const PGresult *r)
{
	const char *text;
	char       *msg;
	int         rc;

	if (PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK)
		return 0;
	text = r ? PQresultErrorMessage(r) : "";
	msg = pg_chomp(*text ? text : PQerrorMessage(conn));
	rc = err_set(EXIT_DB, "postgres: %s", msg);
	err_set_sqlstate(PQresultErrorField(r, PG_DIAG_SQLSTATE));
	free(msg);
	return rc;
}

int
pgc_run(struct pg_conn *pc, const char *sql)
{
	PGresult *r = PQexec(pc->c, sql);
	int       rc = result_check(pc->c, r);

	PQclear(r);
	return rc;
}

void
pgc_rollback(struct pg_conn *pc)
{
	if (PQtransactionStatus(pc->c) != PQTRANS_IDLE)
		PQclear(PQexec(pc->c, "ROLLBACK"));
}

int
pgc_query(struct pg_conn *pc, const char *sql, int nparams,
    const char *const *params, db_row_fn fn, void *arg)
{
	PGresult *r = PQexecParams(pc->c, sql, nparams, NULL, params, NULL,
	    NULL, 0);
	int       rc, i, k, n, ncols;
	char     *stack[16], **vals = stack;

	if ((rc = result_check(pc->c, r)) < 0) {
		PQclear(r);
		return rc;
	}
	n = PQntuples(r);
	ncols = PQnfields(r);
	if (ncols > 16)
		vals = xcalloc((size_t)ncols, sizeof(*vals));
	for (i = 0; fn && i < n; i++) {
		for (k = 0; k < ncols; k++)
			vals[k] = PQgetisnull(r, i, k) ? NULL
						       : PQgetvalue(r, i, k);
		if (fn(arg, ncols, vals) != 0)
			break;
	}
	if (vals != stack)
		free(vals);
	PQclear(r);
	return rc;
}

/*
 * The writes (after a BEGIN when `begin`) and the COMMIT after them in one
 * round trip: sent in pipeline mode, one sync at the end. After a failure
 * the server skips the rest (their results say PIPELINE_ABORTED); the
 * first error is kept.
 */
int
pgc_pipeline(struct pg_conn *pc, bool begin, const struct db_writes *w,
    bool commit)
{
	PGconn   *conn = pc->c;
	size_t    lead = begin ? 1 : 0, n, sent, i;
	PGresult *r;
	int       rc = 0;

	n = lead + w->n + (commit ? 1 : 0);
	if (!PQenterPipelineMode(conn))
		return conn_fail(conn);
	for (sent = 0; sent < n; sent++) {
		const struct db_write *x = sent >= lead && sent - lead < w->n
		    ? &w->v[sent - lead]
		    : NULL;

		if (!PQsendQueryParams(conn,
			x                 ? x->sql
			    : sent < lead ? "BEGIN"
					  : "COMMIT",
			x ? x->nparams : 0, NULL,
			x ? (const char *const *)x->params : NULL, NULL, NULL,
			0))
			break;
	}
	if (sent < n)
		rc = conn_fail(conn);
	if (!PQpipelineSync(conn) && rc == 0)
		rc = conn_fail(conn);
	/* Each query's result, then NULL; the sync's result last. */
	for (i = 0; i < sent && PQstatus(conn) == CONNECTION_OK; i++) {
		if ((r = PQgetResult(conn)) == NULL)
			continue;
		if (rc == 0 && PQresultStatus(r) != PGRES_PIPELINE_ABORTED)
			rc = result_check(conn, r);
		PQclear(r);
		while ((r = PQgetResult(conn)) != NULL)
			PQclear(r);
	}
	while (PQstatus(conn) == CONNECTION_OK &&
	    (r = PQgetResult(conn)) != NULL) {
		bool synced = PQresultStatus(r) == PGRES_PIPELINE_SYNC;

		PQclear(r);
		if (synced)
			break;
	}
	PQexitPipelineMode(conn);
	if (rc == 0 && PQstatus(conn) != CONNECTION_OK)
		rc = conn_fail(conn);
	return rc;
}

/* A libpq-allocated string as an ordinary one; NULL stays NULL. */
static char *
own(char *s)
{
	char *out = s ? xstrdup(s) : NULL;

	PQfreemem(s);
	return out;
}

char *
pgc_quote_ident(struct pg_conn *pc, const char *s)
{
	return own(PQescapeIdentifier(pc->c, s, strlen(s)));
}

char *
pgc_quote_literal(struct pg_conn *pc, const char *s)
{
	return own(PQescapeLiteral(pc->c, s, strlen(s)));
}

int
pgc_send(struct pg_conn *pc, const char *text, struct exec_result *res)
{
	if (PQsendQuery(pc->c, text))
		return 0;
	res->message = pg_chomp(PQerrorMessage(pc->c));
	return -1;
}

bool
pgc_wait(struct pg_conn *pc, int timeout_ms)
{
	struct pollfd p = { PQsocket(pc->c), POLLIN, 0 };

	if (!PQisBusy(pc->c))
		return true;
	if (poll(&p, 1, timeout_ms) > 0 || (p.revents & POLLIN))
		return !PQconsumeInput(pc->c) || !PQisBusy(pc->c);
	return false;
}

bool
pgc_ready(struct pg_conn *pc)
{
	return !PQconsumeInput(pc->c) || !PQisBusy(pc->c);
}

static void
fill_error(PGconn *conn, const PGresult *r, struct exec_result *res)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
	const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);

	res->message = msg ? xstrdup(msg) : pg_chomp(PQerrorMessage(conn));
	res->detail = detail ? xstrdup(detail) : NULL;
	res->hint = hint ? xstrdup(hint) : NULL;
	res->position = pos ? atoi(pos) : 0;
	if (state)
		snprintf(res->sqlstate, sizeof(res->sqlstate), "%s", state);
	res->retryable = state &&
	    (strcmp(state, "55P03") == 0 || strcmp(state, "40P01") == 0);
	/* The server went away (shut down, crashed, connection broken). */
	res->lost = PQstatus(conn) == CONNECTION_BAD ||
	    (state &&
		(strncmp(state, "57P", 3) == 0 ||
		    strncmp(state, "08", 2) == 0));
}

/* End a COPY the statement started: abort one in, drain one out. */
static void
end_copy(PGconn *conn, ExecStatusType status)
{
	char *row;

	if (status == PGRES_COPY_OUT) {
		while (PQgetCopyData(conn, &row, 0) > 0)
			PQfreemem(row);
		return;
	}
	PQputCopyEnd(conn, "strata does not stream COPY data");
}

static bool
counts_rows(const struct stmt *s)
{
	return s != NULL &&
	    (s->kind == KIND_INSERT || s->kind == KIND_UPDATE ||
		s->kind == KIND_DELETE || s->kind == KIND_CREATE_TABLE);
}

int
pgc_collect(struct pg_conn *pc, const struct stmt *s, struct pg_sent *x,
    struct exec_result *res)
{
	PGconn   *conn = pc->c;
	int       first = x && x->lead ? 1 : 0, i, rc = 0, copies = 0;
	PGresult *r;

	for (i = 0; (r = PQgetResult(conn)) != NULL; i++) {
		ExecStatusType status = PQresultStatus(r);

		/* A COPY that did not end: the session is of no more use. */
		if ((status == PGRES_COPY_IN || status == PGRES_COPY_OUT ||
			status == PGRES_COPY_BOTH) &&
		    copies++ > 0) {
			PQclear(r);
			res->lost = true;
			rc = -1;
			break;
		}
		switch (status) {
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK: {
			const char *n = PQcmdTuples(r);

			if (i > first && x && x->size && PQntuples(r) == 1 &&
			    !PQgetisnull(r, 0, 0)) {
				free(x->size_value);
				x->size_value = xstrdup(PQgetvalue(r, 0, 0));
			}
			if (i == first && n && n[0] && counts_rows(s))
				res->rows = strtoll(n, NULL, 10);
			break;
		}
		case PGRES_COPY_IN:
		case PGRES_COPY_OUT:
		case PGRES_COPY_BOTH:
			/*
			 * The parser refuses these before a run; one that gets
			 * here anyway (a function's COPY, say) is ended now:
			 * left alone, each PQgetResult() would report it again.
			 */
			end_copy(conn, status);
			if (res->message == NULL)
				res->message = xstrdup(
				    "COPY ... FROM STDIN / TO STDOUT "
				    "needs psql; use INSERT or a server-side "
				    "COPY");
			rc = -1;
			break;
		default:
			if (res->message == NULL) {
				fill_error(conn, r, res);
				/* A position in the statement, not the text. */
				if (i != first)
					res->position = 0;
				else if (x && res->position > (int)x->lead)
					res->position -= (int)x->lead;
			}
			rc = -1;
		}
		PQclear(r);
	}
	if (rc == 0 && PQstatus(conn) != CONNECTION_OK) {
		res->message = pg_chomp(PQerrorMessage(conn));
		rc = -1;
	}
	if (rc < 0 && res->message == NULL)
		res->message = pg_chomp(PQerrorMessage(conn));
	return rc;
}
