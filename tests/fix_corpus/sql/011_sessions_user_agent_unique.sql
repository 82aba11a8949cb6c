ALTER TABLE sessions ADD CONSTRAINT sessions_agent_started UNIQUE (user_agent, started_at);
