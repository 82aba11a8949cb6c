-- Undo 230: drop the reporting views.
DROP VIEW staging_quality_summary;
DROP VIEW open_arbitrage;
