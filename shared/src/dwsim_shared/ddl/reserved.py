"""Reserved words each dialect refuses as an unquoted table or column name, and the check.

Data only, one entry per dialect (read by ``check_unquoted_name``). Each list is the warehouse's
own, no more: a keyword the warehouse accepts unquoted (most are non-reserved) is not here, so
an import is never stricter than the warehouse. Quoted names (``"select"``) are always accepted.

- Redshift: every word of "Reserved words" (docs.aws.amazon.com/redshift/latest/dg/
  r_pg_keywords.html); START and CONNECT are not reserved there.
- Snowflake: "Reserved & limited keywords" (docs.snowflake.com/en/sql-reference/
  reserved-keywords), only the rows Snowflake refuses in CREATE TABLE: those "Reserved by ANSI",
  "Reserved by Snowflake" or "by Snowflake and others" everywhere; CONSTRAINT and those
  "Cannot be used as column name" as column names. The limited ones (CASE, LEFT, SCHEMA, VIEW,
  ...: refused only in a SHOW command, a FROM clause or a scalar expression) are accepted.
- PostgreSQL: ``pg_get_keywords()`` of PostgreSQL 15, categories R (reserved) and T (reserved,
  can be function or type): a table or column name is a ``ColId``, which admits neither.
"""

from dataclasses import dataclass

from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.ddl.tokens import Token, TokenKind
from dwsim_shared.errors import DDLError


@dataclass(frozen=True)
class ReservedWords:
    tables: frozenset[str]  # refused as an unquoted table (or schema, database) name
    columns: frozenset[str]  # refused as an unquoted column name


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_REDSHIFT = _words("""
    AES128 AES256 ALL ALLOWOVERWRITE ANALYSE ANALYZE AND ANY ARRAY AS ASC AUTHORIZATION AZ64
    BACKUP BETWEEN BINARY BLANKSASNULL BOTH BYTEDICT BZIP2 CASE CAST CHECK COLLATE COLUMN
    CONSTRAINT CREATE CREDENTIALS CROSS CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER
    CURRENT_USER_ID DEFAULT DEFERRABLE DEFLATE DEFRAG DELTA DELTA32K DESC DISABLE DISTINCT DO
    ELSE EMPTYASNULL ENABLE ENCODE ENCRYPT ENCRYPTION END EXCEPT EXPLICIT FALSE FOR FOREIGN
    FREEZE FROM FULL GLOBALDICT256 GLOBALDICT64K GRANT GROUP GZIP HAVING IDENTITY IGNORE ILIKE
    IN INITIALLY INNER INTERSECT INTERVAL INTO IS ISNULL JOIN LEADING LEFT LIKE LIMIT LOCALTIME
    LOCALTIMESTAMP LUN LUNS LZO LZOP MINUS MOSTLY16 MOSTLY32 MOSTLY8 NATURAL NEW NOT NOTNULL
    NULL NULLS OFF OFFLINE OFFSET OID OLD ON ONLY OPEN OR ORDER OUTER OVERLAPS PARALLEL
    PARTITION PERCENT PERMISSIONS PIVOT PLACING PRIMARY RAW READRATIO RECOVER REFERENCES
    REJECTLOG RESORT RESPECT RESTORE RIGHT SELECT SESSION_USER SIMILAR SNAPSHOT SOME SYSDATE
    SYSTEM TABLE TAG TDES TEXT255 TEXT32K THEN TIMESTAMP TO TOP TRAILING TRUE TRUNCATECOLUMNS
    UNION UNIQUE UNNEST UNPIVOT USER USING VERBOSE WALLET WHEN WHERE WITH WITHOUT
""")

_SNOWFLAKE = _words("""
    ALL ALTER AND ANY AS BETWEEN BY CHECK COLUMN CONNECT CREATE CURRENT DELETE DISTINCT DROP
    ELSE EXISTS FOLLOWING FOR FROM GRANT GROUP HAVING ILIKE IN INCREMENT INSERT INTERSECT INTO
    IS LIKE MINUS NOT NULL OF ON OR ORDER QUALIFY REGEXP REVOKE RLIKE ROW ROWS SAMPLE SELECT SET
    SOME START TABLE TABLESAMPLE THEN TO TRIGGER UNION UNIQUE UPDATE VALUES WHENEVER WHERE
    WINDOW WITH
""")
_SNOWFLAKE_COLUMNS_ONLY = _words("""
    CONSTRAINT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER LOCALTIME LOCALTIMESTAMP
""")

_POSTGRES = _words("""
    ALL ANALYSE ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC BOTH CASE CAST CHECK COLLATE COLUMN
    CONSTRAINT CREATE CURRENT_CATALOG CURRENT_DATE CURRENT_ROLE CURRENT_TIME CURRENT_TIMESTAMP
    CURRENT_USER DEFAULT DEFERRABLE DESC DISTINCT DO ELSE END EXCEPT FALSE FETCH FOR FOREIGN FROM
    GRANT GROUP HAVING IN INITIALLY INTERSECT INTO LATERAL LEADING LIMIT LOCALTIME LOCALTIMESTAMP
    NOT NULL OFFSET ON ONLY OR ORDER PLACING PRIMARY REFERENCES RETURNING SELECT SESSION_USER SOME
    SYMMETRIC TABLE THEN TO TRAILING TRUE UNION UNIQUE USER USING VARIADIC WHEN WHERE WINDOW WITH
    AUTHORIZATION BINARY COLLATION CONCURRENTLY CROSS CURRENT_SCHEMA FREEZE FULL ILIKE INNER IS
    ISNULL JOIN LEFT LIKE NATURAL NOTNULL OUTER OVERLAPS RIGHT SIMILAR TABLESAMPLE VERBOSE
""")

RESERVED: dict[Dialect, ReservedWords] = {
    Dialect.REDSHIFT: ReservedWords(tables=_REDSHIFT, columns=_REDSHIFT),
    Dialect.SNOWFLAKE: ReservedWords(
        tables=_SNOWFLAKE, columns=_SNOWFLAKE | _SNOWFLAKE_COLUMNS_ONLY
    ),
    Dialect.POSTGRES: ReservedWords(tables=_POSTGRES, columns=_POSTGRES),
}

_DIALECT_NAMES = {
    Dialect.REDSHIFT: "Redshift",
    Dialect.SNOWFLAKE: "Snowflake",
    Dialect.POSTGRES: "PostgreSQL",
}


def check_unquoted_name(token: Token, what: str, dialect: Dialect, where: str = "") -> None:
    """Raise ``DDLError`` at ``token`` if it is an unquoted word ``dialect`` reserves for
    ``what`` ("table", "schema", "database" or "column"); ``where`` says what it names."""
    if token.kind != TokenKind.WORD:
        return
    words = RESERVED[dialect]
    reserved = words.columns if what == "column" else words.tables
    if token.value.upper() not in reserved:
        return
    named = f" ({where})" if where else ""
    raise DDLError(
        f"{token.value} is a reserved word in {_DIALECT_NAMES[dialect]} and cannot be an "
        f'unquoted {what} name{named}; double-quote it ("{token.value}") to use it as a name',
        token.line,
        token.col,
    )
