"""Alembic migrations of the metadata database, applied at service start (see migrate.py)."""
