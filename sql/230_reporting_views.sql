-- 230: two reporting views, the same SQL on both databases: open
-- arbitrage opportunities with their teams and books, and the staging
-- quality per sportsbook and validation status.
--
-- They come after the precision fix on purpose: PostgreSQL refuses to
-- change the type of a column a view uses ("cannot alter type of a column
-- used by a view or rule"), so a view over data_quality_score created
-- before version 220 would have had to be dropped and re-created by it.

CREATE VIEW open_arbitrage AS
SELECT a.opportunity_id,
       g.home_team,
       g.away_team,
       g.starts_at,
       a.market,
       book_a.name AS book_a,
       book_b.name AS book_b,
       a.profit_pct,
       a.detected_at
FROM arbitrage_opportunities a
JOIN games g ON g.game_id = a.game_id
JOIN sportsbooks book_a ON book_a.sportsbook_id = a.book_a_id
JOIN sportsbooks book_b ON book_b.sportsbook_id = a.book_b_id
WHERE a.expired_at IS NULL;

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
