"""DDL import: CREATE TABLE statements in Redshift, Snowflake or PostgreSQL -> Experiment.

Identifiers: quoted names keep their exact text; unquoted names keep the case they are written
in (``CREATE TABLE Orders`` gives table ``Orders``). Names are matched case-insensitively when
resolving keys and references, as every supported warehouse does for unquoted names.
"""

from datetime import date

from dwsim_shared.contracts.enums import Dialect, Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.ddl.build import build_experiment
from dwsim_shared.ddl.parser import parse_script
from dwsim_shared.errors import DDLError

__all__ = ["DDLError", "default_warehouse", "import_ddl"]


def default_warehouse(dialect: Dialect) -> Warehouse:
    return Warehouse.SNOWFLAKE if dialect == Dialect.SNOWFLAKE else Warehouse.REDSHIFT


def import_ddl(
    text: str,
    *,
    dialect: Dialect,
    name: str,
    warehouse: Warehouse | None = None,
    today: date | None = None,
) -> Experiment:
    """Parse ``text`` and return the experiment: tables, keys, warehouse metadata, a generation
    rule for every column, and warnings for what could not be represented.

    Raises ``DDLError`` (with line and column where known) for DDL that cannot be imported.
    ``today`` anchors inferred date ranges (default: ``inference.INFERENCE_ANCHOR``, a fixed
    date, so the same DDL and seed give the same data whatever day it is imported).
    """
    dialect = Dialect(dialect)
    if not text.strip():
        raise DDLError("the DDL is empty: expected at least one CREATE TABLE statement", 1, 1)
    draft = parse_script(text, dialect)
    return build_experiment(
        draft,
        name=name,
        dialect=dialect,
        warehouse=Warehouse(warehouse) if warehouse else default_warehouse(dialect),
        today=today,
    )
