"""`dwsim up` says exactly what to install when a program it needs is missing."""

import pytest

from dwsim_local import postgres, prereqs, services
from dwsim_local.prereqs import MissingPrerequisite
from dwsim_shared.settings import DwsimSettings
from tests.fixtures.servers import free_port


def test_no_postgres_answering_and_none_installed_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(postgres, "postgres_program", lambda name: None)
    port = free_port()  # nothing listens here
    settings = DwsimSettings(
        postgres_url=f"postgresql://postgres@127.0.0.1:{port}/postgres", data_dir=str(tmp_path)
    )

    with pytest.raises(MissingPrerequisite) as err:
        services.plan(settings)

    message = str(err.value)
    assert f"127.0.0.1:{port}" in message
    assert "apt-get install postgresql" in message
    assert "DWSIM_POSTGRES_URL" in message


def test_missing_moto_server_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(prereqs.sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(MissingPrerequisite, match=r"moto_server.*make install"):
        services.plan(DwsimSettings())


def test_postgres_answering_at_the_url_is_used_as_is(postgres_url):
    plan = services.plan(DwsimSettings(postgres_url=postgres_url))
    assert [s.name for s in plan] == ["s3", "snowflake", "redshift"]
