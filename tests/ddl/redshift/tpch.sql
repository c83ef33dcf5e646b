-- TPC-H schema, Redshift physical design (distribution and sort keys as in AWS's benchmark kit).
CREATE TABLE region (
    r_regionkey  INTEGER      NOT NULL ENCODE az64,
    r_name       CHAR(25)     NOT NULL ENCODE lzo,
    r_comment    VARCHAR(152) ENCODE lzo,
    PRIMARY KEY (r_regionkey)
)
DISTSTYLE ALL;

CREATE TABLE nation (
    n_nationkey  INTEGER      NOT NULL ENCODE az64,
    n_name       CHAR(25)     NOT NULL ENCODE lzo,
    n_regionkey  INTEGER      NOT NULL REFERENCES region (r_regionkey) ENCODE az64,
    n_comment    VARCHAR(152) ENCODE lzo,
    PRIMARY KEY (n_nationkey)
)
DISTSTYLE ALL;

CREATE TABLE supplier (
    s_suppkey    INTEGER        NOT NULL PRIMARY KEY,
    s_name       CHAR(25)       NOT NULL,
    s_address    VARCHAR(40)    NOT NULL,
    s_nationkey  INTEGER        NOT NULL REFERENCES nation,
    s_phone      CHAR(15)       NOT NULL,
    s_acctbal    DECIMAL(15,2)  NOT NULL,
    s_comment    VARCHAR(101)   NOT NULL
)
DISTSTYLE KEY DISTKEY (s_suppkey)
SORTKEY (s_suppkey);

CREATE TABLE customer (
    c_custkey    INTEGER        NOT NULL DISTKEY SORTKEY,
    c_name       VARCHAR(25)    NOT NULL,
    c_address    VARCHAR(40)    NOT NULL,
    c_nationkey  INTEGER        NOT NULL,
    c_phone      CHAR(15)       NOT NULL,
    c_acctbal    DECIMAL(15,2)  NOT NULL,
    c_mktsegment CHAR(10)       NOT NULL,
    c_comment    VARCHAR(117)   NOT NULL,
    CONSTRAINT customer_pk PRIMARY KEY (c_custkey),
    CONSTRAINT customer_nation_fk FOREIGN KEY (c_nationkey) REFERENCES nation (n_nationkey)
);

CREATE TABLE part (
    p_partkey     INTEGER        NOT NULL PRIMARY KEY DISTKEY,
    p_name        VARCHAR(55)    NOT NULL,
    p_mfgr        CHAR(25)       NOT NULL,
    p_brand       CHAR(10)       NOT NULL,
    p_type        VARCHAR(25)    NOT NULL,
    p_size        INTEGER        NOT NULL,
    p_container   CHAR(10)       NOT NULL,
    p_retailprice DECIMAL(15,2)  NOT NULL,
    p_comment     VARCHAR(23)    NOT NULL
)
SORTKEY (p_partkey);

CREATE TABLE partsupp (
    ps_partkey    INTEGER        NOT NULL REFERENCES part (p_partkey),
    ps_suppkey    INTEGER        NOT NULL REFERENCES supplier (s_suppkey),
    ps_availqty   INTEGER        NOT NULL,
    ps_supplycost DECIMAL(15,2)  NOT NULL,
    ps_comment    VARCHAR(199)   NOT NULL,
    PRIMARY KEY (ps_partkey, ps_suppkey)
)
DISTKEY (ps_partkey)
COMPOUND SORTKEY (ps_partkey, ps_suppkey);

CREATE TABLE orders (
    o_orderkey      BIGINT         NOT NULL PRIMARY KEY,
    o_custkey       INTEGER        NOT NULL REFERENCES customer (c_custkey),
    o_orderstatus   CHAR(1)        NOT NULL,
    o_totalprice    DECIMAL(15,2)  NOT NULL,
    o_orderdate     DATE           NOT NULL,
    o_orderpriority CHAR(15)       NOT NULL,
    o_clerk         CHAR(15)       NOT NULL,
    o_shippriority  INTEGER        NOT NULL,
    o_comment       VARCHAR(79)    NOT NULL
)
DISTKEY (o_orderkey)
SORTKEY (o_orderdate);

CREATE TABLE lineitem (
    l_orderkey      BIGINT         NOT NULL ENCODE az64,
    l_partkey       INTEGER        NOT NULL,
    l_suppkey       INTEGER        NOT NULL,
    l_linenumber    INTEGER        NOT NULL,
    l_quantity      DECIMAL(15,2)  NOT NULL,
    l_extendedprice DECIMAL(15,2)  NOT NULL,
    l_discount      DECIMAL(15,2)  NOT NULL,
    l_tax           DECIMAL(15,2)  NOT NULL,
    l_returnflag    CHAR(1)        NOT NULL,
    l_linestatus    CHAR(1)        NOT NULL,
    l_shipdate      DATE           NOT NULL,
    l_commitdate    DATE           NOT NULL,
    l_receiptdate   DATE           NOT NULL,
    l_shipinstruct  CHAR(25)       NOT NULL,
    l_shipmode      CHAR(10)       NOT NULL,
    l_comment       VARCHAR(44)    NOT NULL,
    PRIMARY KEY (l_orderkey, l_linenumber),
    FOREIGN KEY (l_orderkey) REFERENCES orders (o_orderkey),
    FOREIGN KEY (l_partkey, l_suppkey) REFERENCES partsupp (ps_partkey, ps_suppkey)
)
DISTKEY (l_orderkey)
SORTKEY (l_shipdate);
