"""A small shop written as a user would paste it: keys and types, not one generation rule."""

SHOP_DDL = """
CREATE TABLE countries (
  country_code CHAR(2) PRIMARY KEY,
  name VARCHAR(60) NOT NULL
);
CREATE TABLE order_statuses (
  status_id SMALLINT PRIMARY KEY,
  name VARCHAR(20) NOT NULL
);
CREATE TABLE customers (
  customer_id BIGINT PRIMARY KEY,
  public_id UUID NOT NULL UNIQUE,
  first_name VARCHAR(50) NOT NULL,
  middle_name VARCHAR(50),
  last_name VARCHAR(50) NOT NULL,
  email VARCHAR(120) NOT NULL,
  phone VARCHAR(30),
  country_code CHAR(2) REFERENCES countries(country_code),
  is_active BOOLEAN NOT NULL,
  is_deleted BOOLEAN,
  notes VARCHAR(500),
  created_at TIMESTAMP NOT NULL,
  deleted_at TIMESTAMP
);
CREATE TABLE products (
  product_id INTEGER PRIMARY KEY,
  sku VARCHAR(12) NOT NULL UNIQUE,
  product_name VARCHAR(200) NOT NULL,
  category VARCHAR(40),
  price DECIMAL(10,2) NOT NULL
);
CREATE TABLE orders (
  order_id BIGINT PRIMARY KEY,
  customer_id BIGINT NOT NULL REFERENCES customers(customer_id),
  status_id SMALLINT NOT NULL REFERENCES order_statuses(status_id),
  order_status VARCHAR(20) NOT NULL,
  total DECIMAL(12,2),
  ordered_at TIMESTAMP NOT NULL,
  shipped_at TIMESTAMP
);
CREATE TABLE order_lines (
  order_id BIGINT NOT NULL REFERENCES orders(order_id),
  line_no SMALLINT NOT NULL,
  product_id INTEGER NOT NULL REFERENCES products(product_id),
  quantity INTEGER NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
"""
