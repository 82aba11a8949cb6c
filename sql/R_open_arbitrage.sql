-- The open arbitrage opportunities with their teams and books: a
-- reporting view kept as code. strata runs this file again whenever it
-- changes, after the versions, so a change to the view is a diff of this
-- file rather than a new version repeating all of it. It reads tables no
-- version changes after 003; a view over a column a version rewrites
-- (staging_quality_summary, over the precision fix's score) stays in a
-- version, where the rollback can drop it first. SQLite has no CREATE OR
-- REPLACE VIEW: the view is dropped and made again, in one transaction.
DROP VIEW IF EXISTS open_arbitrage;
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
