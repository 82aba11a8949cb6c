/*
 * facts.h - facts about a statement worth keeping in the optimization log
 * ("index_size_bytes": 8192, "table_rewritten": true, ...): gathered as
 * they are learnt, written as one JSON object by the JSON writer.
 */
#ifndef STRATA_FACTS_H
#define STRATA_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

enum fact_type {
	FACT_INT,
	FACT_BOOL,
	FACT_TEXT,
	FACT_JSON, /* text that is already JSON */
};

struct fact {
	const char    *key; /* a string literal */
	enum fact_type type;
	int64_t        i;
	bool           b;
	char          *text; /* owned */
};

struct facts {
	struct fact *v;
	size_t       n;
	size_t       alloc;
};

/* A key set again replaces its value. */
void facts_int(struct facts *, const char *key, int64_t);
void facts_bool(struct facts *, const char *key, bool);
void facts_text(struct facts *, const char *key, const char *);
/* A list of strings, as a JSON array. */
void facts_strings(struct facts *, const char *key, char *const *, size_t n);
/* An integer given as text (as a query returns it); bad text is left out. */
void facts_int_text(struct facts *, const char *key, const char *);
/* Write the object to j; nothing when there are no facts. */
void facts_write(struct json *, const struct facts *);
/* The object as a new string, or NULL when there are no facts. */
char *facts_json(const struct facts *);
/* The same with one text fact more, first (key NULL: none). */
void  facts_write_with(struct json *, const struct facts *, const char *key,
     const char *text);
char *facts_json_with(const struct facts *, const char *key, const char *text);
void  facts_clear(struct facts *);
void  facts_free(struct facts *);

#endif
