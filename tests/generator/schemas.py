"""Schemas shared by the generator tests: a shop with every shape of key."""

from tests.generator.helpers import col, experiment, table


def fk(columns, parent, parent_columns, **extra):
    return {"columns": columns, "references_table": parent,
            "references_columns": parent_columns, **extra}  # fmt: skip


SHOP = experiment(
    table("customers", 20_000, [col("id", "INTEGER", nullable=False),
                                col("email", "VARCHAR(30)", {"kind": "faker", "provider": "email"})],
          primary_key=["id"], unique=[{"columns": ["email"]}]),
    table("promos", 50, [col("code", "VARCHAR(8)", {"kind": "pattern", "pattern": "P-####"})],
          primary_key=["code"]),
    table("orders", 60_000, [col("order_id", "BIGINT", nullable=False),
                             col("customer_id", "INTEGER", nullable=False),
                             col("promo_code", "VARCHAR(8)")],
          primary_key=["order_id"],
          foreign_keys=[fk(["customer_id"], "customers", ["id"],
                           fanout={"distribution": "zipf", "params": {"a": 1.0}}),
                        fk(["promo_code"], "promos", ["code"], null_ratio=0.3)]),
    table("order_lines", 150_000, [col("order_id", "BIGINT", nullable=False),
                                   col("line_no", "SMALLINT", nullable=False),
                                   col("qty", "INTEGER", {"kind": "range", "min": 1, "max": 9})],
          primary_key=["order_id", "line_no"],
          foreign_keys=[fk(["order_id"], "orders", ["order_id"],
                           fanout={"distribution": "poisson", "params": {"lam": 2.5}})]),
    table("parts", 300, [col("part_id", "INTEGER", nullable=False)], primary_key=["part_id"]),
    table("suppliers", 40,
          [col("supp_id", "INTEGER", {"kind": "range", "min": 1000, "max": 9999}, nullable=False)],
          primary_key=["supp_id"]),
    table("partsupp", 12_000, [col("part_id", "INTEGER", nullable=False),
                               col("supp_id", "INTEGER", nullable=False)],
          primary_key=["part_id", "supp_id"],
          foreign_keys=[fk(["part_id"], "parts", ["part_id"]), fk(["supp_id"], "suppliers", ["supp_id"])]),
    table("shipments", 30_000, [col("part_id", "INTEGER"), col("supp_id", "INTEGER")],
          foreign_keys=[fk(["part_id", "supp_id"], "partsupp", ["part_id", "supp_id"])]),
    table("departments", 30, [col("dept_id", "INTEGER", nullable=False), col("head_id", "INTEGER")],
          primary_key=["dept_id"], foreign_keys=[fk(["head_id"], "employees", ["emp_id"])]),
    table("employees", 5000, [col("emp_id", "INTEGER", nullable=False),
                              col("dept_id", "INTEGER", nullable=False),
                              col("manager_id", "INTEGER")],
          primary_key=["emp_id"],
          foreign_keys=[fk(["dept_id"], "departments", ["dept_id"]),
                        fk(["manager_id"], "employees", ["emp_id"], null_ratio=0.1)]),
    table("accounts", 10_000, [col("region", "VARCHAR(5)", {"kind": "categorical", "values": ["n", "s", "e", "w"]}),
                               col("account_no", "SMALLINT", {"kind": "range", "min": 1, "max": 3000})],
          primary_key=["region", "account_no"]),
    table("profiles", 15_000, [col("customer_id", "INTEGER", nullable=False), col("bio", "TEXT")],
          primary_key=["customer_id"], foreign_keys=[fk(["customer_id"], "customers", ["id"])]),
)  # fmt: skip
