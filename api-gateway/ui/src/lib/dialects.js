// Each warehouse's SQL dialect for the editor: keyword, type and builtin sets as data.
import { PostgreSQL, SQLDialect, SQLite, StandardSQL } from "@codemirror/lang-sql";

// lang-sql splits these lists on single spaces
const words = (...lists) => lists.join(" ").replace(/\s+/g, " ").trim();

const Redshift = SQLDialect.define({
  ...PostgreSQL.spec,
  keywords: words(PostgreSQL.spec.keywords, `diststyle distkey sortkey compound interleaved encode
    unload copy manifest iam_role credentials format parquet csv delimiter ignoreheader gzip
    backup identity super listagg approximate qualify pivot unpivot top`),
  types: words(PostgreSQL.spec.types, `super varbyte geometry geography hllsketch timetz
    timestamptz`),
  builtin: words(PostgreSQL.spec.builtin || "", `getdate sysdate dateadd datediff date_trunc nvl nvl2
    decode listagg median percentile_cont approximate json_extract_path_text split_part`),
});

const Snowflake = SQLDialect.define({
  keywords: words(`select from where group by order having limit
    offset qualify lateral flatten ilike rlike regexp sample tablesample pivot unpivot match_recognize
    copy into stage file_format pattern files force on_error create replace transient temporary
    clone undrop show describe use warehouse database schema role grant revoke merge using when
    matched then insert update delete truncate with recursive union all intersect minus except
    distinct as on join inner left right full outer cross natural asc desc nulls first last
    case else end and or not is null true false in between like exists interval cluster`),
  types: words(`number decimal numeric int integer bigint smallint tinyint byteint float float4 float8
    double real varchar char character string text binary varbinary boolean date datetime time
    timestamp timestamp_ltz timestamp_ntz timestamp_tz variant object array geography geometry`),
  builtin: words(`iff nvl nvl2 zeroifnull dateadd datediff date_trunc to_date to_timestamp to_char
    to_number try_cast parse_json object_construct array_agg array_construct listagg split_part
    current_date current_timestamp sysdate uuid_string hash md5 sha2 approx_count_distinct median
    ratio_to_report`),
  doubleDollarQuotedStrings: true,
  slashComments: true,
});

const byWarehouse = { redshift: Redshift, snowflake: Snowflake, sqlite: SQLite };
const byDialect = { redshift: Redshift, snowflake: Snowflake, postgres: PostgreSQL };

export const WAREHOUSES = [
  { value: "redshift", label: "Redshift", dialect: "redshift" },
  { value: "snowflake", label: "Snowflake", dialect: "snowflake" },
  { value: "sqlite", label: "SQLite", dialect: "postgres" },
];

export const DIALECTS = [
  { value: "redshift", label: "Redshift" },
  { value: "snowflake", label: "Snowflake" },
  { value: "postgres", label: "PostgreSQL" },
];

export const warehouseLabel = (w) => (WAREHOUSES.find((x) => x.value === w) || { label: w }).label;
export const dialectForWarehouse = (w) => byWarehouse[w] || StandardSQL;
export const dialectForDdl = (d) => byDialect[d] || StandardSQL;
