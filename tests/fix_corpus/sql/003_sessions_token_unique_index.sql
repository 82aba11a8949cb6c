CREATE UNIQUE INDEX sessions_token ON sessions (token);
