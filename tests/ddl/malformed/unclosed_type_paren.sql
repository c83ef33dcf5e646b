CREATE TABLE prices (
    id     INTEGER,
    amount DECIMAL(12, 2 NOT NULL
);
