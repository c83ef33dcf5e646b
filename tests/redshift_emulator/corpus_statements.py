"""Statement-shape cases: DDL attributes, types, temp tables, settings, system relations,
maintenance statements (see corpus.py)."""

from datetime import datetime
from decimal import Decimal

from tests.redshift_emulator.corpus import Case
from tests.redshift_emulator.corpus_queries import SALES

STATEMENT_CASES = [
    Case(
        "sql-udf-body-is-translated",
        "select add_days(date '2020-01-30', 3)",
        [(datetime(2020, 2, 2),)],
        "docs: CREATE FUNCTION (scalar SQL UDF)",
        setup=(
            "create function add_days(date, int) returns timestamp stable "
            "as $$ select dateadd(day, $2, $1) $$ language sql",
        ),
    ),
    Case(
        "merge-and-delete-without-from",
        "select id, v from target_t order by id",
        [(1, 10), (2, 20), (3, 33)],
        "docs: MERGE and DELETE (FROM is optional)",
        setup=(
            "create table target_t (id int, v int)",
            "create table source_t (id int, v int)",
            "insert into target_t values (1, 1), (3, 33), (4, 4)",
            "insert into source_t values (1, 10), (2, 20)",
            "merge into target_t using source_t on target_t.id = source_t.id "
            "when matched then update set v = source_t.v "
            "when not matched then insert values (source_t.id, source_t.v)",
            "delete target_t where id = 4",
        ),
    ),
    Case(
        "stored-procedure-body-is-translated",
        "select d = current_date, n from proc_t",
        [(True, 15)],
        "docs: CREATE PROCEDURE (PL/pgSQL with Redshift functions)",
        setup=(
            "create table proc_t (d date, n int)",
            "create procedure fill(k int) as $$ begin insert into proc_t values "
            "(trunc(getdate()), datediff(day, '2020-01-01', '2020-01-11') + nvl(k, 0)); "
            "end; $$ language plpgsql",
            "call fill(5)",
        ),
    ),
    Case(
        "ddl-attributes-accepted",
        "select count(*), max(note) from attrs",
        [(1, "x" * 300)],
        "docs: CREATE TABLE (DISTKEY, SORTKEY, ENCODE, BACKUP, VARCHAR(MAX), IDENTITY)",
        setup=(
            "create table attrs (id bigint identity(100, 5) encode az64 distkey, "
            "note varchar(max) encode zstd sortkey, flag boolean encode raw) "
            "backup no diststyle key interleaved sortkey(id, note)",
            "insert into attrs (note, flag) values (repeat('x', 300), true)",
        ),
    ),
    Case(
        "foreign-keys-are-informational",
        "select count(*) from child",
        [(1,)],
        "docs: Defining table constraints (foreign keys are informational, not enforced)",
        setup=(
            "create table parent (id int primary key, name varchar(10))",
            "create table child (id int, parent_id int references parent(id), other int, "
            "foreign key (other) references parent(id))",
            "alter table child add constraint fk_other foreign key (other) references parent(id)",
            "insert into child values (1, 42, 43)",
            "truncate parent",
        ),
    ),
    Case(
        "identity-seed-and-step",
        "select id from ids order by id",
        [(100,), (105,), (110,)],
        "docs: CREATE TABLE (IDENTITY(seed, step))",
        setup=(
            "create table ids (id int identity(100, 5), v int) sortkey auto",
            "insert into ids (v) values (1), (2), (3)",
        ),
    ),
    Case(
        "ctas-with-attributes",
        "select count(*) from sales_copy",
        [(5,)],
        "docs: CREATE TABLE AS (DISTKEY, SORTKEY)",
        setup=(
            *SALES,
            "create table sales_copy backup no diststyle even sortkey(id) as select * from sales",
        ),
    ),
    Case(
        "create-table-like",
        "select count(*) from sales_like",
        [(0,)],
        "docs: CREATE TABLE (LIKE parent)",
        setup=(*SALES, "create table sales_like (like sales)"),
    ),
    Case(
        "varchar-default-length-is-256",
        "select character_maximum_length from information_schema.columns "
        "where table_name = 'vc' order by ordinal_position",
        [(256,), (256,), (65535,)],
        "docs: Character types (VARCHAR and TEXT default to 256)",
        setup=("create table vc (a varchar, b text, c character varying(max))",),
    ),
    Case(
        "default-decimal-is-18-0",
        "select n, numeric_precision, numeric_scale from dec_t, information_schema.columns "
        "where table_name = 'dec_t' and column_name = 'n'",
        [(Decimal("2"), 18, 0)],
        "docs: Numeric types (DECIMAL default precision 18, scale 0)",
        setup=("create table dec_t (n numeric)", "insert into dec_t values (1.5)"),
    ),
    Case(
        "case-insensitive-collation",
        "select count(*), count(distinct name) from ci where name = 'ANN'",
        [(2, 1)],
        "docs: Collation sequences (COLLATE CASE_INSENSITIVE)",
        setup=(
            "create table ci (name varchar(10) collate case_insensitive)",
            "insert into ci values ('Ann'), ('ann'), ('Bob')",
        ),
    ),
    Case(
        "temp-tables",
        "select * from #recent order by id",
        [(4,), (5,)],
        "docs: CREATE TABLE (#table_name is a temporary table)",
        setup=(
            *SALES,
            "create table #ids (id int)",
            "insert into #ids select id from sales where id > 3",
            "select id into #recent from #ids",
        ),
    ),
    Case(
        "select-into",
        "select count(*) from sales_into",
        [(2,)],
        "docs: SELECT INTO",
        setup=(*SALES, "select * into sales_into from sales where region = 'east'"),
    ),
    Case(
        "quoted-identifiers-fold-to-lower-case",
        'select "Id", "REGION" as "Where" from "Sales" where "Id" = 1',
        [(1, "east")],
        "docs: Names and identifiers (case is folded unless case sensitivity is on)",
        setup=SALES,
    ),
    Case(
        "late-binding-view-columns",
        "select view_name, col_name, col_type, col_num from pg_get_late_binding_view_cols() "
        "cols(view_schema name, view_name name, col_name name, col_type varchar, col_num int) "
        "order by view_name, col_num",
        [("lbv", "id", "integer", 1), ("lbv", "region", "character varying(10)", 2)],
        "docs: PG_GET_LATE_BINDING_VIEW_COLS",
        setup=(
            *SALES,
            "create view bound_v as select id from sales",
            "create view lbv as select id, region from {schema}.sales with no schema binding",
        ),
    ),
    Case(
        "materialized-view-attributes",
        "select sum(qty) from mv",
        [(80,)],
        "docs: CREATE MATERIALIZED VIEW (BACKUP, DISTSTYLE, SORTKEY, AUTO REFRESH)",
        setup=(
            *SALES,
            "create materialized view mv backup no diststyle even sortkey(id) "
            "auto refresh yes as select id, qty from sales",
        ),
    ),
    Case(
        "version-says-redshift",
        "select version() like 'PostgreSQL 8.0.2 %Redshift%'",
        [(True,)],
        "docs: VERSION function",
    ),
    Case(
        "show-redshift-setting-defaults",
        "show query_group",
        [("default",)],
        "docs: query_group (default 'default')",
    ),
    Case(
        "schema-quota-accepted",
        "select count(*) from information_schema.schemata where schema_name = 'quota_s'",
        [(1,)],
        "docs: CREATE SCHEMA (QUOTA) and ALTER SCHEMA (QUOTA)",
        setup=(
            "create schema quota_s quota 50 gb",
            "alter schema quota_s quota unlimited",
        ),
    ),
    Case(
        "set-query-group-and-show",
        "show query_group",
        [("nightly",)],
        "docs: query_group",
        setup=("set query_group to 'nightly'",),
    ),
    Case(
        "system-relations",
        "select count(*) from stl_load_errors where false union all "
        "select count(*) from svv_external_columns union all "
        "select count(*) from svv_table_info where \"table\" = 'sales'",
        [(0,), (0,), (1,)],
        "docs: STL_LOAD_ERRORS, SVV_EXTERNAL_COLUMNS, SVV_TABLE_INFO",
        setup=SALES,
    ),
    Case(
        "query-monitoring-relations",
        "select count(*) > 0 from stv_recents where status = 'Running' union all "
        "select count(*) = count(query) from stl_query union all "
        "select count(*) = count(query_id) from sys_query_history",
        [(True,), (True,), (True,)],
        "docs: STV_RECENTS, STL_QUERY, SYS_QUERY_HISTORY",
    ),
    Case(
        "privilege-check-on-system-relation",
        "select has_table_privilege(current_user, 'svv_table_info', 'SELECT')",
        [(True,)],
        "docs: HAS_TABLE_PRIVILEGE (as dbt-redshift's catalog calls it)",
    ),
    Case(
        "maintenance-statements-accepted",
        "select count(*) from sales",
        [(5,)],
        "docs: VACUUM, ANALYZE COMPRESSION, ALTER TABLE ALTER DISTSTYLE",
        setup=(
            *SALES,
            "vacuum sales",
            "vacuum delete only sales to 75 percent",
            "analyze compression sales",
            "analyze sales",
            "analyze sales predicate columns",
            "analyze verbose sales (id, qty) all columns",
            "alter table sales alter diststyle even",
            "alter table sales alter compound sortkey (id, region)",
            "alter table sales alter column seller encode zstd",
        ),
    ),
]
