-- lint --fix, require-concurrent-partition-detach: detached CONCURRENTLY (outside a transaction)
ALTER TABLE regional DETACH PARTITION regional_eu CONCURRENTLY;
