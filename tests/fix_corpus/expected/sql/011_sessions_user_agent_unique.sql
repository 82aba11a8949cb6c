-- lint --fix, disallowed-unique-constraint: its index built CONCURRENTLY, then the constraint added USING INDEX
CREATE UNIQUE INDEX CONCURRENTLY sessions_agent_started ON sessions (user_agent, started_at);
ALTER TABLE sessions ADD CONSTRAINT sessions_agent_started UNIQUE USING INDEX sessions_agent_started;
