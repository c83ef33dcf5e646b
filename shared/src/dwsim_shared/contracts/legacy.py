"""Accept the earlier dw-simulator JSON format: its field names are mapped onto today's models.

Legacy fields: experiment ``target_warehouse``; table ``target_rows``, ``composite_keys``;
column ``data_type``, ``varchar_length``, ``required``, ``unique``/``is_unique``, ``faker_rule``,
``min_value``, ``max_value``, ``date_start``, ``date_end``, ``distribution``,
``foreign_key{references_table, references_column, nullable}``.
"""

from typing import Any

_RULE_FIELDS = ("faker_rule", "min_value", "max_value", "date_start", "date_end", "distribution")
_LIFTED = ("unique", "is_unique", "foreign_key")
_DIST_PARAM_NAMES = {"stddev": "std", "lambda": "lam", "alpha": "a", "beta": "b"}


def upgrade_experiment(data: Any) -> Any:
    if not isinstance(data, dict) or "target_warehouse" not in data:
        return data
    data = dict(data)
    data.setdefault("warehouse", data.pop("target_warehouse"))
    data.pop("target_warehouse", None)
    return data


def upgrade_table(data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    legacy_columns = any(
        isinstance(c, dict) and any(k in c for k in _LIFTED) for c in data.get("columns", [])
    )
    if not ({"target_rows", "composite_keys"} & data.keys() or legacy_columns):
        return data
    data = dict(data)
    if "target_rows" in data:
        data.setdefault("rows", data.pop("target_rows"))
        data.pop("target_rows", None)
    composite = data.pop("composite_keys", None) or []
    unique = list(data.get("unique", []))
    fks = list(data.get("foreign_keys", []))
    columns = []
    for column in data.get("columns", []):
        if isinstance(column, dict):
            column = dict(column)
            if column.pop("unique", False) | column.pop("is_unique", False):
                unique.append({"columns": [column.get("name")]})
            fk = column.pop("foreign_key", None)
            if fk:
                fks.append(
                    {
                        "columns": [column.get("name")],
                        "references_table": fk["references_table"],
                        "references_columns": [fk["references_column"]],
                    }
                )
                if "nullable" in fk:
                    column["nullable"] = bool(fk["nullable"])
        columns.append(column)
    data["columns"] = columns
    for i, key in enumerate(composite):
        if i == 0 and not data.get("primary_key"):
            data["primary_key"] = list(key)
        else:
            unique.append({"columns": list(key)})
    data["unique"] = unique
    data["foreign_keys"] = fks
    return data


def upgrade_column(data: Any) -> Any:
    if not isinstance(data, dict) or not (
        {"data_type", "required", "varchar_length", *_RULE_FIELDS} & data.keys()
    ):
        return data
    data = dict(data)
    if "data_type" in data:
        raw = str(data.pop("data_type"))
        length = data.pop("varchar_length", None)
        if length and "(" not in raw:
            raw = f"{raw}({int(length)})"
        data["type"] = raw
    data.pop("varchar_length", None)
    if "required" in data:
        data["nullable"] = not data.pop("required")
    rule = _legacy_rule(data)
    if rule and "rule" not in data:
        data["rule"] = rule
    return data


def _legacy_rule(data: dict[str, Any]) -> dict[str, Any] | None:
    faker = data.pop("faker_rule", None)
    low = data.pop("min_value", None)
    high = data.pop("max_value", None)
    start = data.pop("date_start", None)
    end = data.pop("date_end", None)
    dist = data.pop("distribution", None)
    if faker:
        return {"kind": "faker", "provider": faker}
    low = low if low is not None else start
    high = high if high is not None else end
    if dist:
        kind = dist if isinstance(dist, str) else dist.get("type") or dist.get("name")
        raw_params = (
            {} if isinstance(dist, str) else dist.get("parameters") or dist.get("params") or {}
        )
        params = {_DIST_PARAM_NAMES.get(k, k): float(v) for k, v in raw_params.items()}
        return {
            "kind": "distribution",
            "distribution": kind,
            "params": params,
            "min": low,
            "max": high,
        }
    if low is not None or high is not None:
        return {"kind": "range", "min": _plain(low), "max": _plain(high)}
    return None


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
