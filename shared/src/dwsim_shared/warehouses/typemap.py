"""Column types and identifiers in each warehouse's own dialect.

The per-warehouse facts (type tables, type names, identifier case) live in ``profiles``; these
functions only apply them. A column's declared text (``ColumnType.raw``) is given back verbatim
when the experiment was written in the warehouse's own dialect and the text still parses to the
same type; otherwise the type is rendered from its kind, length, precision and scale.
"""

import re

from dwsim_shared.contracts.enums import Dialect, Warehouse
from dwsim_shared.contracts.identifiers import quote_identifier
from dwsim_shared.contracts.types import ColumnType, UnknownTypeError, parse_type
from dwsim_shared.warehouses.profiles import profile

_TYPE_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*(?: [A-Z_][A-Z0-9_]*)*")


def render_type(column_type: ColumnType, warehouse: Warehouse, dialect: Dialect | None) -> str:
    """The column type for ``warehouse``, from ``raw`` when the dialects match, else from kind.

    ``raw`` is only reused if it re-parses to the same type: text that is not a plain type
    name (an injection attempt, a typo) never reaches the warehouse.
    """
    facts = profile(warehouse)
    if dialect is not None and facts.native_dialect == dialect:
        try:
            again = parse_type(column_type.raw, dialect)
        except UnknownTypeError:
            again = None
        same = again is not None and again.model_dump(exclude={"raw"}) == column_type.model_dump(
            exclude={"raw"}
        )
        text = column_type.raw.upper()
        name = _TYPE_NAME.match(text)
        if same and name and _base_name(name.group()) in facts.native_type_names:
            return " ".join(text.split())
    return facts.types[column_type.kind](column_type)


def _base_name(name: str) -> str:
    """``TIMESTAMP WITH TIME ZONE`` stays whole; ``VARCHAR`` of ``VARCHAR(10)`` is the name."""
    return " ".join(name.split())


def warehouse_name(name: str, warehouse: Warehouse) -> str:
    """The name as the warehouse stores an unquoted identifier, so users need not quote it.

    Redshift folds names to lower case, Snowflake folds simple names to upper case (a name
    that needs quoting keeps its case there); SQLite compares names case-insensitively.
    """
    return profile(warehouse).stored_name(name)


def ident(name: str, warehouse: Warehouse) -> str:
    """A quoted identifier for ``warehouse`` (see ``warehouse_name``)."""
    return quote_identifier(warehouse_name(name, warehouse))
