// The sample offered on a first visit: a shop with keys, a composite key and derived columns.
export const SAMPLE = {
  name: "shop",
  warehouse: "redshift",
  dialect: "redshift",
  ddl: `-- A small shop in Redshift's dialect: customers, products, orders, their lines and returns.
CREATE TABLE customers (
    customer_id   BIGINT        NOT NULL PRIMARY KEY,
    first_name    VARCHAR(60)   NOT NULL,
    last_name     VARCHAR(60)   NOT NULL,
    email         VARCHAR(200)  NOT NULL UNIQUE,
    city          VARCHAR(80),
    country       VARCHAR(60),
    signed_up_at  TIMESTAMP     NOT NULL
) DISTKEY (customer_id);

CREATE TABLE products (
    product_id  INTEGER        NOT NULL PRIMARY KEY,
    name        VARCHAR(120)   NOT NULL,
    category    VARCHAR(40)    NOT NULL CHECK (category IN ('books', 'garden', 'kitchen', 'toys', 'tools')),
    price       DECIMAL(10,2)  NOT NULL CHECK (price BETWEEN 1 AND 500)
) DISTSTYLE ALL;

CREATE TABLE orders (
    order_id     BIGINT         NOT NULL PRIMARY KEY,
    customer_id  BIGINT         NOT NULL REFERENCES customers (customer_id),
    ordered_at   TIMESTAMP      NOT NULL,
    status       VARCHAR(20)    NOT NULL CHECK (status IN ('placed', 'shipped', 'delivered', 'returned')),
    total        DECIMAL(12,2)
) DISTKEY (customer_id) SORTKEY (ordered_at);

CREATE TABLE order_lines (
    order_id    BIGINT         NOT NULL REFERENCES orders (order_id),
    line_no     SMALLINT       NOT NULL,
    product_id  INTEGER        NOT NULL REFERENCES products (product_id),
    quantity    INTEGER        NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    unit_price  DECIMAL(10,2)  NOT NULL,
    line_total  DECIMAL(12,2),
    PRIMARY KEY (order_id, line_no)
) DISTKEY (order_id) SORTKEY (order_id, line_no);

CREATE TABLE returns (
    return_id    BIGINT       NOT NULL PRIMARY KEY,
    order_id     BIGINT       NOT NULL,
    line_no      SMALLINT     NOT NULL,
    returned_at  TIMESTAMP    NOT NULL,
    reason       VARCHAR(40),
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no)
);
`,
};
