"""Which jobs have a task waiting for a worker in the Celery broker (Redis): the reaper keeps
those (reaper.py).

A task waits in its queue's list until a worker takes it; a taken task sits in kombu's
``unacked`` hash, stamped in ``unacked_index`` with when it was taken, until it is acknowledged.
A job waits for a worker when one of its tasks is in a queue, or was taken less than the
heartbeat timeout ago (its task may not have reported yet). A task taken longer ago by a worker
that has died stays in ``unacked`` until the visibility timeout: it does not count.

This reads kombu's Redis layout (as of kombu 5): a message is JSON whose ``body`` holds the
task's ``[args, kwargs, embed]`` (base64 unless told otherwise), every task's one argument
being its payload with a ``job_id``.
"""

import base64
import json
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

import redis

from dwsim_shared.contracts.tasks import Queue

PRIORITY_SEP = "\x06\x16"  # kombu's key of a queue's priority level p: f"{queue}{sep}{p}"
PRIORITY_STEPS = (3, 6, 9)  # level 0 is the queue's own key
UNACKED, UNACKED_INDEX = "unacked", "unacked_index"
SOCKET_TIMEOUT_S = 2.0


class TaskQueue:
    def __init__(self, url: str):
        self.client = redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S
        )

    def waiting(self, job_ids: Collection[UUID], since: datetime) -> set[UUID]:
        """Those of ``job_ids`` with a task queued, or taken by a worker after ``since``."""
        wanted = {str(j) for j in job_ids}
        keys = [q.value for q in Queue]
        keys += [f"{q.value}{PRIORITY_SEP}{p}" for q in Queue for p in PRIORITY_STEPS]
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.lrange(key, 0, -1)
        messages = [_loads(m) for queued in pipe.execute() for m in queued]
        tags = self.client.zrangebyscore(UNACKED_INDEX, since.timestamp(), "+inf")
        if tags:  # each entry: [message, exchange, routing key]
            taken = self.client.hmget(UNACKED, tags)
            entries = [_loads(entry) for entry in taken if entry is not None]
            messages += [e[0] for e in entries if isinstance(e, list) and e]
        return {UUID(job) for job in _job_ids(messages) if job in wanted}

    def close(self) -> None:
        self.client.close()


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _job_ids(messages: Iterable[Any]) -> Iterable[str]:
    for message in messages:
        try:
            yield _job_id(message)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            continue  # not a task of ours


def _job_id(message: dict[str, Any]) -> str:
    body = message["body"]
    if message.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args = json.loads(body)[0]
    return str(args[0]["job_id"])
