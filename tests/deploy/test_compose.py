"""docker-compose.yml cannot run here (no Docker engine), so it is checked statically."""

import re
from pathlib import Path

import pytest
import yaml

from dwsim_cli.main import build_parser
from dwsim_shared.settings import DwsimSettings

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def _dwsim_commands() -> set[str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return set(sub.choices)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_an_image_and_a_healthcheck(name):
    service = SERVICES[name]
    assert "image" in service or "build" in service
    assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_dependencies_exist_and_wait_for_health(name):
    for dep, rule in (SERVICES[name].get("depends_on") or {}).items():
        assert dep in SERVICES, f"{name} depends on unknown service {dep}"
        assert rule == {"condition": "service_healthy"}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_dwsim_commands_exist(name):
    command = SERVICES[name].get("command") or []
    if command[:1] == ["dwsim"]:
        assert command[1] in _dwsim_commands(), f"{name} runs unknown command dwsim {command[1]}"


def test_published_ports_match_the_default_settings():
    defaults = DwsimSettings()
    expected = {
        "redshift-emulator": defaults.redshift_port,
        "snowflake-emulator": defaults.snowflake_port,
        "s3": int(defaults.s3_endpoint_url.rsplit(":", 1)[1]),
        "redis": int(defaults.redis_url.rsplit(":", 1)[1].split("/")[0]),
    }
    for name, port in expected.items():
        assert f"{port}:{port}" in SERVICES[name]["ports"]


def test_dockerfile_copies_only_what_exists():
    dockerfile = (REPO / "deploy/docker/Dockerfile").read_text()
    for source in re.findall(r"^COPY (\S+) ", dockerfile, flags=re.M):
        assert (REPO / source).exists(), f"Dockerfile copies missing {source}"
    for line in (REPO / "deploy/docker/requirements.txt").read_text().splitlines():
        if line.startswith("./"):
            assert (REPO / line[2:].split("[")[0] / "pyproject.toml").exists()


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_published_dwsim_servers_listen_beyond_loopback(name):
    """A server bound to the container's 127.0.0.1 is unreachable from other containers."""
    command = SERVICES[name].get("command") or []
    if command[:1] == ["dwsim"] and SERVICES[name].get("ports"):
        assert command[command.index("--host") + 1] == "0.0.0.0", f"{name} needs --host 0.0.0.0"
