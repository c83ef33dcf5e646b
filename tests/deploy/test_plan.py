"""What `dwsim up` would run: every process, in dependency order, on the ports DWSIM_* name."""

import pytest

from dwsim_local import services
from dwsim_local.config import LocalSettings, child_env, consistent
from dwsim_local.readiness import FileTouched, HttpHealth, PortOpen
from tests.fixtures.servers import free_port

ORDER = ["s3", "snowflake", "redshift", "metadata", "query", "generator", "loader", "gateway"]


@pytest.fixture
def ports() -> dict[str, int]:
    return {
        name: free_port()
        for name in ("s3", "snowflake", "redshift", "metadata", "query", "gateway")
    }


@pytest.fixture
def env(monkeypatch, tmp_path, ports, redis_url, postgres_url) -> dict[str, str]:
    """DWSIM_* for a stack whose Redis and PostgreSQL already answer (the machine's)."""
    values = {
        "DWSIM_DATA_DIR": str(tmp_path / "data"),
        "DWSIM_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
        "DWSIM_SNOWFLAKE_PORT": str(ports["snowflake"]),
        "DWSIM_REDSHIFT_PORT": str(ports["redshift"]),
        "DWSIM_METADATA_PORT": str(ports["metadata"]),
        "DWSIM_QUERY_PORT": str(ports["query"]),
        "DWSIM_GATEWAY_PORT": str(ports["gateway"]),
        "DWSIM_REDIS_URL": redis_url,
        "DWSIM_POSTGRES_URL": postgres_url,
        "DWSIM_GENERATOR_CONCURRENCY": "3",
        "DWSIM_LOADER_CONCURRENCY": "2",
    }
    for name in ("DWSIM_METADATA_URL", "DWSIM_QUERY_URL", "DWSIM_UP_SERVICES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def _by_name(plan: list[services.Service]) -> dict[str, services.Service]:
    return {s.name: s for s in plan}


def test_every_process_in_dependency_order_on_the_configured_ports(env, ports):
    plan = services.plan(LocalSettings())
    assert [s.name for s in plan] == ORDER  # Redis and PostgreSQL answer: not started

    stage = {s.name: s.stage for s in plan}
    # a stage starts once everything before it is ready
    assert stage["s3"] < stage["redshift"] == stage["snowflake"]
    assert stage["snowflake"] < stage["metadata"] == stage["query"]
    assert stage["query"] < stage["generator"] == stage["loader"] < stage["gateway"]

    by_name = _by_name(plan)
    for name, port in ports.items():
        assert by_name[name].port == port, name
        assert by_name[name].host == "127.0.0.1", name
    assert by_name["s3"].command[-4:] == ["-H", "127.0.0.1", "-p", str(ports["s3"])]
    for name in ("metadata", "query", "gateway"):
        command = by_name[name].command
        assert command[command.index("--host") + 1] == "127.0.0.1"
        assert command[command.index("--port") + 1] == str(ports[name])
        assert by_name[name].readiness == HttpHealth(f"http://127.0.0.1:{ports[name]}/health")
    assert "dwsim_gateway.main:create_app" in by_name["gateway"].command
    assert isinstance(by_name["redshift"].readiness, PortOpen)


def test_workers_consume_their_queue_with_the_configured_concurrency(env):
    by_name = _by_name(services.plan(LocalSettings()))
    for name, app, queue, concurrency in (
        ("generator", "dwsim_generator.worker", "dwsim.generator", "3"),
        ("loader", "dwsim_loader.worker", "dwsim.loader", "2"),
    ):
        command = by_name[name].command
        assert command[command.index("-A") + 1] == app
        assert command[command.index("-Q") + 1] == queue
        assert command[command.index("-c") + 1] == concurrency
        assert by_name[name].port is None  # no port: ready when Celery says it consumes
        assert isinstance(by_name[name].readiness, FileTouched)
        assert by_name[name].env["DWSIM_WORKER_READY_FILE"] == str(by_name[name].readiness.path)


def test_every_process_gets_the_same_urls(env, ports):
    plan = services.plan(LocalSettings())
    for service in plan:
        assert service.env["DWSIM_METADATA_URL"] == f"http://127.0.0.1:{ports['metadata']}"
        assert service.env["DWSIM_QUERY_URL"] == f"http://127.0.0.1:{ports['query']}"
        assert service.env["DWSIM_REDIS_URL"] == env["DWSIM_REDIS_URL"]
        assert service.env["AWS_ENDPOINT_URL"] == env["DWSIM_S3_ENDPOINT_URL"]
        assert service.env["DWSIM_DATA_DIR"] == env["DWSIM_DATA_DIR"]


def test_a_service_url_given_alone_sets_its_port(monkeypatch):
    port = free_port()
    monkeypatch.delenv("DWSIM_METADATA_PORT", raising=False)
    monkeypatch.setenv("DWSIM_METADATA_URL", f"http://127.0.0.1:{port}")
    settings = consistent(LocalSettings())
    assert settings.metadata_port == port
    assert child_env(settings)["DWSIM_METADATA_PORT"] == str(port)


def test_redis_is_started_when_none_answers_at_the_url(env, monkeypatch):
    port = free_port()  # nothing listens here
    monkeypatch.setenv("DWSIM_REDIS_URL", f"redis://127.0.0.1:{port}/3")
    plan = services.plan(LocalSettings())

    redis = _by_name(plan)["redis"]
    assert [s.name for s in plan][:3] == ["s3", "redis", "snowflake"]
    assert redis.stage == 0
    assert redis.port == port
    command = redis.command
    assert command[command.index("--port") + 1] == str(port)
    assert command[command.index("--bind") + 1] == "127.0.0.1"
    assert command[command.index("--save") + 1] == ""
    assert command[command.index("--appendonly") + 1] == "no"


def test_only_the_services_named_in_dwsim_up_services(env, monkeypatch):
    monkeypatch.setenv("DWSIM_UP_SERVICES", "snowflake, s3")
    assert [s.name for s in services.plan(LocalSettings())] == ["s3", "snowflake"]

    monkeypatch.setenv("DWSIM_UP_SERVICES", "s3,warehouse")
    with pytest.raises(ValueError, match="unknown services warehouse"):
        services.plan(LocalSettings())
