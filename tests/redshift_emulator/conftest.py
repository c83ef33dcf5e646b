"""Fixtures of the Redshift emulator tests (the COPY/UNLOAD engine's live in copy_helpers)."""

from tests.redshift_emulator.copy_helpers import rs_settings, session, stage  # noqa: F401
