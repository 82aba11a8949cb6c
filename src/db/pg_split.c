/* placeholder until the PostgreSQL splitter lands */
typedef int strata_pg_split_placeholder;
