ALTER TABLE regional DETACH PARTITION regional_eu;
