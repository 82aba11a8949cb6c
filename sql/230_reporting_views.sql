-- 230: a reporting view, the same SQL on both databases: the staging
-- quality per sportsbook and validation status. (The open arbitrage
-- opportunities are kept as code: sql/R_open_arbitrage.sql.)
--
-- It comes after the precision fix on purpose: PostgreSQL refuses to
-- change the type of a column a view uses ("cannot alter type of a column
-- used by a view or rule"), so a view over data_quality_score created
-- before version 220 would have had to be dropped and re-created by it.

CREATE VIEW staging_quality_summary AS
SELECT 'moneylines' AS market_table, sportsbook_id, validation_status,
       count(*) AS rows_loaded,
       avg(data_quality_score) AS avg_quality,
       max(data_quality_score) AS max_quality
FROM staging_moneylines
GROUP BY sportsbook_id, validation_status
UNION ALL
SELECT 'spreads', sportsbook_id, validation_status, count(*),
       avg(data_quality_score), max(data_quality_score)
FROM staging_spreads
GROUP BY sportsbook_id, validation_status
UNION ALL
SELECT 'totals', sportsbook_id, validation_status, count(*),
       avg(data_quality_score), max(data_quality_score)
FROM staging_totals
GROUP BY sportsbook_id, validation_status;
