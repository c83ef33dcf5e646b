-- dw-sim demo: the same small shop in Snowflake's dialect (what `make demo` loads into the
-- Snowflake emulator). Snowflake enforces only NOT NULL; dw-sim's data keeps every key.
CREATE TABLE customers (
    customer_id  INTEGER       NOT NULL PRIMARY KEY,
    name         VARCHAR(100)  NOT NULL,
    email        VARCHAR(200)  NOT NULL UNIQUE,
    country      VARCHAR(60),
    signup_date  DATE          NOT NULL
) CLUSTER BY (signup_date);

CREATE TABLE products (
    product_id  INTEGER       NOT NULL PRIMARY KEY,
    name        VARCHAR(120)  NOT NULL,
    category    VARCHAR(40)   NOT NULL,
    price       NUMBER(10,2)  NOT NULL
);

CREATE TABLE orders (
    order_id     INTEGER       NOT NULL PRIMARY KEY,
    customer_id  INTEGER       NOT NULL REFERENCES customers (customer_id),
    ordered_at   TIMESTAMP_NTZ NOT NULL,
    status       VARCHAR(20)   NOT NULL
);

CREATE TABLE order_lines (
    order_id    INTEGER       NOT NULL REFERENCES orders (order_id),
    line_no     SMALLINT      NOT NULL,
    product_id  INTEGER       NOT NULL REFERENCES products (product_id),
    quantity    SMALLINT      NOT NULL,
    unit_price  NUMBER(10,2)  NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
