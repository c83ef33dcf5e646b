// An e-commerce schema in Snowflake's dialect: semi-structured types, AUTOINCREMENT, clustering.
CREATE OR REPLACE DATABASE analytics;
USE SCHEMA analytics.public;

CREATE OR REPLACE TABLE analytics.public.customers (
    customer_id   NUMBER(38,0)  AUTOINCREMENT START 1 INCREMENT 1 PRIMARY KEY,
    email         VARCHAR(255)  NOT NULL UNIQUE COMMENT 'login e-mail, unique',
    first_name    VARCHAR(100),
    last_name     VARCHAR(100),
    country       CHAR(2)       COMMENT 'ISO 3166 alpha-2',
    state         VARCHAR(2),
    is_active     BOOLEAN       DEFAULT TRUE,
    preferences   VARIANT,
    created_at    TIMESTAMP_NTZ(9) NOT NULL DEFAULT CURRENT_TIMESTAMP()
)
COMMENT = 'one row per registered customer'
DATA_RETENTION_TIME_IN_DAYS = 1;

CREATE TABLE IF NOT EXISTS products (
    product_id    NUMBER AUTOINCREMENT(1000, 10),
    sku           STRING        NOT NULL,
    product_name  VARCHAR(200)  NOT NULL,
    category      VARCHAR(50),
    price         NUMBER(10,2)  NOT NULL,
    attributes    OBJECT,
    tags          ARRAY,
    CONSTRAINT pk_products PRIMARY KEY (product_id),
    CONSTRAINT uq_products_sku UNIQUE (sku)
);

CREATE OR REPLACE TRANSIENT TABLE "Orders" (
    "OrderId"     NUMBER(38,0)  IDENTITY(1,1) NOT NULL,
    customer_id   NUMBER(38,0)  NOT NULL,
    order_status  VARCHAR(20)   NOT NULL DEFAULT 'pending',
    total_amount  NUMBER(12,2),
    ordered_at    TIMESTAMP_LTZ,
    shipped_at    TIMESTAMP_TZ(3),
    ship_to       GEOGRAPHY,
    raw_payload   VARIANT,
    PRIMARY KEY ("OrderId"),
    FOREIGN KEY (customer_id) REFERENCES customers (customer_id) RELY
)
CLUSTER BY (to_date(ordered_at), customer_id);

CREATE TEMPORARY TABLE order_items (
    order_id      NUMBER(38,0)  NOT NULL REFERENCES "Orders" ("OrderId"),
    line_no       SMALLINT      NOT NULL,
    product_id    NUMBER        NOT NULL FOREIGN KEY REFERENCES products (product_id),
    quantity      INTEGER       NOT NULL,
    unit_price    FLOAT,
    discount_pct  DOUBLE,
    CONSTRAINT pk_order_items PRIMARY KEY (order_id, line_no) NOT ENFORCED
);

CREATE OR REPLACE VIEW big_orders AS SELECT * FROM "Orders" WHERE total_amount > 1000;
