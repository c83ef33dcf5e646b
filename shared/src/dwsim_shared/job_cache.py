"""The public view of each job, kept in Redis by the metadata service for the gateway to serve.

Clients poll ``GET /api/jobs/{id}`` often while a job runs. Reading it from the metadata service
costs two HTTP hops and a progress computation per poll; instead the metadata service, which
owns every job, writes the job's public JSON here after each change, and the gateway answers a
poll with one Redis read. The metadata service stays the source of truth:

- every write to a job bumps the job's ``version`` in the same transaction, and a snapshot is
  stored only if its version is not older than the one held, so writers finishing out of order
  never bring an older state back;
- the gateway falls back to the metadata service when the entry is missing or Redis does not
  answer; an entry expires ``ttl`` seconds after its last write, so a snapshot the metadata
  service failed to replace (Redis briefly down) is stale for at most that long.

``rows_per_s`` and ``eta_s`` in a snapshot are as of its write (the last progress report).
"""

import logging
import time
from uuid import UUID

import redis
import redis.asyncio as aioredis

from dwsim_shared.contracts.jobs import Job
from dwsim_shared.logs import log_event

log = logging.getLogger("dwsim_shared.job_cache")

KEY_PREFIX = "dwsim:job:"
# KEYS[1] the job's key; ARGV: version, JSON, ttl seconds. Keeps the newer of the two.
_PUT_IF_NEWER = """
local held = redis.call('HGET', KEYS[1], 'v')
if held and tonumber(held) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'j', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""
SOCKET_TIMEOUT_S = 0.5  # a Redis that does not answer must not hold up a job's write
RETRY_AFTER_S = 5.0  # after a failed write, skip the cache this long (each write would wait)


def job_key(job_id: UUID | str) -> str:
    return f"{KEY_PREFIX}{job_id}"


class JobCache:
    """The metadata service's side: store a job's public view after each change."""

    def __init__(self, url: str, ttl_s: float):
        self.ttl_ms = max(int(ttl_s * 1000), 1)
        self.client = redis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S
        )
        self._put = self.client.register_script(_PUT_IF_NEWER)
        self._down_until = 0.0

    def put(self, job: Job, version: int) -> bool:
        """Store ``job`` unless a newer version is held; False if Redis did not take it."""
        if time.monotonic() < self._down_until:
            return False
        body = job.model_dump_json(exclude={"traceback"})  # a JobDetail's is the operator's
        try:
            return bool(self._put(keys=[job_key(job.id)], args=[version, body, self.ttl_ms]))
        except redis.RedisError as exc:
            self._down_until = time.monotonic() + RETRY_AFTER_S
            log_event(log, "job_cache.put_failed", logging.WARNING, job_id=job.id, error=str(exc))
            return False

    def close(self) -> None:
        self.client.close()


class JobCacheReader:
    """The gateway's side: a job's public JSON, or None (missing, or Redis not answering)."""

    def __init__(self, url: str):
        self.client = aioredis.Redis.from_url(
            url, socket_timeout=SOCKET_TIMEOUT_S, socket_connect_timeout=SOCKET_TIMEOUT_S
        )
        self._down_until = 0.0

    async def get(self, job_id: UUID) -> bytes | None:
        if time.monotonic() < self._down_until:
            return None
        try:
            raw = await self.client.hget(job_key(job_id), "j")
        except redis.RedisError as exc:
            self._down_until = time.monotonic() + RETRY_AFTER_S
            log_event(log, "job_cache.read_failed", logging.WARNING, error=str(exc))
            return None
        return raw if isinstance(raw, bytes) else None

    async def close(self) -> None:
        await self.client.aclose()
