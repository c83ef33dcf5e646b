CREATE TABLE lineitem (
    l_orderkey BIGINT,
    PRIMARY KEY (l_orderkey, l_linenumber)
);
