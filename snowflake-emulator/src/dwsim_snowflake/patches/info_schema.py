"""INFORMATION_SCHEMA.TABLES lists views too, as Snowflake's does, with each table's and view's
own comment (installed by the launcher before any database is attached).

fakesnow's per-database TABLES view reads only DuckDB's tables, so tools that read the catalog
from it (dbt's ``docs generate``, BI tools) saw no views, and its COMMENT came from fakesnow's
record of comments by table name (a dropped table's comment showed for the next table of that
name). Its definition is kept, COMMENT is the table's DuckDB comment (table_comments.py) and
the database's views are added with TABLE_TYPE 'VIEW' (no row count or bytes, as in Snowflake).
The definition is created with OR REPLACE, so databases kept from an earlier run get it when
they are attached at start.
"""

from string import Template

from fakesnow import info_schema

_original = info_schema.SQL_CREATE_INFORMATION_SCHEMA_TABLES_VIEW

_RECORDED_COMMENT = '_fs_tables_ext.comment AS "COMMENT"'
_OWN_COMMENT = 'tables.comment AS "COMMENT"'
_VIEWS = """
UNION ALL BY NAME
select
    views.database_name AS "TABLE_CATALOG",
    views.schema_name AS "TABLE_SCHEMA",
    views.view_name AS "TABLE_NAME",
    'SYSADMIN' AS "TABLE_OWNER",
    'VIEW' AS "TABLE_TYPE",
    'NO' AS "IS_TRANSIENT",
    NULL::BIGINT AS "ROW_COUNT",
    NULL::BIGINT AS "BYTES",
    'NO' AS "IS_INSERTABLE_INTO",
    to_timestamp(0)::timestamptz AS "CREATED",
    to_timestamp(0)::timestamptz AS "LAST_ALTERED",
    to_timestamp(0)::timestamptz AS "LAST_DDL",
    'SYSADMIN' AS "LAST_DDL_BY",
    'NO' AS "AUTO_CLUSTERING_ON",
    views.comment AS "COMMENT",
    'NO' AS "IS_TEMPORARY",
    'NO' AS "IS_ICEBERG",
    'NO' AS "IS_DYNAMIC",
    'NO' AS "IS_IMMUTABLE",
    'NO' AS "IS_HYBRID"
from duckdb_views() views
where views.database_name = '${catalog}'
  and views.schema_name != '_fs_information_schema'
  and not views.internal
"""


def tables_view_template(original: Template) -> Template:
    """fakesnow's TABLES view, created OR REPLACE, with the tables' own comments and the
    database's views added."""
    text = original.template
    head = "create view if not exists"
    if head not in text or _RECORDED_COMMENT not in text:
        raise RuntimeError(
            "fakesnow's INFORMATION_SCHEMA.TABLES definition changed: the info_schema patch no longer "
            "applies (update it for this fakesnow version)"
        )
    text = text.replace(head, "create or replace view", 1).replace(_RECORDED_COMMENT, _OWN_COMMENT)
    return Template(text.rstrip() + _VIEWS)


def install() -> None:
    if info_schema.SQL_CREATE_INFORMATION_SCHEMA_TABLES_VIEW is _original:
        info_schema.SQL_CREATE_INFORMATION_SCHEMA_TABLES_VIEW = tables_view_template(_original)
