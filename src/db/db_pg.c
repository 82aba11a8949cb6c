#include "db.h"
#include <string.h>
static bool pg_accepts(const char *url) { return strncmp(url, "postgres", 8) == 0; }
const struct db_ops db_pg_ops = { .version = 1, .name = "postgres", .dialect = DIALECT_POSTGRES, .accepts = pg_accepts };
