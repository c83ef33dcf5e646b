"""Unqualified references to emulated Redshift system relations point at schema dwsim_rs:
table references, pg_get_late_binding_view_cols(), and relation names given as strings to
has_table_privilege() or ::regclass (dbt checks has_table_privilege(user, 'svv_table_info'))."""

from sqlglot import exp

from dwsim_redshift.sql.system import (
    HELPER_SCHEMA,
    INFORMATION_SCHEMA_CATALOGS,
    INFORMATION_SCHEMA_VIEWS,
    SYSTEM_FUNCTIONS,
    SYSTEM_RELATION_NAMES,
)


def _qualify_tables(tree: exp.Expr) -> None:
    """svv_tables and pg_catalog.svv_tables (as drivers write it) both mean dwsim_rs's;
    information_schema's key views mean dwsim_rs's, which add the keys the emulator records."""
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier) or table.args.get("catalog"):
            continue
        schema = table.args.get("db")
        in_information_schema = schema is not None and schema.name.lower() == "information_schema"
        if in_information_schema and table.name.lower() in INFORMATION_SCHEMA_VIEWS:
            table.set("db", exp.to_identifier(HELPER_SCHEMA))
            continue
        if in_information_schema and table.name.lower() in INFORMATION_SCHEMA_CATALOGS:
            if table.args.get("alias") is None:  # columns may be qualified by its own name
                table.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
            table.set("this", exp.to_identifier(INFORMATION_SCHEMA_CATALOGS[table.name.lower()]))
            table.set("db", exp.to_identifier(HELPER_SCHEMA))
            continue
        in_catalog = schema is None or schema.name.lower() == "pg_catalog"
        if in_catalog and table.name.lower() in SYSTEM_RELATION_NAMES:
            table.set("db", exp.to_identifier(HELPER_SCHEMA))


def _qualify_functions(tree: exp.Expr) -> None:
    """f(...) and pg_catalog.f(...) (as psql writes it) both mean dwsim_rs.f."""
    for func in list(tree.find_all(exp.Anonymous)):
        if func.name.lower() not in SYSTEM_FUNCTIONS:
            continue
        parent = func.parent
        if isinstance(parent, exp.Dot) and parent.this.name.lower() == "pg_catalog":
            parent.set("this", exp.to_identifier(HELPER_SCHEMA))
        elif not isinstance(parent, exp.Dot):
            func.replace(
                exp.Dot(
                    this=exp.to_identifier(HELPER_SCHEMA),
                    expression=exp.Anonymous(this=func.name.lower(), expressions=func.expressions),
                )
            )


def _names_a_relation(literal: exp.Literal) -> bool:
    parent = literal.parent
    if isinstance(parent, exp.Cast):
        return parent.to.sql(dialect="postgres").upper() == "REGCLASS"
    return isinstance(parent, exp.Anonymous) and parent.name.lower().endswith("_privilege")


def _qualify_names_in_strings(tree: exp.Expr) -> None:
    for literal in list(tree.find_all(exp.Literal)):
        if (
            literal.is_string
            and literal.name.lower() in SYSTEM_RELATION_NAMES
            and _names_a_relation(literal)
        ):
            literal.replace(exp.Literal.string(f"{HELPER_SCHEMA}.{literal.name.lower()}"))


def rewrite(tree: exp.Expr) -> exp.Expr:
    _qualify_tables(tree)
    _qualify_functions(tree)
    _qualify_names_in_strings(tree)
    return tree
