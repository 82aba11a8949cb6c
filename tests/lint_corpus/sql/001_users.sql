-- The users of the shop.
CREATE TABLE users (
    id         bigserial PRIMARY KEY,
    email      varchar(255) NOT NULL,
    created_at timestamp NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (email);
