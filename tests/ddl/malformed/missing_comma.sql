CREATE TABLE customers (
    id    INTEGER NOT NULL
    name  VARCHAR(100)
);
