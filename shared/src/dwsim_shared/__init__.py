"""What every dw-sim service imports.

``contracts`` (models, enums, jobs, tasks and their payloads, the S3 layout), ``ddl`` (DDL
import and rule inference), ``warehouses`` (one adapter per warehouse), and the runtime helpers
services would otherwise each write: ``settings``, ``celery_app``, ``reporter``, ``s3``,
``logs`` and ``metadata_client``.
"""
