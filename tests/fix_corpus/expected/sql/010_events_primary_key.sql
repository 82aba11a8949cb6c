-- lint --fix, adding-primary-key: its columns made NOT NULL without a scan under a lock, its index built CONCURRENTLY, then the key added USING INDEX
ALTER TABLE events ADD CONSTRAINT strata_tmp_id_f88cb027 CHECK (id IS NOT NULL) NOT VALID;
-- strata:commit
ALTER TABLE events VALIDATE CONSTRAINT strata_tmp_id_f88cb027;
-- strata:commit
ALTER TABLE events ALTER COLUMN id SET NOT NULL;
-- strata:commit
ALTER TABLE events DROP CONSTRAINT strata_tmp_id_f88cb027;
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;
