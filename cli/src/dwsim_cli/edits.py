"""Building a PATCH of row counts and rules from ``--rows``, ``--rule``, ``--file`` or $EDITOR.

The patch is ``ExperimentPatch``'s JSON (``{"tables": {t: {"rows": n, "columns": {c: rule}}}}``);
the gateway validates it and names any unknown table, column or bad rule.
"""

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from dwsim_cli.api_errors import UsageError
from dwsim_cli.experiment_views import rule_text
from dwsim_shared.contracts.schema import Experiment, Table


def parse_rows(values: list[str] | None, option: str = "--rows") -> dict[str, int]:
    """``["orders=5000", "customers=1000"]`` -> ``{"orders": 5000, "customers": 1000}``."""
    rows: dict[str, int] = {}
    for value in values or []:
        name, sep, number = value.partition("=")
        try:
            rows[name.strip()] = int(number.replace("_", "").replace(",", ""))
            if not sep or not name.strip():
                raise ValueError
        except ValueError:
            raise UsageError(
                f"{option} {value!r}: expected TABLE=N with N a whole number (orders=5000)"
            ) from None
    return rows


def parse_rules(values: list[str] | None) -> dict[str, dict[str, Any]]:
    """``["orders.status={\"kind\": \"constant\", ...}"]`` -> ``{"orders": {"status": {...}}}``."""
    rules: dict[str, dict[str, Any]] = {}
    for value in values or []:
        target, sep, text = value.partition("=")
        table, dot, column = target.strip().rpartition(".")
        if not sep or not dot or not table or not column:
            raise UsageError(
                f"--rule {value!r}: expected TABLE.COLUMN=JSON "
                '(orders.status=\'{"kind": "categorical", "values": ["new", "paid"]}\')'
            )
        try:
            rule = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"--rule {target}: the rule is not JSON ({exc})") from None
        if not isinstance(rule, dict):
            raise UsageError(f"--rule {target}: the rule must be a JSON object with a 'kind'")
        rules.setdefault(table, {})[column] = rule
    return rules


def read_patch_file(path: str) -> dict[str, Any]:
    text = sys.stdin.read() if path == "-" else Path(path).read_text()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise UsageError(
            f'{path}: expected {{"tables": {{"TABLE": {{"rows": N, "columns": {{...}}}}}}}}'
        )
    return data


def build_patch(
    base: dict[str, Any] | None, rows: dict[str, int], rules: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """``base`` (a patch file's) with the command line's rows and rules on top."""
    tables: dict[str, dict[str, Any]] = {
        name: dict(entry) for name, entry in ((base or {}).get("tables") or {}).items()
    }
    for name, n in rows.items():
        tables.setdefault(name, {})["rows"] = n
    for name, columns in rules.items():
        entry = tables.setdefault(name, {})
        entry["columns"] = {**(entry.get("columns") or {}), **columns}
    return {"tables": tables}


def editable(experiment: Experiment) -> dict[str, Any]:
    """What ``--editor`` opens: every table's rows and every column's rule."""
    return {
        "tables": {
            t.name: {
                "rows": t.target_rows,
                "columns": {
                    c.name: c.rule.model_dump(mode="json", exclude_none=True) if c.rule else None
                    for c in t.columns
                },
            }
            for t in experiment.tables
        }
    }


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The patch that turns ``before`` into ``after`` (both in ``editable``'s shape)."""
    if not isinstance(after, dict) or not isinstance(after.get("tables"), dict):
        raise UsageError('the edited document must keep its shape: {"tables": {...}}')
    tables: dict[str, dict[str, Any]] = {}
    old_tables = before["tables"]
    for name, entry in after["tables"].items():
        old = old_tables.get(name, {"rows": None, "columns": {}})
        if not isinstance(entry, dict):
            raise UsageError(f"table {name}: expected an object with rows and columns")
        patch: dict[str, Any] = {}
        if entry.get("rows") is not None and entry["rows"] != old["rows"]:
            patch["rows"] = entry["rows"]
        columns = {
            column: rule
            for column, rule in (entry.get("columns") or {}).items()
            if rule != old["columns"].get(column)
        }
        if columns:
            patch["columns"] = columns
        if patch:
            tables[name] = patch
    return {"tables": tables}


def edit_in_editor(document: dict[str, Any], name: str) -> dict[str, Any]:
    """Open ``document`` as JSON in $VISUAL / $EDITOR (vi); the edited document."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="dwsim-edit-") as tmp:
        path = Path(tmp) / f"{name}.json"
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        try:
            done = subprocess.run([*shlex.split(command), str(path)], check=False)
        except OSError as exc:
            raise UsageError(f"cannot start the editor {command!r} ($EDITOR): {exc}") from None
        if done.returncode != 0:
            raise UsageError(f"the editor {command!r} exited {done.returncode}; nothing changed")
        text = path.read_text()
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"the edited document is not JSON ({exc}); nothing changed") from None


def describe(patch: dict[str, Any], before: Experiment, after: Experiment) -> list[str]:
    """One line per change made, for the person who asked for it."""
    lines = []
    for name, entry in patch["tables"].items():
        old, new = _table(before, name), _table(after, name)
        if new is None:
            continue
        if entry.get("rows") is not None:
            was = f"{old.target_rows:,} -> " if old is not None else ""
            lines.append(f"{new.name}: rows {was}{new.target_rows:,}")
        for wanted in entry.get("columns") or {}:
            column = next((c for c in new.columns if c.name.lower() == wanted.lower()), None)
            if column is not None:
                lines.append(f"{new.name}.{column.name}: {rule_text(column.rule)}")
    return lines


def _table(experiment: Experiment, name: str) -> Table | None:
    exact = [t for t in experiment.tables if t.name == name]
    folded = [t for t in experiment.tables if t.name.lower() == name.lower()]
    return (exact or folded or [None])[0]
