CREATE TABLE orders (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    total   numeric(10,2) NOT NULL,
    status  text NOT NULL DEFAULT 'new',
    meta    jsonb
);
CREATE INDEX orders_user ON orders (user_id);
