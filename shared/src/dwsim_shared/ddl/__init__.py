"""DDL import: CREATE TABLE statements in Redshift, Snowflake or PostgreSQL -> Experiment."""

from dwsim_shared.enums import Dialect, Warehouse
from dwsim_shared.schema import Experiment


def import_ddl(
    text: str, *, dialect: Dialect, name: str, warehouse: Warehouse | None = None
) -> Experiment:
    raise NotImplementedError("DDL import is being built")
