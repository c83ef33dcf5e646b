-- A small shop, as a user would paste it: keys, a composite key, a self-reference, JSON.
CREATE TABLE customers (
  customer_id INTEGER NOT NULL,
  email VARCHAR(60) NOT NULL,
  country VARCHAR(2),
  signed_up_at TIMESTAMP,
  PRIMARY KEY (customer_id),
  UNIQUE (email)
);

CREATE TABLE orders (
  order_id BIGINT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
  ordered_on DATE NOT NULL,
  amount DECIMAL(12,2),
  PRIMARY KEY (order_id)
);

CREATE TABLE order_lines (
  order_id BIGINT NOT NULL REFERENCES orders (order_id),
  line_no SMALLINT NOT NULL,
  sku CHAR(8),
  qty INTEGER,
  PRIMARY KEY (order_id, line_no)
);
