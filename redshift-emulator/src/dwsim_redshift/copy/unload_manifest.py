"""UNLOAD's MANIFEST: ``<prefix>manifest`` listing every file written; VERBOSE adds each file's
row count, the columns and their types, the totals and the author, as Redshift writes it."""

import json

from dwsim_redshift.backend.session import BackendSession
from dwsim_redshift.copy.options import UnloadCommand
from dwsim_redshift.copy.unload_parts import Written


def write_manifest(
    client,
    bucket: str,
    prefix: str,
    cmd: UnloadCommand,
    written: list[Written],
    columns: list[tuple[str, int]],
    session: BackendSession,
) -> None:
    verbose = cmd.has("VERBOSE")
    entries = []
    for w in written:
        meta: dict[str, int] = {"content_length": w.size}
        if verbose:
            meta["record_count"] = w.rows
        entries.append({"url": w.url, "meta": meta})
    doc: dict[str, object] = {"entries": entries}
    if verbose:
        types = _type_names(session, {oid for _, oid in columns})
        doc["schema"] = {
            "elements": [{"name": n, "type": {"base": types.get(oid, "")}} for n, oid in columns]
        }
        doc["meta"] = {
            "content_length": sum(w.size for w in written),
            "record_count": sum(w.rows for w in written),
        }
        doc["author"] = {"name": "Amazon Redshift", "version": "1.0.0"}
    body = json.dumps(doc, indent=2).encode()
    client.put_object(Bucket=bucket, Key=prefix + "manifest", Body=body)


def _type_names(session: BackendSession, oids: set[int]) -> dict[int, str]:
    if not oids:
        return {}
    listed = ", ".join(str(int(o)) for o in oids)
    _, rows = session.query(
        f"SELECT oid::int8, pg_catalog.format_type(oid, NULL) FROM pg_catalog.pg_type "
        f"WHERE oid IN ({listed})"
    )
    return {int(r[0]): r[1] for r in rows}
