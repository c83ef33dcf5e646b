"""A task's heartbeat: while it holds a job, a daemon thread tells the metadata service it lives.

The metadata service fails a running job that shows no life for ``job_heartbeat_timeout_s``
(its reaper); every progress report counts, and this thread fills the gaps between reports
(one chunk or one table's COPY may take minutes). The service refuses (409) a heartbeat for a
job that has finished, cancelled or reaped: the thread then records why in ``ended``, so the
task can stop too, and stops. A heartbeat the service did not receive (restarting) is logged
and the next one tried.

While a statement that only the warehouse can stop runs (a load's COPY), the task arms
``stopping(stop, check_s)``: the heartbeat is then sent every ``check_s`` (it is the check:
the 409 comes as soon as the job is cancelled), and once the job has ended ``stop`` is called
from this thread, again at every later check while the block runs (a stop sent between two
statements finds none running; the next statement must be stopped too).
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import UUID

from dwsim_shared.logs import log_event
from dwsim_shared.metadata_client import ConflictError, MetadataClient

log = logging.getLogger("dwsim_shared.heartbeat")

STOP_WAIT_S = 1.0  # how long stopping waits for a heartbeat in flight (the thread is a daemon)


class Heartbeat:
    def __init__(self, client: MetadataClient, job_id: UUID | str, interval_s: float):
        self.client = client
        self.job_id = str(job_id)
        self.interval_s = interval_s
        self.ended: str | None = None  # why the job ended under the task, if it did
        self._cond = threading.Condition()
        self._stopped = False
        self._done = False  # the thread has returned (or will, having seen no stop armed)
        self._on_end: Callable[[], None] | None = None  # armed by ``stopping``
        self._check_s = interval_s
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{self.job_id}", daemon=True
        )

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(STOP_WAIT_S)

    @contextmanager
    def stopping(self, stop: Callable[[], None], check_s: float) -> Iterator[None]:
        """While the block runs, check the job every ``check_s`` and call ``stop`` (from this
        thread) once it has ended; at once if it already has."""
        with self._cond:
            self._on_end, self._check_s = stop, min(check_s, self.interval_s)
            self._cond.notify_all()  # the next check now, not at the end of a long wait
            done = self._done
        if done and self.ended is not None:  # ended before: its thread has returned
            stop()
        try:
            yield
        finally:
            with self._cond:  # waits for a stop in flight: none is called after the block
                self._on_end, self._check_s = None, self.interval_s

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._stopped:
                    self._cond.wait(self._check_s if self._on_end else self.interval_s)
                if self._stopped:
                    self._done = True
                    return
            if self.ended is None:
                self._beat()
            if self.ended is not None:
                with self._cond:
                    if self._on_end is None:
                        self._done = True
                        return  # nothing to stop: the task sees ``ended`` at its next check
                    if not self._stopped:
                        self._call_stop(self._on_end)

    def _call_stop(self, stop: Callable[[], None]) -> None:
        try:
            stop()
        except Exception as exc:  # the next check tries again
            log_event(log, "worker.stop_failed", logging.WARNING, job_id=self.job_id,
                      error=f"{type(exc).__name__}: {exc}")  # fmt: skip

    def _beat(self) -> None:
        try:
            self.client.heartbeat(self.job_id)
        except ConflictError as exc:  # finished: cancelled, or failed (reaped) meanwhile
            self.ended = str(exc)
            if not self._stopped:  # else the task itself just ended the job
                log_event(log, "worker.job_ended", job_id=self.job_id, reason=self.ended)
        except Exception as exc:  # not received: the next one may be
            log_event(log, "worker.heartbeat_failed", logging.WARNING, job_id=self.job_id,
                      error=str(exc))  # fmt: skip
