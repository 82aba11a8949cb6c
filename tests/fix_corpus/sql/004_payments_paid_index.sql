CREATE INDEX IF NOT EXISTS payments_paid_at ON payments (paid_at) WHERE paid_at IS NOT NULL;
