-- Undo 003: drop the curated tables, those holding foreign keys first.
-- strata:lint-ignore-file require-lock-timeout,exclusive-lock-held this drops the version's own tables, which nothing uses once it is undone
DROP TABLE arbitrage_opportunities;
DROP TABLE model_predictions;
DROP TABLE model_experiments;
DROP TABLE betting_splits;
