-- Undo 230: drop the reporting view.
DROP VIEW staging_quality_summary;
