"""A task's heartbeat: while it holds a job, a daemon thread tells the metadata service it lives.

The metadata service fails a running job that shows no life for ``job_heartbeat_timeout_s``
(its reaper); every progress report counts, and this thread fills the gaps between reports
(one chunk or one table's COPY may take minutes). The service refuses (409) a heartbeat for a
job that has finished, cancelled or reaped: the thread then stops and records why in ``ended``,
so the task can stop too. A heartbeat the service did not receive (restarting) is logged and
the next one tried.
"""

import logging
import threading
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
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{self.job_id}", daemon=True
        )

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(STOP_WAIT_S)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.client.heartbeat(self.job_id)
            except ConflictError as exc:  # finished: cancelled, or failed (reaped) meanwhile
                self.ended = str(exc)
                if not self._stop.is_set():  # else the task itself just ended the job
                    log_event(log, "worker.job_ended", job_id=self.job_id, reason=self.ended)
                return
            except Exception as exc:  # not received: the next one may be
                log_event(log, "worker.heartbeat_failed", logging.WARNING, job_id=self.job_id,
                          error=str(exc))  # fmt: skip
