"""Result column names as Redshift gives them: an unaliased call is named after the function
(`datediff(...)` is column date_diff, `sysdate` is timestamp), where PostgreSQL would name the
translated call (`datediff` of the helper, `transaction_timestamp`...). Clients that read
columns by name (DataFrames, JSON rows, CREATE TABLE AS) see Redshift's names.
"""

from sqlglot import exp

# Redshift's name for an unaliased call, where it is not the function's own name.
SPECIAL_NAMES = {
    "DATEDIFF": "date_diff",
    "DATE_DIFF": "date_diff",
    "DATEADD": "date_add",
    "DATE_ADD": "date_add",
    "DATEPART": "pgdate_part",
    "DATE_PART": "pgdate_part",
}


# sqlglot nodes the translation turns into differently named calls, with Redshift's name.
NODE_NAMES: dict[type, str] = {
    exp.Median: "median",
    exp.ApproxDistinct: "count",
    exp.ApproxQuantile: "percentile_disc",
    exp.Extract: "date_part",
    exp.Avg: "avg",
    exp.Concat: "concat",
    exp.Soundex: "soundex",
    exp.SHA: "sha1",
    exp.FromBase: "strtol",
}


def _redshift_name(node: exp.Expr) -> str | None:
    if isinstance(node, exp.Anonymous):
        return SPECIAL_NAMES.get(node.name.upper(), node.name.lower())
    if isinstance(node, exp.CurrentTimestamp) and node.args.get("sysdate"):
        return "timestamp"
    if isinstance(node, exp.Window | exp.WithinGroup):
        return _redshift_name(node.this)  # f(...) OVER (...), LISTAGG(...) WITHIN GROUP
    return NODE_NAMES.get(type(node))


def rewrite(tree: exp.Expr) -> exp.Expr:
    for select in list(tree.find_all(exp.Select)):
        for item in list(select.expressions):
            name = _redshift_name(item)
            if name is not None:
                alias = exp.Alias(alias=exp.to_identifier(name, quoted=True))
                item.replace(alias)
                alias.set("this", item)
    return tree
