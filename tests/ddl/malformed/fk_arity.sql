CREATE TABLE partsupp (
    ps_partkey INTEGER, ps_suppkey INTEGER,
    PRIMARY KEY (ps_partkey, ps_suppkey)
);
CREATE TABLE lineitem (
    l_partkey INTEGER,
    FOREIGN KEY (l_partkey) REFERENCES partsupp
);
