"""A load whose connection to the warehouse broke midway: the emulator (or cluster) stopped,
crashed or restarted while the load's transaction was open.

The adapters report what the driver said (psycopg2's "server closed the connection
unexpectedly", the Snowflake connector's "Max retries exceeded ... Connection refused" or
"User must login again"), which names neither the server nor what became of the load. Since
the load is one transaction per warehouse, nothing of it was committed; ``explained`` turns such
an error into one that says so, names the server and the table, and says what to do.
"""

import re

from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import WarehouseError, WarehouseUnavailableError
from dwsim_shared.warehouses.profiles import profile
from dwsim_shared.warehouses.registry import connection_from_settings

# PostgreSQL's codes for a session ended by the server (admin_shutdown, crash_shutdown,
# cannot_connect_now); a connection that broke without a word has no code
_PG_SESSION_ENDED = {None, "57P01", "57P02", "57P03"}
# snowflake-connector-python: could not connect, a request failed after its retries; the server
# no longer knows the session (a restarted emulator keeps no sessions), or it expired
_SNOWFLAKE_LOST = {250001, 250003, 390104, 390111, 390112}
_OS_ERROR = re.compile(r"\[Errno \d+\] ([^'\")]+)")  # inside urllib3's "Caused by ..." text


def lost_connection(exc: BaseException) -> BaseException | None:
    """The driver's error under ``exc`` if it says the connection to the server was lost."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_lost(current):
            return current
        current = current.__cause__ or current.__context__
    return None


def explained(
    exc: WarehouseError, settings: DwsimSettings, experiment: str
) -> WarehouseUnavailableError | None:
    """``exc`` said again for a person, if the connection was lost; else None."""
    lost = lost_connection(exc)
    if lost is None:
        return None
    warehouse = Warehouse(exc.warehouse)
    title = profile(warehouse).title
    where = connection_from_settings(warehouse, settings).url
    if exc.detail.startswith("COMMIT"):  # the server may have committed before it went
        outcome = (
            f"The load may or may not have been committed; loading the run again leaves exactly "
            f"its rows in every table of experiment {experiment} either way."
        )
    else:
        outcome = (
            f"Nothing of the load was committed: every table of experiment {experiment} is as "
            "it was before it (the load is one transaction)."
        )
    return WarehouseUnavailableError(
        f"the connection to {title} at {where} was lost during the load: the {title} emulator "
        f"(or server) stopped or restarted ({_said(exc.detail, lost)}). {outcome} Check that "
        f"the {title} emulator is running (DWSIM_{warehouse.value.upper()}_HOST/_PORT), then "
        "load the run again.",
        warehouse=warehouse,
        table=exc.table,
    )


def _said(detail: str, lost: BaseException) -> str:
    """Which statement failed, and the driver's first words of why."""
    step = detail.split(" failed:")[0] if " failed:" in detail else "a statement"
    text = str(getattr(lost, "raw_msg", None) or getattr(lost, "msg", None) or lost).strip()
    os_error = _OS_ERROR.search(text)
    reason = os_error[1].strip() if os_error else (text.splitlines() or [""])[0]
    return f"{step} failed: {reason}"


def _is_lost(exc: BaseException) -> bool:
    module = type(exc).__module__
    if module.startswith("psycopg2"):
        import psycopg2

        return isinstance(exc, psycopg2.OperationalError | psycopg2.InterfaceError) and (
            getattr(exc, "pgcode", None) in _PG_SESSION_ENDED
        )
    if module.startswith("snowflake.connector"):
        return getattr(exc, "errno", None) in _SNOWFLAKE_LOST
    return False
