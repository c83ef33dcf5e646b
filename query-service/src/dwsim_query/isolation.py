"""Snowflake: a query may name only its own experiment's schema (a parser-based check).

The Snowflake emulator (fakesnow over DuckDB) has no users or grants, so the warehouse cannot
keep experiments apart: every experiment is a schema of one database (``DWSIM``), and anything
the session can name it can read and write. The query service therefore parses the statement
(sqlglot, Snowflake dialect) and refuses, before it reaches the warehouse, any that names
another schema or database: two- and three-part table names (SELECT, INSERT, UPDATE, DELETE,
MERGE, COPY INTO, CREATE/DROP/ALTER/UNDROP/TRUNCATE/DESCRIBE, GRANT), ``IDENTIFIER('...')``,
schema-qualified functions, USE DATABASE/SCHEMA, SHOW ... IN SCHEMA/DATABASE, and any
CREATE/DROP/ALTER DATABASE. Unqualified names resolve in the experiment's schema, which the
adapter sets (and a USE cannot change, being checked here). Redshift keeps experiments apart
with database users and grants instead; SQLite keeps each experiment in a file of its own.
"""

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from dwsim_query.guard import NotAllowedError
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses.typemap import warehouse_name

INFORMATION_SCHEMA = "INFORMATION_SCHEMA"  # of the experiment's database: allowed
_LITERALS = re.compile(r"'(?:[^']|'')*'?|--[^\n]*|/\*.*?(?:\*/|$)", re.DOTALL)
_QUALIFIED = re.compile(r'((?:"[^"]*"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]*"|[A-Za-z_][\w$]*))+)')


class Namespace:
    """The one database and schema a statement of the experiment may name."""

    def __init__(self, experiment: Experiment, database: str):
        self.experiment = experiment.name
        self.database = warehouse_name(database, Warehouse.SNOWFLAKE)
        self.schema = warehouse_name(experiment.name, Warehouse.SNOWFLAKE)

    def refuse(self, what: str) -> NotAllowedError:
        return NotAllowedError(
            f"queries of experiment {self.experiment} may only use its own database/schema "
            f"({self.database}.{self.schema}); this statement names {what}"
        )

    def check(self, database: str | None, schema: str | None, what: str) -> None:
        if database is not None and database != self.database:
            raise self.refuse(f"{what} in database {database}")
        if schema is not None and schema not in (self.schema, INFORMATION_SCHEMA):
            raise self.refuse(f"{what} in schema {schema}")


def _name(node: exp.Expression | None) -> str | None:
    """An identifier as Snowflake resolves it: unquoted names fold to upper case."""
    if node is None:
        return None
    if isinstance(node, exp.Identifier):
        return node.this if node.quoted else node.this.upper()
    return node.name.upper() if node.name else None


def _parts(text: str) -> list[str]:
    """``a."B".c`` -> ``["A", "B", "C"]``."""
    return [
        p.strip()[1:-1] if p.strip().startswith('"') else p.strip().upper()
        for p in re.findall(r'"[^"]*"|[^.]+', text)
    ]


def check_isolated(experiment: Experiment, sql: str, database: str) -> None:
    """Raise ``NotAllowedError`` if ``sql`` names a database or schema not the experiment's."""
    space = Namespace(experiment, database)
    try:
        trees = sqlglot.parse(sql, read="snowflake")
    except ParseError as exc:
        raise NotAllowedError(
            f"queries of experiment {space.experiment} may only use its own database/schema, "
            "and this statement could not be parsed to check that (the query service reads "
            f"Snowflake SQL with sqlglot): {str(exc).splitlines()[0]}"
        ) from None
    for tree in trees:
        if tree is not None:
            for node in tree.walk():
                _check_node(space, node)


def _check_node(space: Namespace, node: exp.Expression) -> None:
    if isinstance(node, exp.Table):
        if isinstance(node.this, exp.DynamicIdentifier):
            _check_dynamic(space, node.this)
        space.check(_name(node.args.get("catalog")), _name(node.args.get("db")), "a table")
    elif isinstance(node, exp.Create | exp.Drop | exp.Alter) and _kind(node) == "DATABASE":
        raise space.refuse(f"{_kind(node)} DATABASE")
    elif isinstance(node, exp.Use):
        _check_use(space, node)
    elif isinstance(node, exp.Show) and isinstance(node.args.get("scope"), exp.Table):
        _check_scope(space, node.args.get("scope_kind"), node.args["scope"])
    elif isinstance(node, exp.Dot) and isinstance(node.expression, exp.Func):
        parts = [_name(i) for i in node.this.find_all(exp.Identifier)]
        if parts:
            space.check(parts[-2] if len(parts) > 1 else None, parts[-1], "a function")
    elif isinstance(node, exp.Anonymous) and str(node.name).upper().startswith("DUCKDB_"):
        raise space.refuse(
            f"DuckDB's catalog function {node.name} (the emulator's, not Snowflake's)"
        )
    elif isinstance(node, exp.Command):
        _check_command(space, node)


def _kind(node: exp.Expression) -> str:
    kind = node.args.get("kind")
    return str(kind.name if isinstance(kind, exp.Expression) else kind or "").upper()


def _check_dynamic(space: Namespace, node: exp.DynamicIdentifier) -> None:
    if not (isinstance(node.this, exp.Literal) and node.this.is_string):
        raise space.refuse("IDENTIFIER() of a variable or expression (it cannot be checked)")
    parts = _parts(node.this.this)
    space.check(
        parts[-3] if len(parts) > 2 else None, parts[-2] if len(parts) > 1 else None, "a table"
    )


def _check_use(space: Namespace, node: exp.Use) -> None:
    kind = _kind(node)
    target = node.this
    if kind in ("", "DATABASE") and isinstance(target, exp.Table):
        space.check(_name(target.this), None, "USE")
    elif kind == "SCHEMA" and isinstance(target, exp.Table):
        space.check(_name(target.args.get("db")), _name(target.this), "USE")


def _check_scope(space: Namespace, kind: object, scope: exp.Table) -> None:
    kind = str(kind or "").upper()
    if kind == "SCHEMA":
        space.check(_name(scope.args.get("db")), _name(scope.this), "SHOW")
    elif kind == "DATABASE":
        space.check(_name(scope.this), None, "SHOW")


def _check_command(space: Namespace, node: exp.Command) -> None:
    """A statement sqlglot keeps as text: EXECUTE IMMEDIATE is refused (its SQL is built at
    run time); any other is checked name by name (``a.b`` is a schema, ``a.b.c`` a database
    and a schema)."""
    if str(node.this).upper() == "EXECUTE":
        raise space.refuse("EXECUTE IMMEDIATE (SQL built at run time cannot be checked)")
    rest = node.expression.this if isinstance(node.expression, exp.Literal) else ""
    for match in _QUALIFIED.finditer(_LITERALS.sub(" ", rest)):
        parts = _parts(match.group(1))
        space.check(
            parts[-3] if len(parts) > 2 else None, parts[-2], f"the object {match.group(1)}"
        )
