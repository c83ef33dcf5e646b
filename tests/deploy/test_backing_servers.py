"""Redis and PostgreSQL for the stack: a private Redis when none answers; the database named in
DWSIM_POSTGRES_URL created when it does not exist."""

import io
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from dwsim_local import postgres, services
from dwsim_local.config import LocalSettings
from dwsim_local.prereqs import MissingPrerequisite
from dwsim_local.readiness import port_answers
from dwsim_local.supervisor import Supervisor
from tests.fixtures.postgres import ADMIN_URL
from tests.fixtures.servers import free_port


@contextmanager
def running(plan: list[services.Service]) -> Iterator[io.StringIO]:
    """Run a plan with the supervisor in a thread until the block ends; yield its output."""
    out = io.StringIO()
    up = threading.Event()
    supervisor = Supervisor(plan, out=out, on_up=up.set)
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(supervisor.run(install_signals=False)))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not up.wait(0.1):
            assert thread.is_alive(), out.getvalue()
            assert time.monotonic() < deadline, out.getvalue()
        yield out
    finally:
        supervisor.stop()
        thread.join(timeout=60)
    assert result == [0], out.getvalue()


def test_a_private_redis_is_started_when_none_answers(tmp_path):
    redis = pytest.importorskip("redis")
    port = free_port()
    settings = LocalSettings(
        data_dir=str(tmp_path), redis_url=f"redis://127.0.0.1:{port}/4", up_services="redis"
    )
    plan = services.plan(settings)

    with running(plan) as out:
        client = redis.Redis.from_url(settings.redis_url)
        client.set("k", "v")
        assert client.get("k") == b"v"
        assert client.config_get("save") == {"save": ""}  # nothing kept on disk
        assert client.config_get("appendonly") == {"appendonly": "no"}
        assert client.config_get("bind")["bind"] == "127.0.0.1"
        client.close()

    assert "redis stopped (exit code 0)" in out.getvalue()
    assert not port_answers("127.0.0.1", port)
    assert not list(tmp_path.rglob("*.rdb"))


@pytest.fixture
def missing_database() -> Iterator[str]:
    """The URL of a database that does not exist (dropped after the test if it was made)."""
    psycopg2 = pytest.importorskip("psycopg2")
    name = f"dwsim_new_{uuid.uuid4().hex[:10]}"
    yield f"{ADMIN_URL.rpartition('/')[0]}/{name}"
    conn = psycopg2.connect(ADMIN_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def _exists(url: str) -> bool:
    import psycopg2

    try:
        psycopg2.connect(url).close()
    except psycopg2.OperationalError:
        return False
    return True


def test_the_database_in_dwsim_postgres_url_is_created_before_the_redshift_emulator_starts(
    missing_database, tmp_path
):
    settings = LocalSettings(
        data_dir=str(tmp_path), postgres_url=missing_database, up_services="redshift"
    )
    (redshift,) = services.plan(settings)
    assert not _exists(missing_database)

    redshift.before_start()

    assert _exists(missing_database)
    assert postgres.ensure_database(missing_database) is False  # already there: left alone


def test_a_postgres_that_does_not_answer_is_named_in_the_error():
    port = free_port()
    with pytest.raises(
        MissingPrerequisite, match=rf"cannot connect to PostgreSQL at 127.0.0.1:{port}"
    ):
        postgres.ensure_database(f"postgresql://postgres@127.0.0.1:{port}/anything")


def test_workers_run_below_the_api_in_cpu_priority(tmp_path):
    """Chunks fill every core while a client polls its job: the API processes must come first."""
    import os
    import sys

    port = free_port()
    server = "import os, socket, time; s = socket.socket(); s.bind(('127.0.0.1', {port})); " \
        "s.listen(); open({path!r}, 'w').write(str(os.nice(0))); time.sleep(600)"  # fmt: skip
    niceness = tmp_path / "niceness"
    worker = services.Service(
        name="busy",
        command=[sys.executable, "-c", server.format(port=port, path=str(niceness))],
        port=port,
        niceness=services.WORKER_NICENESS,
    )
    with running([worker]):
        deadline = time.monotonic() + 10
        while not niceness.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert int(niceness.read_text()) == os.nice(0) + services.WORKER_NICENESS
    plan = {s.name: s for s in services.plan(LocalSettings(data_dir=str(tmp_path)))}
    assert plan["generator"].niceness == plan["loader"].niceness == services.WORKER_NICENESS
    # the servers a load keeps busy yield too, less than the workers: they also answer queries
    bulk = (plan["s3"].niceness, plan["redshift"].niceness, plan["snowflake"].niceness)
    assert bulk == (services.BULK_NICENESS,) * 3
    assert 0 < services.BULK_NICENESS < services.WORKER_NICENESS
    assert plan["gateway"].niceness == plan["metadata"].niceness == plan["query"].niceness == 0
