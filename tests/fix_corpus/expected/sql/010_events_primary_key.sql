-- lint --fix, adding-primary-key: its columns made NOT NULL without a scan under a lock, its index built CONCURRENTLY, then the key added USING INDEX
ALTER TABLE events ADD CONSTRAINT strata_tmp_id_a789decd CHECK (id IS NOT NULL) NOT VALID;
-- strata:commit
ALTER TABLE events VALIDATE CONSTRAINT strata_tmp_id_a789decd;
-- strata:commit
ALTER TABLE events ALTER COLUMN id SET NOT NULL;
-- strata:commit
ALTER TABLE events DROP CONSTRAINT strata_tmp_id_a789decd;
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;
