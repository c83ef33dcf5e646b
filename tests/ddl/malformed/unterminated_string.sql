CREATE TABLE notes (
    id   INTEGER,
    body VARCHAR(100) DEFAULT 'none
);
