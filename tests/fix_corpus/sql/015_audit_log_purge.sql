-- The audit log before the new retention policy goes.
DELETE FROM audit_log;
