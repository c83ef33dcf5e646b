"""Redshift system relations emulated in schema dwsim_rs, and the names the translator qualifies.

stl_load_errors / sys_load_error_detail keep Redshift's column names and types (COPY writes them);
the svv_* / pg_* shims are what dbt-redshift and admin queries read. Their SQL is in
sql/plpgsql/*.sql (helpers.py runs it).
"""

HELPER_SCHEMA = "dwsim_rs"

# Views created WITH NO SCHEMA BINDING carry this reloption (PostgreSQL's default value, so it
# changes nothing) so that pg_get_late_binding_view_cols() can find them.
LATE_BINDING_MARKER = "security_invoker=false"

SYSTEM_RELATIONS: dict[str, str] = {
    "stl_load_errors": "COPY errors, one row per rejected value (Redshift's columns and types)",
    "sys_load_error_detail": "the same errors with SYS_LOAD_ERROR_DETAIL's column names",
    "stl_load_commits": "one row per file each committed COPY loaded",
    "svv_table_info": "one row per user table, with the layout its DDL declared",
    "svv_external_columns": "always empty: external (Spectrum) tables are not emulated",
    "svv_external_tables": "always empty: external (Spectrum) tables are not emulated",
    "svv_external_schemas": "always empty: external schemas are not emulated",
    "pg_table_def": "columns of the tables on the search path, with encoding/distkey/sortkey",
    "stv_sessions": "the backend's client sessions",
    "pg_constraint": "PostgreSQL's constraints and the informational keys (05_keys.sql)",
    "stv_recents": "the backend's client sessions and what they run",
    "stl_query": "always empty: the emulator keeps no query log",
    "sys_query_history": "always empty: the emulator keeps no query log",
    "svv_tables": "tables and views (information_schema.tables' columns, plus remarks)",
    "svv_columns": "columns (information_schema.columns' columns, plus remarks)",
    "svv_all_schemas": "schemas of the database",
    "svv_redshift_schemas": "schemas of the database",
    "svv_all_tables": "tables and views, typed TABLE or VIEW",
    "svv_redshift_tables": "tables and views, typed TABLE or VIEW",
    "svv_all_columns": "columns of every table and view",
    "svv_redshift_columns": "columns with their encoding, distkey and sortkey",
    "svv_redshift_databases": "the emulator's one database",
}
"""Relations in dwsim_rs that unqualified references are pointed at."""

SYSTEM_RELATION_NAMES = frozenset(SYSTEM_RELATIONS)
SYSTEM_FUNCTIONS = frozenset(
    {"pg_get_late_binding_view_cols", "pg_get_constraintdef", "pg_last_copy_id"}
)
# information_schema views that clients read keys from, answered by views in dwsim_rs
# (07_keys_views.sql).
INFORMATION_SCHEMA_VIEWS = frozenset(
    {"table_constraints", "key_column_usage", "referential_constraints", "constraint_column_usage"}
)


# information_schema views answered with the database as the client named it (dbt's relation
# cache compares table_catalog with the profile's dbname: 13_database_name.sql), by name in
# dwsim_rs.
INFORMATION_SCHEMA_CATALOGS = {
    "tables": "information_schema_tables",
    "views": "information_schema_views",
}


def mentions_system_relation(text_lower: str) -> bool:
    """Whether a (lower-cased) statement names an emulated relation, even inside a string."""
    names = SYSTEM_RELATION_NAMES | SYSTEM_FUNCTIONS | INFORMATION_SCHEMA_VIEWS
    if any(name in text_lower for name in names):
        return True
    return "information_schema" in text_lower and any(
        f"information_schema.{name}" in text_lower.replace('"', "")
        for name in INFORMATION_SCHEMA_CATALOGS
    )
