ALTER TABLE sessions DROP CONSTRAINT sessions_token_key;
