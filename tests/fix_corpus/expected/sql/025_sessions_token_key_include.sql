-- lint --fix, disallowed-unique-constraint: its index built CONCURRENTLY, then the constraint added USING INDEX
CREATE UNIQUE INDEX CONCURRENTLY sessions_token_key ON sessions (token) INCLUDE (started_at);
ALTER TABLE sessions ADD CONSTRAINT sessions_token_key UNIQUE USING INDEX sessions_token_key;
