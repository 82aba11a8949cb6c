ALTER TABLE sessions ADD CONSTRAINT sessions_token_key UNIQUE (token) INCLUDE (started_at);
