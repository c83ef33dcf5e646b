CREATE TABLE employees (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments (id)
);
CREATE TABLE departments (
    id         INTEGER PRIMARY KEY,
    manager_id INTEGER NOT NULL REFERENCES employees (id)
);
