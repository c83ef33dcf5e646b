"""Tables, columns and keys from PostgreSQL's catalog, written out as DDL for ``import_ddl``.

Going through DDL import gives a profiled schema the same types, keys and inferred rules as
``dwsim schema import``; the statistics then override the rules. Through the Redshift
emulator ``pg_constraint`` also lists the keys it records without enforcing them.
"""

from dataclasses import dataclass, field

from dwsim_shared.profile.connection import ProfileError, Session, where


@dataclass
class CatalogColumn:
    name: str
    type_text: str  # format_type(), a domain's base type
    not_null: bool
    serial: bool  # DEFAULT nextval(...)
    identity: bool
    enum: str | None = None  # the enum type's name


@dataclass
class CatalogKey:
    kind: str  # p, u, f
    columns: list[str]
    ref_table: str | None = None
    ref_columns: list[str] = field(default_factory=list)
    validated: bool = True


@dataclass
class CatalogTable:
    oid: int
    name: str
    partitioned: bool
    reltuples: float
    columns: list[CatalogColumn] = field(default_factory=list)
    keys: list[CatalogKey] = field(default_factory=list)


TABLES_SQL = """
SELECT c.oid, c.relname, c.relkind, c.reltuples
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname
"""
COLUMNS_SQL = """
SELECT a.attrelid, a.attnum, a.attname,
       CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod)
            ELSE pg_catalog.format_type(a.atttypid, a.atttypmod) END,
       a.attnotnull, a.attidentity <> '',
       coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%%',
       t.typtype, t.typname
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid IN %s AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""
ENUMS_SQL = """
SELECT t.typname, e.enumlabel
FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
WHERE t.typname IN %s
ORDER BY t.typname, e.enumsortorder
"""
KEYS_SQL = """
SELECT con.conrelid, con.contype, con.conkey, con.confrelid, con.confkey, con.convalidated
FROM pg_catalog.pg_constraint con
WHERE con.contype IN ('p', 'u', 'f') AND con.conrelid IN %s
ORDER BY con.conrelid, con.contype, con.conname
"""


def read_catalog(
    session: Session, schema: str, only: list[str] | None
) -> tuple[list[CatalogTable], list[str]]:
    """The schema's tables (all, or those named in ``only``) and warnings."""
    found = session.rows(TABLES_SQL, (schema,), f"the tables of schema {schema}")
    tables = [CatalogTable(int(oid), name, kind == "p", float(tuples or 0))
              for oid, name, kind, tuples in found]  # fmt: skip
    if not tables:
        raise ProfileError(
            f"schema {schema} on {where(session.dsn)} has no tables this user can see"
        )
    if only:
        by_name = {t.name.lower(): t for t in tables}
        missing = [n for n in only if n.lower() not in by_name]
        if missing:
            known = ", ".join(t.name for t in tables)
            raise ProfileError(
                f"no table {', '.join(missing)} in schema {schema} (tables: {known})"
            )
        tables = [by_name[n.lower()] for n in dict.fromkeys(only)]
    by_oid = {t.oid: t for t in tables}
    oids = tuple(by_oid)
    attnames: dict[int, dict[int, str]] = {oid: {} for oid in oids}
    for (
        relid,
        attnum,
        name,
        type_text,
        not_null,
        identity,
        serial,
        typtype,
        typname,
    ) in session.rows(COLUMNS_SQL, (oids,), "the columns"):
        enum = typname if typtype == "e" else None
        column = CatalogColumn(name, type_text, bool(not_null), bool(serial), bool(identity), enum)
        by_oid[relid].columns.append(column)
        attnames[relid][int(attnum)] = name
    warnings = []
    for relid, kind, conkey, confrelid, confkey, validated in session.rows(
        KEYS_SQL, (oids,), "the primary, unique and foreign keys"
    ):
        table = by_oid[relid]
        columns = [attnames[relid][int(n)] for n in conkey]
        if kind != "f":
            table.keys.append(CatalogKey(kind, columns))
            continue
        parent = by_oid.get(confrelid)
        if parent is None:
            warnings.append(
                f"{table.name}: foreign key ({', '.join(columns)}) references a table outside "
                "the profiled tables; it is left out"
            )
            continue
        ref_columns = [attnames[confrelid][int(n)] for n in confkey]
        table.keys.append(CatalogKey("f", columns, parent.name, ref_columns, bool(validated)))
    return tables, warnings


def enum_labels(session: Session, tables: list[CatalogTable]) -> dict[str, list[str]]:
    names = tuple({c.enum for t in tables for c in t.columns if c.enum})
    if not names:
        return {}
    labels: dict[str, list[str]] = {}
    for typname, label in session.rows(ENUMS_SQL, (names,), "enum labels"):
        labels.setdefault(typname, []).append(label)
    return labels


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def to_ddl(tables: list[CatalogTable], labels: dict[str, list[str]]) -> str:
    """PostgreSQL DDL of ``tables`` (enum types first), for ``import_ddl``."""
    statements = [
        f"CREATE TYPE {_quote(name)} AS ENUM ({', '.join(_literal(v) for v in values)});"
        for name, values in sorted(labels.items())
    ]
    for table in tables:
        lines = []
        for column in table.columns:
            text = f"    {_quote(column.name)} "
            text += _quote(column.enum) if column.enum else column.type_text
            if column.not_null:
                text += " NOT NULL"
            if column.identity:
                text += " GENERATED BY DEFAULT AS IDENTITY"
            elif column.serial:
                text += f" DEFAULT nextval({_literal(table.name + '_' + column.name + '_seq')})"
            lines.append(text)
        for key in table.keys:
            cols = ", ".join(_quote(c) for c in key.columns)
            if key.kind == "p":
                lines.append(f"    PRIMARY KEY ({cols})")
            elif key.kind == "u":
                lines.append(f"    UNIQUE ({cols})")
            else:
                assert key.ref_table is not None
                refs = ", ".join(_quote(c) for c in key.ref_columns)
                lines.append(
                    f"    FOREIGN KEY ({cols}) REFERENCES {_quote(key.ref_table)} ({refs})"
                )
        statements.append(f"CREATE TABLE {_quote(table.name)} (\n" + ",\n".join(lines) + "\n);")
    return "\n\n".join(statements) + "\n"
