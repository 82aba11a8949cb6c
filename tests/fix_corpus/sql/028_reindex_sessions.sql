REINDEX TABLE sessions;
