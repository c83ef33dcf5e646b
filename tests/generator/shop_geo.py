"""A shop with addresses in several tables and lookups of countries and currencies, written as
a user would paste it: keys and types, not one generation rule."""

SHOP_GEO_DDL = """
CREATE TABLE countries (
  country_code CHAR(2) PRIMARY KEY,
  iso3 CHAR(3) NOT NULL,
  name VARCHAR(60) NOT NULL
);
CREATE TABLE currencies (
  code CHAR(3) PRIMARY KEY,
  name VARCHAR(60) NOT NULL,
  symbol VARCHAR(8)
);
CREATE TABLE states (
  state_code CHAR(2) PRIMARY KEY,
  state_name VARCHAR(40) NOT NULL
);
CREATE TABLE customers (
  customer_id BIGINT PRIMARY KEY,
  first_name VARCHAR(50) NOT NULL,
  city VARCHAR(60),
  state VARCHAR(60),
  postal_code VARCHAR(12),
  country_code CHAR(2) NOT NULL REFERENCES countries(country_code),
  phone VARCHAR(30)
);
CREATE TABLE stores (
  store_id INTEGER PRIMARY KEY,
  name VARCHAR(60),
  city VARCHAR(60) NOT NULL,
  country VARCHAR(60) NOT NULL
);
CREATE TABLE employees (
  employee_id INTEGER PRIMARY KEY,
  store_id INTEGER NOT NULL REFERENCES stores(store_id),
  first_name VARCHAR(40),
  country VARCHAR(60),
  phone VARCHAR(30)
);
CREATE TABLE orders (
  order_id BIGINT PRIMARY KEY,
  customer_id BIGINT NOT NULL REFERENCES customers(customer_id),
  store_id INTEGER REFERENCES stores(store_id),
  ship_city VARCHAR(60),
  ship_state VARCHAR(60),
  ship_country VARCHAR(60),
  billing_country_code CHAR(2) REFERENCES countries(country_code),
  currency CHAR(3) NOT NULL REFERENCES currencies(code),
  ordered_at TIMESTAMP NOT NULL
);
CREATE TABLE payments (
  payment_id BIGINT PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES orders(order_id),
  amount DECIMAL(12,2),
  currency_code CHAR(3)
);
CREATE TABLE warehouses (
  warehouse_id INTEGER PRIMARY KEY,
  city VARCHAR(40) NOT NULL,
  state_code CHAR(2) NOT NULL REFERENCES states(state_code)
);
"""
