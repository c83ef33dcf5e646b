"""What the Snowflake adapter reads from the connector: type names, JSON values, and the
server's error messages without the connector's decorations."""

import contextlib
import json
import re
from typing import Any

from dwsim_shared.warehouses.values import json_safe, json_safe_row

JSON_TYPES = {"VARIANT", "OBJECT", "ARRAY"}


def close_quietly(cursor: Any, conn: Any) -> None:
    with contextlib.suppress(Exception):  # the server may have dropped the session
        cursor.close()
    with contextlib.suppress(Exception):
        conn.close()


def type_name(type_code: int) -> str:
    from snowflake.connector.constants import FIELD_ID_TO_NAME

    name = FIELD_ID_TO_NAME.get(type_code, str(type_code))
    return "NUMBER" if name == "FIXED" else name


def result_row(row: tuple, json_columns: list[int]) -> list[Any]:
    out = json_safe_row(row)
    for i in json_columns:
        if isinstance(out[i], str):
            with contextlib.suppress(ValueError):
                out[i] = json_safe(json.loads(out[i]))
    return out


_ERROR_PREFIX = re.compile(r"^\d{6} \(\w+\): (?:None: )?")


def message(exc: Exception) -> str:
    """The server's own words, then Snowflake's error number (no query id or SQL state)."""
    msg = getattr(exc, "raw_msg", None) or getattr(exc, "msg", None) or str(exc)
    msg = _ERROR_PREFIX.sub("", msg)  # the emulator sends its message already prefixed
    errno = getattr(exc, "errno", None)
    return f"{msg} (error {errno})" if errno not in (None, -1) else msg


def connect(config: Any, **extra: Any) -> Any:
    """A connector session on ``config`` (a SnowflakeConnection), ``extra`` passed to the
    connector; an emulator that does not answer is a WarehouseUnavailableError naming it."""
    from dwsim_shared.contracts.enums import Warehouse
    from dwsim_shared.warehouses.base import WarehouseError, WarehouseUnavailableError

    try:
        import snowflake.connector
        from snowflake.connector.errors import Error
    except ImportError as exc:
        raise WarehouseError(
            f"snowflake-connector-python is not installed ({exc}); install dwsim-shared[snowflake]",
            warehouse=Warehouse.SNOWFLAKE,
        ) from None
    try:
        return snowflake.connector.connect(
            user=config.user,
            password=config.password,
            account=config.account,
            host=config.host,
            port=config.port,
            protocol=config.protocol,
            login_timeout=config.login_timeout_s,
            network_timeout=config.login_timeout_s,
            socket_timeout=config.statement_timeout_s,
            client_session_keep_alive=False,
            **extra,
        )
    except Error as exc:
        raise WarehouseUnavailableError(
            f"cannot connect to {config.url} as {config.user}: {message(exc)}",
            warehouse=Warehouse.SNOWFLAKE,
        ) from None
