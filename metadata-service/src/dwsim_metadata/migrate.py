"""Bring the database to the newest migration; the service does it at start."""

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from dwsim_metadata.db import WRITE_OPTION

SCRIPT_LOCATION = "dwsim_metadata:migrations"  # a package resource, not a path
PG_LOCK_KEY = 0x64776D65  # two services starting at once migrate one after the other


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
