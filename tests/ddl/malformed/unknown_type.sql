CREATE TABLE stores (
    id        INTEGER PRIMARY KEY,
    location  GEOGRAPHY
);
