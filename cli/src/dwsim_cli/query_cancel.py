"""Ctrl-C during ``dwsim query run`` stops the query on the server, by the id it was sent with
(``X-Query-Id``), not only the wait for it; a long query says its id on a terminal.

The request runs in a thread of its own while the main thread waits for it: on Ctrl-C the
cancel is sent while the query's connection is still open, so the gateway reports it
cancelled, and the request's own clean-up (a half-written CSV removed) runs before exit.
"""

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from dwsim_cli.api_client import ApiClient
from dwsim_cli.api_errors import ApiError

T = TypeVar("T")
NOTICE_AFTER_S = 3.0  # a query still running this long says its id (terminals only)
CANCEL_TIMEOUT_S = 20.0  # the gateway waits up to ~10 s for the warehouse to stop it
POLL_S = 0.2


def run_cancellable(client: ApiClient, query_id: str, work: Callable[[], T]) -> T:
    """``work()`` (a request sent under ``query_id``); on KeyboardInterrupt cancel the query
    through the API, say what became of it on stderr, and let the interrupt go on (exit 130)."""
    outcome: dict[str, object] = {}
    done = threading.Event()  # not Thread.join: an interrupted join may not wait again

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the main thread
            outcome["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=target, name="dwsim-query", daemon=True)
    notice = threading.Timer(NOTICE_AFTER_S, _notice, args=(query_id,))
    notice.daemon = True
    worker.start()
    if sys.stderr.isatty():
        notice.start()
    try:
        while not done.wait(POLL_S):
            pass
    except KeyboardInterrupt:
        notice.cancel()
        print(cancel(client, query_id), file=sys.stderr, flush=True)
        done.wait(CANCEL_TIMEOUT_S)  # its answer (cancelled) and clean-up; Ctrl-C again: now
        raise
    finally:
        notice.cancel()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def cancel(client: ApiClient, query_id: str) -> str:
    """Cancel ``query_id`` on a connection of its own."""
    try:
        with ApiClient(client.base_url, client.token, timeout=CANCEL_TIMEOUT_S) as fresh:
            status = fresh.cancel_query(query_id).get("status")
    except ApiError as exc:
        if exc.status == 404:  # it finished meanwhile
            return f"query {query_id} is not running any more (nothing to cancel)"
        return f"could not cancel query {query_id}: {exc}"
    if status == "cancelled":
        return f"cancelled query {query_id} on the server"
    return f"query {query_id}: {status} (asked to stop; the warehouse has not stopped it yet)"


def _notice(query_id: str) -> None:
    print(
        f"query {query_id} running... (Ctrl-C cancels it; so does `dwsim query cancel {query_id}`)",
        file=sys.stderr,
        flush=True,
    )
