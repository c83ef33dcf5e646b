"""The one-column tables ``bench_cost_model.py`` times: per cost kind, a run with the column
and the same run without it (its base), and the table whose rows and bytes count.

Each spec is ``(with_column, without_column, measured_table, values_per_row)``: experiment
dicts with ``rows`` rows in the measured table; parents are small, or as large when the kind
is about them (an aggregate is a parent's column over its children).
"""

KEY = {"name": "id", "type": "BIGINT", "nullable": False, "rule": {"kind": "sequence"}}
PARENT_ROWS = 10_000
FANOUT = 4  # a laid-out foreign key's parent has rows / FANOUT rows, as a real schema's does
SKEWED_PARENTS = 1 << 17  # the skewed key's cost is per log2 of this


def col(name: str, type_: str, rule: dict | None = None) -> dict:
    return {"name": name, "type": type_, "nullable": False, "rule": rule}


def table(name: str, rows: int, columns: list[dict], fks: list[dict] = (), **extra) -> dict:
    pk = extra.pop("primary_key", ["id"])
    return {"name": name, "rows": rows, "columns": columns, "primary_key": pk,
            "foreign_keys": list(fks), **extra}  # fmt: skip


def experiment(*tables: dict) -> dict:
    return {"name": "cost_model", "warehouse": "redshift", "tables": list(tables)}


def fk(column: str, parent: str, **extra) -> dict:
    return {"columns": [column], "references_table": parent, "references_columns": ["id"],
            **extra}  # fmt: skip


SIMPLE = {  # kind: the column beside the key
    "number": col("x", "INTEGER", {"kind": "range", "min": 1, "max": 1_000_000}),
    "decimal": col("x", "DECIMAL(12,2)", {"kind": "range", "min": 0, "max": 10_000}),
    "date": col("x", "DATE", {"kind": "range", "min": "2020-01-01", "max": "2025-12-31"}),
    "timestamp": col("x", "TIMESTAMP", {"kind": "range", "min": "2020-01-01", "max": "2025-12-31"}),
    "boolean": col("x", "BOOLEAN", {"kind": "boolean", "probability": 0.3}),
    "constant": col("x", "INTEGER", {"kind": "constant", "value": 7}),
    "categorical": col(
        "x",
        "VARCHAR(12)",
        {
            "kind": "categorical",
            "values": ["pending", "paid", "shipped", "delivered", "returned", "lost"],
            "weights": [10, 30, 20, 35, 4, 1],
        },
    ),
    "pattern": col("x", "VARCHAR(12)", {"kind": "pattern", "pattern": "AB-####-??"}),
    "pool_string": col("x", "VARCHAR(50)", {"kind": "faker", "provider": "last_name"}),
    "unique_string": col(
        "x", "VARCHAR(60)", {"kind": "faker", "provider": "user_name", "unique": True}
    ),
    "text": col("x", "VARCHAR(200)", {"kind": "text", "min_length": 3, "max_length": 100}),
    # short text: with ``text`` it splits a text value's cost into a fixed part and a part
    # per character (not a kind of its own: ``predict`` interpolates between the two)
    "text_short": col("x", "VARCHAR(200)", {"kind": "text", "min_length": 3, "max_length": 10}),
    "uuid": col("x", "UUID", {"kind": "uuid"}),
    "json": col("x", "SUPER", {"kind": "json"}),
    "geo": col("x", "VARCHAR(60)", {"kind": "geo", "field": "city"}),
}


def many_tables(count: int, rows: int) -> dict:
    """``count`` tables of a key and a few columns each: a table's own cost, beside its rows."""
    picked = ("number", "categorical", "pool_string")
    columns = [KEY, *({**SIMPLE[k], "name": k} for k in picked)]
    return experiment(*(table(f"t{i}", rows, columns) for i in range(count)))


def specs(rows: int) -> dict[str, tuple[dict, dict, str, int]]:
    base = experiment(table("t", rows, [KEY]))
    out = {"sequence_key": (base, base, "t", 1)}
    for kind, column in SIMPLE.items():
        out[kind] = (experiment(table("t", rows, [KEY, column])), base, "t", 1)
    parent = table("p", PARENT_ROWS, [KEY])
    ref = col("pid", "BIGINT")
    poisson = {"distribution": "poisson", "params": {"lam": 4}}
    laid = table("t", rows, [KEY, ref], [fk("pid", "p", fanout=poisson)])
    big = table("p", rows // FANOUT, [KEY])
    out["foreign_key"] = (experiment(big, laid), experiment(big, table("t", rows, [KEY])),
                          "t", 1)  # fmt: skip
    # a two-column foreign key into a grid parent (TPC-H's lineitem into partsupp), per column
    grid = table("g", rows // FANOUT, [col("pid", "BIGINT"), col("sid", "BIGINT")],
                 [fk("pid", "p"), fk("sid", "s")], primary_key=["pid", "sid"])  # fmt: skip
    pair = [col("gp", "BIGINT"), col("gs", "BIGINT")]
    two = {"columns": ["gp", "gs"], "references_table": "g", "references_columns": ["pid", "sid"]}
    suppliers = table("s", 1000, [KEY])
    out["composite_foreign_key"] = (
        experiment(parent, suppliers, grid, table("t", rows, [KEY, *pair], [two])),
        experiment(parent, suppliers, grid, table("t", rows, [KEY])),
        "t",
        2,
    )
    skewed = fk("sid", "s", fanout={"distribution": "lognormal", "params": {"sigma": 1.0}})
    drawn = table("t", rows, [KEY, ref, col("sid", "BIGINT")], [laid["foreign_keys"][0], skewed])
    many = table("s", SKEWED_PARENTS, [KEY])
    out["skewed_foreign_key"] = (experiment(parent, many, drawn), experiment(parent, many, laid),
                                 "t", 1)  # fmt: skip
    lines = table("t", rows, [ref, col("line_no", "SMALLINT")], [fk("pid", "p", fanout=poisson)],
                  primary_key=["pid", "line_no"])  # fmt: skip
    out["composite_key"] = (experiment(parent, lines), experiment(parent, laid), "t", 1)
    priced = table("p", PARENT_ROWS, [KEY, SIMPLE["decimal"]])
    looked = col("y", "DECIMAL(12,2)", {"kind": "lookup", "ref": "p.x"})
    out["lookup"] = (experiment(priced, table("t", rows, [KEY, ref, looked], [fk("pid", "p")])),
                     experiment(priced, table("t", rows, [KEY, ref], [fk("pid", "p")])),
                     "t", 1)  # fmt: skip
    total = col("total", "BIGINT", {"kind": "aggregate", "function": "sum", "ref": "c.x"})
    child = table("c", rows, [KEY, ref, SIMPLE["number"]], [fk("pid", "p")])
    out["aggregate"] = (experiment(table("p", rows, [KEY, total]), child),
                        experiment(table("p", rows, [KEY]), child), "p", 1)  # fmt: skip
    names = [col("first", "VARCHAR(40)", {"kind": "faker", "provider": "first_name"}),
             col("last", "VARCHAR(40)", {"kind": "faker", "provider": "last_name"})]  # fmt: skip
    email = col("x", "VARCHAR(120)", {"kind": "expression", "expression": 'email("first", "last")'})
    out["email"] = (experiment(table("t", rows, [KEY, *names, email])),
                    experiment(table("t", rows, [KEY, *names])), "t", 1)  # fmt: skip
    after = col("y", "TIMESTAMP", {"kind": "after", "ref": "x"})
    out["after"] = (experiment(table("t", rows, [KEY, SIMPLE["timestamp"], after])),
                    experiment(table("t", rows, [KEY, SIMPLE["timestamp"]])), "t", 1)  # fmt: skip
    operands = [SIMPLE["number"], col("z", "INTEGER", {"kind": "range", "min": 1, "max": 100})]
    product = col("y", "BIGINT", {"kind": "expression", "expression": '"x" * "z"'})
    out["expression"] = (experiment(table("t", rows, [KEY, *operands, product])),
                         experiment(table("t", rows, [KEY, *operands])), "t", 1)  # fmt: skip
    return out
