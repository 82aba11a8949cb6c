ALTER TABLE regional ATTACH PARTITION regional_eu FOR VALUES IN ('eu', 'uk');
