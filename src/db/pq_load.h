/*
 * pq_load.h - libpq, loaded when a PostgreSQL URL is opened.
 *
 * libpq pulls in some twenty more shared libraries (Kerberos, LDAP, TLS)
 * whose loading cost every run 6 ms, SQLite runs included. db_pg.c reaches
 * libpq only through the table below: include this right after
 * <libpq-fe.h>, and every PQ* call goes through a pointer that pq_load()
 * fills from libpq.so.5 on first use.
 */
#ifndef STRATA_PQ_LOAD_H
#define STRATA_PQ_LOAD_H

#include <libpq-fe.h>

#define PQ_SYMBOLS(X) \
	X(PQbackendPID) X(PQclear) X(PQcmdTuples) X(PQconnectdbParams) \
	X(PQconsumeInput) X(PQerrorMessage) X(PQescapeIdentifier) \
	X(PQescapeLiteral) \
	X(PQexec) X(PQexecParams) X(PQfinish) X(PQfreemem) \
	X(PQgetResult) X(PQgetisnull) X(PQgetvalue) X(PQisBusy) \
	X(PQnfields) X(PQntuples) X(PQresultErrorField) X(PQresultStatus) \
	X(PQsendQuery) X(PQserverVersion) X(PQsetNoticeReceiver) \
	X(PQsocket) X(PQstatus) X(PQtransactionStatus) \
	X(PQenterPipelineMode) X(PQexitPipelineMode) X(PQpipelineSync) \
	X(PQresultErrorMessage) X(PQsendQueryParams)

#define PQ_MEMBER(name) __typeof__(name) *name;
struct pq_api {
	PQ_SYMBOLS(PQ_MEMBER)
};
#undef PQ_MEMBER

extern struct pq_api pq_api;

/* Load libpq once: 0, or -EXIT_DB with the error set. */
int	pq_load(void);

#ifndef PQ_LOAD_IMPL
#define PQbackendPID		(pq_api.PQbackendPID)
#define PQclear			(pq_api.PQclear)
#define PQcmdTuples		(pq_api.PQcmdTuples)
#define PQconnectdbParams	(pq_api.PQconnectdbParams)
#define PQconsumeInput		(pq_api.PQconsumeInput)
#define PQerrorMessage		(pq_api.PQerrorMessage)
#define PQescapeIdentifier	(pq_api.PQescapeIdentifier)
#define PQescapeLiteral		(pq_api.PQescapeLiteral)
#define PQexec			(pq_api.PQexec)
#define PQexecParams		(pq_api.PQexecParams)
#define PQfinish		(pq_api.PQfinish)
#define PQfreemem		(pq_api.PQfreemem)
#define PQgetResult		(pq_api.PQgetResult)
#define PQgetisnull		(pq_api.PQgetisnull)
#define PQgetvalue		(pq_api.PQgetvalue)
#define PQisBusy		(pq_api.PQisBusy)
#define PQnfields		(pq_api.PQnfields)
#define PQntuples		(pq_api.PQntuples)
#define PQresultErrorField	(pq_api.PQresultErrorField)
#define PQresultStatus		(pq_api.PQresultStatus)
#define PQsendQuery		(pq_api.PQsendQuery)
#define PQserverVersion		(pq_api.PQserverVersion)
#define PQsetNoticeReceiver	(pq_api.PQsetNoticeReceiver)
#define PQsocket		(pq_api.PQsocket)
#define PQstatus		(pq_api.PQstatus)
#define PQtransactionStatus	(pq_api.PQtransactionStatus)
#define PQenterPipelineMode	(pq_api.PQenterPipelineMode)
#define PQexitPipelineMode	(pq_api.PQexitPipelineMode)
#define PQpipelineSync		(pq_api.PQpipelineSync)
#define PQresultErrorMessage	(pq_api.PQresultErrorMessage)
#define PQsendQueryParams	(pq_api.PQsendQueryParams)
#endif

#endif
