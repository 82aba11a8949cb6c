DROP INDEX sessions_token;
