-- lint --fix, require-concurrent-partition-detach: detached CONCURRENTLY (outside a transaction)
ALTER TABLE metrics DETACH PARTITION metrics_2026_03 CONCURRENTLY;
