CREATE TABLE ledger (
    id     INTEGER,
    amount DECIMAL(40, 2)
);
