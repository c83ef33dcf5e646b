"""Errors raised while translating Redshift SQL for the PostgreSQL backend."""


class UnsupportedStatementError(Exception):
    """A Redshift statement the emulator cannot run on PostgreSQL; the message says what and why."""


class InvalidStatementError(UnsupportedStatementError):
    """A statement Redshift itself rejects, though PostgreSQL would run it; the message is
    Redshift's, so that what fails in the cloud fails here too."""
