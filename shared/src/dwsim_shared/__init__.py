"""Contracts every dw-sim service imports: models, enums, settings, DDL import, adapters."""
