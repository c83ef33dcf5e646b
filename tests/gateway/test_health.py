"""GET /health names each dependency, says which are down and why, and always answers 200."""

from fastapi.testclient import TestClient

from dwsim_gateway.config import Settings
from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server
from tests.fixtures.snowflake import SnowflakeEmulator
from tests.gateway.conftest import QueryServer


def test_health_reports_each_dependency(api: TestClient, settings: Settings) -> None:
    response = api.get("/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    deps = {d["name"]: d for d in body["dependencies"]}
    assert set(deps) == {
        "metadata",
        "redis",
        "s3",
        "redshift-emulator",
        "snowflake-emulator",
        "query",
    }
    assert deps["metadata"]["status"] == "ok"
    assert deps["metadata"]["address"] == settings.metadata_url
    assert deps["redis"]["status"] == "ok"
    for name in ("s3", "redshift-emulator", "snowflake-emulator", "query"):
        assert deps[name]["status"] == "down", name
        assert deps[name]["detail"] == "connection refused"
    assert deps["redshift-emulator"]["address"].endswith(f":{settings.redshift_port}")


def test_health_hides_the_redis_password(settings: Settings, make_client) -> None:
    api = make_client(settings.model_copy(update={"redis_url": "redis://:s3cret@127.0.0.1:1/14"}))
    deps = {d["name"]: d for d in api.get("/health").json()["dependencies"]}
    assert deps["redis"]["status"] == "down"
    assert "s3cret" not in deps["redis"]["address"]


def test_health_is_ok_when_every_dependency_answers(
    settings: Settings,
    make_client,
    s3_server: S3Server,
    redshift_emulator: RedshiftEmulator,
    snowflake_emulator: SnowflakeEmulator,
    query_server: QueryServer,
) -> None:
    api = make_client(
        settings.model_copy(
            update={
                "s3_endpoint_url": s3_server.endpoint_url,
                "redshift_port": redshift_emulator.port,
                "snowflake_port": snowflake_emulator.port,
                "query_url": query_server.url,
            }
        )
    )
    body = api.get("/health").json()
    assert [d for d in body["dependencies"] if d["status"] != "ok"] == []
    assert body["status"] == "ok"
