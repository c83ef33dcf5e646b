"""The one Celery app factory: every worker and the gateway build their app here.

Settings are decision 6 of the architecture: a task is acknowledged after it ran, a task whose
worker died goes back to the queue, each worker process holds one task at a time, and the
Redis visibility timeout is longer than the longest task (a shorter one runs a task twice).
"""

from typing import Any

from celery import Celery

from dwsim_shared.contracts.tasks import Queue, TaskName, TaskPayload
from dwsim_shared.settings import DwsimSettings


def make_celery(name: str, settings: DwsimSettings | None = None) -> Celery:
    settings = settings or DwsimSettings()
    app = Celery(name, broker=settings.redis_url, backend=settings.redis_url)
    transport = {
        "visibility_timeout": settings.celery_visibility_timeout_s,
        # look for tasks of dead workers every 10 s (the defaults scan every ~10 minutes)
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_default_queue=Queue.LOADER.value,
        task_routes={name.value: {"queue": name.queue.value} for name in TaskName},
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_track_started=False,
    )
    return app


def send(app: Celery, name: TaskName, payload: TaskPayload, **options: Any) -> Any:
    """Enqueue ``name`` with its payload (checked against the task's payload model)."""
    if not isinstance(payload, name.payload):
        raise TypeError(f"{name} takes {name.payload.__name__}, not {type(payload).__name__}")
    return app.send_task(
        name.value, args=[payload.model_dump(mode="json")], queue=name.queue.value, **options
    )


def signature(app: Celery, name: TaskName, payload: TaskPayload, **options: Any) -> Any:
    """A signature of ``name`` (for chords and chains), routed to the task's queue."""
    if not isinstance(payload, name.payload):
        raise TypeError(f"{name} takes {name.payload.__name__}, not {type(payload).__name__}")
    return app.signature(
        name.value, args=[payload.model_dump(mode="json")], queue=name.queue.value, **options
    )
