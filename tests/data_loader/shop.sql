CREATE TABLE customers (
  customer_id INTEGER NOT NULL,
  email VARCHAR(60) NOT NULL,
  region VARCHAR(8),
  created_at TIMESTAMP,
  PRIMARY KEY (customer_id),
  UNIQUE (email)
) DISTSTYLE ALL;

CREATE TABLE orders (
  order_id BIGINT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
  ordered_on DATE,
  amount DECIMAL(12,2),
  PRIMARY KEY (order_id)
) DISTKEY (customer_id) SORTKEY (ordered_on);

CREATE TABLE order_lines (
  order_id BIGINT NOT NULL REFERENCES orders (order_id),
  line_no SMALLINT NOT NULL,
  sku CHAR(8),
  qty INTEGER,
  PRIMARY KEY (order_id, line_no)
);

CREATE TABLE employees (
  emp_id INTEGER NOT NULL,
  manager_id INTEGER REFERENCES employees (emp_id),
  name VARCHAR(40),
  PRIMARY KEY (emp_id)
);
