-- dw-sim demo: a small shop in Redshift's dialect (what `make demo` loads into the Redshift
-- emulator). Keys are informational in Redshift; dw-sim's data keeps every one of them.
CREATE TABLE customers (
    customer_id  BIGINT       NOT NULL PRIMARY KEY,
    name         VARCHAR(100) NOT NULL,
    email        VARCHAR(200) NOT NULL UNIQUE,
    country      VARCHAR(60),
    signup_date  DATE         NOT NULL
) DISTKEY (customer_id) SORTKEY (signup_date);

CREATE TABLE products (
    product_id  INTEGER       NOT NULL PRIMARY KEY,
    name        VARCHAR(120)  NOT NULL,
    category    VARCHAR(40)   NOT NULL CHECK (category IN ('books', 'garden', 'kitchen', 'toys', 'tools')),
    price       DECIMAL(10,2) NOT NULL CHECK (price BETWEEN 1 AND 500)
) DISTSTYLE ALL;

CREATE TABLE orders (
    order_id     BIGINT      NOT NULL PRIMARY KEY,
    customer_id  BIGINT      NOT NULL REFERENCES customers (customer_id),
    ordered_at   TIMESTAMP   NOT NULL,
    status       VARCHAR(20) NOT NULL CHECK (status IN ('placed', 'shipped', 'delivered', 'returned'))
) DISTKEY (customer_id) SORTKEY (ordered_at);

CREATE TABLE order_lines (
    order_id    BIGINT        NOT NULL REFERENCES orders (order_id),
    line_no     SMALLINT      NOT NULL,
    product_id  INTEGER       NOT NULL REFERENCES products (product_id),
    quantity    INTEGER       NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    unit_price  DECIMAL(10,2) NOT NULL CHECK (unit_price BETWEEN 1 AND 500),
    PRIMARY KEY (order_id, line_no)
) DISTKEY (order_id) SORTKEY (order_id, line_no);
