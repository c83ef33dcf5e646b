"""Errors raised while translating Redshift SQL for the PostgreSQL backend."""


class UnsupportedStatementError(Exception):
    """A Redshift statement the emulator cannot run on PostgreSQL; the message says what and why."""
