ALTER TABLE sessions DROP CONSTRAINT sessions_agent_started;
