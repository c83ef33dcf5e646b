CREATE TABLE events (
    id         BIGINT,
    created_at TIMESTAMP,
    CREATED_AT TIMESTAMP
);
