-- Undo 003: drop the curated tables, those holding foreign keys first.
DROP TABLE arbitrage_opportunities;
DROP TABLE model_predictions;
DROP TABLE model_experiments;
DROP TABLE betting_splits;
