-- Undo 202: drop its indexes.

DROP INDEX IF EXISTS staging_totals_pending;
DROP INDEX IF EXISTS staging_totals_valid_quality;
DROP INDEX IF EXISTS staging_totals_snapshot;
DROP INDEX IF EXISTS staging_totals_game_book;
DROP INDEX IF EXISTS staging_spreads_pending;
DROP INDEX IF EXISTS staging_spreads_valid_quality;
DROP INDEX IF EXISTS staging_spreads_snapshot;
DROP INDEX IF EXISTS staging_spreads_game_book;
DROP INDEX IF EXISTS staging_moneylines_pending;
DROP INDEX IF EXISTS staging_moneylines_valid_quality;
DROP INDEX IF EXISTS staging_moneylines_snapshot;
DROP INDEX IF EXISTS staging_moneylines_game_book;
