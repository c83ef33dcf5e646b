"""Fixes to how fakesnow's server encodes results (installed by the launcher).

- NULL timestamps: fakesnow builds Snowflake's timestamp struct (epoch, fraction[, timezone])
  without a validity mask, so snowflake-connector-python read a NULL TIMESTAMP_NTZ/LTZ/TZ
  as 1970-01-01 00:00:00. The struct now carries the column's nulls.
"""

import fakesnow.arrow as fs_arrow
import pyarrow as pa
import pyarrow.compute as pc

_original_timestamp_struct = fs_arrow.timestamp_to_sf_struct


def timestamp_to_sf_struct(ts: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(ts, pa.ChunkedArray):
        ts = ts.combine_chunks()
    if ts.null_count == 0:
        return _original_timestamp_struct(ts)
    nulls = pc.is_null(ts)
    filled = pc.if_else(nulls, pa.scalar(0, pa.int64()).cast(ts.type), ts)
    struct = _original_timestamp_struct(filled)
    return pa.StructArray.from_arrays(struct.flatten(), fields=list(struct.type), mask=nulls)


def install() -> None:
    fs_arrow.timestamp_to_sf_struct = timestamp_to_sf_struct
