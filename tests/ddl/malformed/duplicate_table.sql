CREATE TABLE sales.events (id BIGINT);
CREATE TABLE archive.events (id BIGINT);
