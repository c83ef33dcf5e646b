"""Fixes to how fakesnow's server encodes results (installed by the launcher).

- NULL timestamps: fakesnow builds Snowflake's timestamp struct (epoch, fraction[, timezone])
  without a validity mask, so snowflake-connector-python read a NULL TIMESTAMP_NTZ/LTZ/TZ
  as 1970-01-01 00:00:00. The struct now carries the column's nulls.
- VARIANT / OBJECT / ARRAY columns: fakesnow sent DuckDB's compact JSON (``{"a":1}``);
  Snowflake sends it indented (``{\\n  "a": 1\\n}``), see variant_text.py. Only what is sent to
  the client changes: the session's results (RESULT_SCAN) keep the values as computed.
- DuckDB lists, structs and maps (``SELECT ARRAY_CONSTRUCT(1, 2)``, ``SELECT [1, 2]``): fakesnow's
  server had no Snowflake type for them and answered HTTP 500. They are sent as Snowflake's
  ARRAY / OBJECT, JSON text (DuckDB's ``to_json``) laid out as above.
"""

from typing import Any

import duckdb
import fakesnow.arrow as fs_arrow
import fakesnow.server as fs_server
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_snowflake.variant_text import indented

_original_timestamp_struct = fs_arrow.timestamp_to_sf_struct
_original_to_sf = fs_server.to_sf
_original_rowtype = fs_server.describe_as_rowtype
_SEMI_STRUCTURED = {"variant", "object", "array"}


def timestamp_to_sf_struct(ts: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(ts, pa.ChunkedArray):
        ts = ts.combine_chunks()
    if ts.null_count == 0:
        return _original_timestamp_struct(ts)
    nulls = pc.is_null(ts)
    filled = pc.if_else(nulls, pa.scalar(0, pa.int64()).cast(ts.type), ts)
    struct = _original_timestamp_struct(filled)
    return pa.StructArray.from_arrays(struct.flatten(), fields=list(struct.type), mask=nulls)


def _nested_kind(duckdb_type: str) -> str | None:
    """Snowflake's type for a DuckDB list, struct or map, else None."""
    if duckdb_type.endswith("]"):
        return "array"
    if duckdb_type.startswith(("STRUCT(", "MAP(")):
        return "object"
    return None


def describe_as_rowtype(describe_results: list) -> list[Any]:
    """fakesnow's column types, with lists as ARRAY and structs and maps as OBJECT."""
    kinds = [_nested_kind(row[1]) for row in describe_results]
    plain = [
        (row[0], "JSON", *row[2:]) if kind else row
        for row, kind in zip(describe_results, kinds, strict=True)
    ]
    rowtype = _original_rowtype(plain)
    for info, kind in zip(rowtype, kinds, strict=True):
        if kind:
            info["type"] = kind
    return rowtype


def _as_json(column: pa.ChunkedArray) -> pa.ChunkedArray:
    with duckdb.connect() as conn:
        conn.register("nested", pa.table({"v": column}))
        return conn.sql("SELECT to_json(v)::VARCHAR AS v FROM nested").to_arrow_table().column(0)


def _laid_out(column: pa.ChunkedArray) -> pa.ChunkedArray:
    values = [None if v is None else indented(v) for v in column.to_pylist()]
    return pa.chunked_array([pa.array(values, type=column.type)], type=column.type)


def to_sf(table: pa.Table, rowtype: list[Any]) -> pa.Table:
    """fakesnow's encoding, with semi-structured values laid out as Snowflake lays them out."""
    for i, info in enumerate(rowtype):
        column = table.column(i)
        if pa.types.is_nested(column.type) and info["type"] in _SEMI_STRUCTURED:
            column = _as_json(column)
            table = table.set_column(i, table.field(i).with_type(column.type), column)
        text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        if info["type"] in _SEMI_STRUCTURED and text:
            table = table.set_column(i, table.field(i), _laid_out(column))
    return _original_to_sf(table, rowtype)


def install() -> None:
    fs_arrow.timestamp_to_sf_struct = timestamp_to_sf_struct
    fs_server.to_sf = to_sf
    fs_server.describe_as_rowtype = describe_as_rowtype
