"""What the database already knows about its data: ``pg_stats``, row counts, and per foreign
key how many children each parent row has. Only statistics and counts are read."""

from dataclasses import dataclass, field

from dwsim_shared.profile.catalog import CatalogKey, CatalogTable
from dwsim_shared.profile.connection import ProfileError, Session

STATS_SQL = """
SELECT s.tablename, s.attname, s.inherited, s.null_frac, s.n_distinct,
       s.most_common_vals::text, s.most_common_freqs, s.histogram_bounds::text, s.correlation
FROM pg_catalog.pg_stats s
WHERE s.schemaname = %s AND s.tablename IN %s
"""


@dataclass
class ColumnStats:
    """One column's row of ``pg_stats`` (values as PostgreSQL prints them)."""

    null_frac: float
    n_distinct: float  # > 0: a count; < 0: minus the share of rows that are distinct
    common: list[str | None] = field(default_factory=list)  # most_common_vals
    freqs: list[float] = field(default_factory=list)  # most_common_freqs, shares of all rows
    bounds: list[str | None] = field(default_factory=list)  # histogram_bounds (other values)
    correlation: float | None = None

    def distinct(self, rows: int) -> int:
        """Distinct non-NULL values over ``rows`` rows."""
        if self.n_distinct < 0:
            return max(1, round(-self.n_distinct * rows))
        return max(1, round(self.n_distinct))

    def shares(self) -> list[float]:
        """The most common values' shares of the non-NULL rows."""
        present = 1.0 - self.null_frac
        return [f / present for f in self.freqs] if present > 0 else [0.0 for _ in self.freqs]


@dataclass
class FanoutCounts:
    """Children per parent row of one foreign key: (children, parents with that many)."""

    counts: list[tuple[int, int]]
    orphans: int = 0  # child rows whose key no parent holds (keys not enforced)

    @property
    def parents(self) -> int:
        return sum(p for _, p in self.counts)

    @property
    def children(self) -> int:
        return sum(n * p for n, p in self.counts)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_stats(
    session: Session, schema: str, tables: list[CatalogTable]
) -> dict[str, dict[str, ColumnStats]]:
    """``pg_stats`` per table and column (a partitioned table's rows over its partitions).

    The value arrays are read as text and parsed here (cast in SQL, an array of a type with
    another delimiter would fail the whole query)."""
    from psycopg2.extensions import STRINGARRAY

    def parse(text: str | None) -> list:
        """Array text as strings (None for a NULL or a nested array: not a rule value)."""
        return [v if isinstance(v, str) else None for v in STRINGARRAY(text, None)] if text else []

    partitioned = {t.name for t in tables if t.partitioned}
    names = tuple(t.name for t in tables)
    out: dict[str, dict[str, ColumnStats]] = {t.name: {} for t in tables}
    for (
        table,
        column,
        inherited,
        null_frac,
        n_distinct,
        common,
        freqs,
        bounds,
        corr,
    ) in session.rows(STATS_SQL, (schema, names), "pg_stats"):
        if bool(inherited) != (table in partitioned):
            continue
        out[table][column] = ColumnStats(
            float(null_frac or 0.0), float(n_distinct or 0.0), parse(common),
            [float(f) for f in freqs or []], parse(bounds),
            None if corr is None else float(corr),
        )  # fmt: skip
    return out


def row_counts(
    session: Session, schema: str, tables: list[CatalogTable], estimate: bool
) -> dict[str, int]:
    """Rows per table: ``count(*)``, or ``pg_class.reltuples`` when ``estimate`` (and known)."""
    out = {}
    for table in tables:
        if estimate and table.reltuples >= 0:
            out[table.name] = round(table.reltuples)
            continue
        sql = f"SELECT count(*) FROM {_quote(schema)}.{_quote(table.name)}"
        out[table.name] = int(session.rows(sql, None, f"the row count of {table.name}")[0][0])
    return out


def check_analyzed(
    stats: dict[str, dict[str, ColumnStats]], rows: dict[str, int], schema: str
) -> None:
    """Refuse tables that hold rows but have no statistics yet."""
    missing = [t for t, columns in stats.items() if rows.get(t, 0) > 0 and not columns]
    if missing:
        names = ", ".join(missing)
        analyze = "; ".join(f"ANALYZE {_quote(schema)}.{_quote(t)}" for t in missing)
        raise ProfileError(
            f"no statistics for table {names} in schema {schema}: run ANALYZE first "
            f"({analyze};) and profile again"
        )


def fanout_counts(session: Session, schema: str, child: str, key: CatalogKey) -> FanoutCounts:
    """One aggregate per foreign key: how many parents have n children, for every n."""
    assert key.ref_table is not None
    parent_t = f"{_quote(schema)}.{_quote(key.ref_table)}"
    child_t = f"{_quote(schema)}.{_quote(child)}"
    on = " AND ".join(f"c.{_quote(c)} = p.{_quote(r)}"
                      for c, r in zip(key.columns, key.ref_columns, strict=True))  # fmt: skip
    group = ", ".join(f"p.{_quote(r)}" for r in key.ref_columns)
    sql = (
        f"SELECT n, count(*) FROM (SELECT count(c.{_quote(key.columns[0])}) AS n "
        f"FROM {parent_t} p LEFT JOIN {child_t} c ON {on} GROUP BY {group}) per_parent "
        "GROUP BY n ORDER BY n"
    )
    label = f"the fan-out of {child}({', '.join(key.columns)}) -> {key.ref_table}"
    counts = [(int(n), int(p)) for n, p in session.rows(sql, None, label)]
    orphans = 0
    if not key.validated:
        present = " AND ".join(f"c.{_quote(c)} IS NOT NULL" for c in key.columns)
        sql = (
            f"SELECT count(*) FROM {child_t} c WHERE {present} AND NOT EXISTS "
            f"(SELECT 1 FROM {parent_t} p WHERE {on})"
        )
        orphans = int(session.rows(sql, None, label)[0][0])
    return FanoutCounts(counts, orphans)
