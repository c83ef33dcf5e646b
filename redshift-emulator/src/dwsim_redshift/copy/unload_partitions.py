"""UNLOAD ... PARTITION BY (cols) [INCLUDE]: one Hive-style folder per partition value,
``<path>/col=value/<name prefix>0000_part_00``; partition columns are left out of the files
unless INCLUDE. The query runs once, into a temporary table read partition by partition."""

import contextlib
import uuid
from collections.abc import Callable

from dwsim_redshift.backend.session import BackendError, BackendSession
from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.options import UnloadCommand
from dwsim_redshift.copy.target import quote_ident, quote_literal
from dwsim_redshift.copy.unload_parts import Parts, Written

NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
_ESCAPED = set("\"#%'*/:=?\\{[]^\x7f")


def partitioned(
    cmd: UnloadCommand,
    query: str,
    columns: list[tuple[str, int]],
    session: BackendSession,
    bucket: str,
    prefix: str,
    upload: Callable[[str, str], None],
    render: Callable,
) -> list[Written]:
    names = [n for n, _ in columns]
    keys = cmd.partition_by
    for key in keys:
        if key not in names:
            raise CopyError(
                f"Partition column '{key}' is not a column of the UNLOAD query's result",
                sqlstate="42703",
            )
    kept = [(n, oid) for n, oid in columns if cmd.has("INCLUDE") or n not in keys]
    if not kept:
        raise CopyError(
            "UNLOAD with PARTITION BY needs at least one column that is not a partition column",
            sqlstate="42601",
        )
    folder, _, name_prefix = prefix.rpartition("/")
    folder = folder + "/" if folder else ""
    scratch = quote_ident(f"dwsim_unload_{uuid.uuid4().hex[:12]}")
    session.query(f"CREATE TEMPORARY TABLE {scratch} AS {query}")
    written: list[Written] = []
    try:
        key_list = ", ".join(f"{quote_ident(k)}::text" for k in keys)
        _, values = session.query(f"SELECT DISTINCT {key_list} FROM {scratch} ORDER BY {key_list}")
        selected = ", ".join(quote_ident(n) for n, _ in kept)
        for row in values:
            where = " AND ".join(
                f"{quote_ident(k)}::text IS NOT DISTINCT FROM "
                + ("NULL" if v is None else quote_literal(str(v)))
                for k, v in zip(keys, row, strict=True)
            )
            path = "".join(f"{k}={_hive_value(v)}/" for k, v in zip(keys, row, strict=True))
            parts = Parts(cmd, bucket, folder + path + name_prefix, upload)
            render(cmd, f"SELECT {selected} FROM {scratch} WHERE {where}", kept, session, parts)
            written.extend(parts.files)
    finally:
        # after a failure the transaction is aborted: the table goes with it
        with contextlib.suppress(BackendError):
            session.query(f"DROP TABLE IF EXISTS {scratch}")
    return written


def _hive_value(value: object) -> str:
    """A partition value as Hive writes it in a path: escaped, NULL as its default partition."""
    if value is None:
        return NULL_PARTITION
    text = str(value)
    return "".join(f"%{ord(c):02X}" if c in _ESCAPED or ord(c) < 32 else c for c in text)
