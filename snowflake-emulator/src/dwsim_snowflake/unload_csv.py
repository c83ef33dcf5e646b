"""Values of an unload as text, in Snowflake's default output formats, and CSV / JSON lines."""

import json
from typing import Any

import pyarrow as pa

_TEXT = {  # DuckDB type prefix -> SQL giving Snowflake's default text of {c}
    "TIMESTAMP WITH TIME ZONE": "strftime({c}, '%Y-%m-%d %H:%M:%S.%g %z')",
    "TIMESTAMP": "strftime({c}, '%Y-%m-%d %H:%M:%S.%g')",
    "DATE": "strftime({c}, '%Y-%m-%d')",
    "TIME": "strftime(DATE '2000-01-01' + {c}, '%H:%M:%S')",
    "BOOLEAN": "CASE WHEN {c} THEN 'true' WHEN NOT {c} THEN 'false' END",
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def text_select(select_sql: str, described: list[tuple[Any, ...]]) -> str:
    """The query with each column as text (NULL stays NULL), named as the query names it."""
    items = []
    for row in described:
        name, duck_type = row[0], str(row[1]).upper()
        column = _quote(name)
        template = next(
            (t for p, t in _TEXT.items() if duck_type.startswith(p)), "CAST({c} AS VARCHAR)"
        )
        if duck_type.endswith("[]") or duck_type.startswith(("STRUCT", "MAP", "JSON")):
            template = "CAST(to_json({c}) AS VARCHAR)"
        items.append(f"{template.format(c=column)} AS {column}")
    return f"SELECT {', '.join(items)} FROM ({select_sql}) AS _dwsim_unload"


def _options(options: dict) -> tuple[str, str | None, str]:
    delimiter = str(options.get("FIELD_DELIMITER", ","))
    enclosure = options.get("FIELD_OPTIONALLY_ENCLOSED_BY")
    enclosed = None if enclosure is None or str(enclosure).upper() == "NONE" else str(enclosure)
    null_if = options.get("NULL_IF", ["\\N"])
    null_text = (null_if[0] if null_if else "") if isinstance(null_if, list) else str(null_if)
    return delimiter, enclosed, null_text


def _field(value: str | None, delimiter: str, enclosed: str | None, null_text: str) -> str:
    if value is None:
        return null_text
    if enclosed and (delimiter in value or enclosed in value or "\n" in value or value == ""):
        return enclosed + value.replace(enclosed, enclosed * 2) + enclosed
    return value


def csv_text(table: pa.Table, options: dict, header: bool) -> str:
    delimiter, enclosed, null_text = _options(options)
    lines = []
    if header:
        lines.append(delimiter.join(table.column_names))
    columns = [c.to_pylist() for c in table.columns]
    for row in zip(*columns, strict=True):
        lines.append(delimiter.join(_field(v, delimiter, enclosed, null_text) for v in row))
    return "".join(line + "\n" for line in lines)


def json_lines(table: pa.Table) -> str:
    """One JSON value per line (the single VARIANT / OBJECT column); NULL rows are left out."""
    values = table.column(0).to_pylist()
    return "".join(
        json.dumps(json.loads(v), separators=(",", ":")) + "\n" for v in values if v is not None
    )
