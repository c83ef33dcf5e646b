"""The table of processes `dwsim up` runs. A new service is one more entry in ``plan``.

Stages start in order, each once every process of the stage before is ready:
0 S3 server, PostgreSQL and Redis (when none answers at their URLs) · 1 the emulators ·
2 metadata-service, query-service · 3 generator and loader workers · 4 api-gateway.
"""

import contextlib
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

from dwsim_local import postgres, redis
from dwsim_local.config import LocalSettings, child_env, consistent
from dwsim_local.prereqs import MOTO_INSTALL_HINT, VENV_INSTALL_HINT, venv_program
from dwsim_local.readiness import FileTouched, HttpHealth, PortOpen, Readiness
from dwsim_local.worker_ready import READY_FILE_ENV


@dataclass(frozen=True)
class Service:
    name: str
    command: list[str]
    port: int | None = None  # it listens here: checked free before anything starts
    host: str = "127.0.0.1"
    stage: int = 0
    ready: Readiness | None = None  # default: its port answers
    stop_signal: signal.Signals = signal.SIGTERM
    user: str | None = None  # run as this system user (PostgreSQL under root)
    before_start: Callable[[], None] | None = None  # e.g. create the database it needs
    on_ready: Callable[[], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    start_timeout: float = 120.0
    stop_timeout: float = 20.0
    hint: str = ""  # how to reach it, printed once everything is up
    niceness: int = 0  # added to its nice value: batch work yields the CPU to the API

    @property
    def readiness(self) -> Readiness:
        if self.ready is not None:
            return self.ready
        assert self.port is not None, f"{self.name} has neither a port nor a readiness check"
        return PortOpen(self.host, self.port)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}" if self.port else "no port"


# The servers that do a job's bulk work (S3 serving parts, the emulators' COPY) run a little
# below the API processes, so polling a job stays quick while they use every core; the
# generator and loader workers, pure batch, run further below.
BULK_NICENESS = 5

# The S3 server reads each part (tens of MiB) into fresh buffers: by default glibc serves
# every such buffer with its own mmap and returns it at once, so each request faulted its
# memory in again, zeroed, page by page. Kept for reuse instead (no mmap and no trim under
# 1 GiB): moto's CPU for 400 MiB of 40 MiB parts measured 1.6-1.8 s -> 0.95-1.15 s. Its heap
# then holds up to 1 GiB it has freed. (The generator does the same in-process:
# dwsim_generator/engine/memory.py.)
KEEP_FREED_MEMORY = {"MALLOC_MMAP_THRESHOLD_": str(1 << 30), "MALLOC_TRIM_THRESHOLD_": str(1 << 30)}


def _python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def _s3(settings: LocalSettings) -> Service:
    endpoint = urlparse(settings.s3_endpoint_url)
    host, port = endpoint.hostname or "127.0.0.1", endpoint.port or 4566
    moto = venv_program("moto_server", MOTO_INSTALL_HINT)
    return Service(
        name="s3",
        command=[moto, "-H", host, "-p", str(port)],
        host=host,
        port=port,
        on_ready=lambda: create_bucket(settings),
        hint=f"AWS_ENDPOINT_URL={settings.s3_endpoint_url}, bucket {settings.s3_bucket}",
        niceness=BULK_NICENESS,
        env=KEEP_FREED_MEMORY,
    )


def _postgres(settings: LocalSettings) -> Service | None:
    """None when a PostgreSQL already answers at DWSIM_POSTGRES_URL."""
    host, port, _, _ = postgres.url_parts(settings.postgres_url)
    if postgres.answers(host, port):
        return None
    command, user = postgres.private_cluster_command(
        settings.postgres_url, settings.data_path / "postgres"
    )
    return Service(
        name="postgres",
        command=command,
        host=host,
        port=port,
        user=user,
        stop_signal=signal.SIGINT,  # "fast" shutdown: SIGTERM would wait for clients to leave
    )


def _redis(settings: LocalSettings) -> Service | None:
    """None when a Redis already answers at DWSIM_REDIS_URL."""
    if redis.answers(settings.redis_url):
        return None
    host, port, _ = redis.url_parts(settings.redis_url)
    return Service(
        name="redis",
        command=redis.server_command(settings.redis_url, settings.data_path / "redis"),
        host="127.0.0.1" if host == "localhost" else host,
        port=port,
    )


def _snowflake(settings: LocalSettings) -> Service:
    return Service(
        name="snowflake",
        command=_python_module("dwsim_local.command", "snowflake-emulator"),
        host=settings.snowflake_host,
        port=settings.snowflake_port,
        stage=1,
        niceness=BULK_NICENESS,
        hint=(
            f'snowflake.connector.connect(host="{settings.snowflake_host}", '
            f'port={settings.snowflake_port}, protocol="http", account="dwsim", user="dwsim", '
            'password="dwsim")'
        ),
    )


def _redshift(settings: LocalSettings) -> Service:
    return Service(
        name="redshift",
        command=_python_module("dwsim_redshift.main"),
        host=settings.redshift_host,
        port=settings.redshift_port,
        stage=1,
        niceness=BULK_NICENESS,
        before_start=lambda: postgres.ensure_database(settings.postgres_url),
        hint=(
            f'psql "host={settings.redshift_host} port={settings.redshift_port} dbname=dev '
            'user=dwsim sslmode=disable"'
        ),
    )


def _http_service(settings: LocalSettings, name: str, app: str, url: str, stage: int) -> Service:
    """A FastAPI service under uvicorn; each logs its requests as JSON lines itself."""
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    uvicorn = venv_program("uvicorn", VENV_INSTALL_HINT)
    command = [uvicorn, "--factory", app, "--host", host, "--port", str(port)]
    command += ["--timeout-graceful-shutdown", "5", "--log-level", settings.log_level.lower()]
    command.append("--no-access-log")
    return Service(
        name=name,
        command=command,
        host=host,
        port=port,
        stage=stage,
        ready=HttpHealth(f"http://{host}:{port}/health"),
    )


def _metadata(settings: LocalSettings) -> Service:
    service = _http_service(
        settings, "metadata", "dwsim_metadata.main:create_app", settings.metadata_url, stage=2
    )
    db_url = settings.metadata_db_url

    def prepare() -> None:
        settings.data_path.mkdir(parents=True, exist_ok=True)
        if postgres.is_postgres_url(db_url):
            postgres.ensure_database(db_url)

    return _with(service, before_start=prepare)


def _query(settings: LocalSettings) -> Service:
    return _http_service(
        settings, "query", "dwsim_query.main:create_app", settings.query_url, stage=2
    )


def _gateway(settings: LocalSettings) -> Service:
    service = _http_service(
        settings,
        "gateway",
        "dwsim_gateway.main:create_app",
        settings.gateway_url,
        stage=4,
    )
    url = settings.gateway_url
    return _with(service, hint=f"API {url}/api · docs {url}/docs · health {url}/health")


WORKER_NICENESS = 10


def _worker(settings: LocalSettings, name: str, app: str, queue: str, concurrency: int) -> Service:
    celery = venv_program("celery", VENV_INSTALL_HINT)
    ready_file = settings.data_path / "run" / f"{name}.ready"
    command = [celery, "-A", app, "worker", "-Q", queue, "-c", str(concurrency)]
    command += ["--loglevel", settings.log_level.upper(), "-n", f"{name}@%h"]
    # no gossip/mingle: nothing here needs them, and they make a worker wait for its peers
    command += ["--without-gossip", "--without-mingle", "-I", "dwsim_local.worker_ready"]
    return Service(
        name=name,
        command=command,
        stage=3,
        ready=FileTouched(ready_file),
        before_start=lambda: ready_file.unlink(missing_ok=True),
        env={READY_FILE_ENV: str(ready_file)},
        stop_timeout=60.0,  # a warm shutdown lets the running tasks (chunks, a table) finish
        # below the API processes: polling a job stays quick while its chunks use every core
        niceness=WORKER_NICENESS,
    )


def _generator(settings: LocalSettings) -> Service:
    return _worker(
        settings,
        "generator",
        "dwsim_generator.worker",
        "dwsim.generator",
        settings.generator_concurrency,
    )


def _loader(settings: LocalSettings) -> Service:
    return _worker(
        settings, "loader", "dwsim_loader.worker", "dwsim.loader", settings.loader_concurrency
    )


# every process of the stack, in start order; a factory returns None when it is not needed
FACTORIES: dict[str, Callable[[LocalSettings], Service | None]] = {
    "s3": _s3,
    "postgres": _postgres,
    "redis": _redis,
    "snowflake": _snowflake,
    "redshift": _redshift,
    "metadata": _metadata,
    "query": _query,
    "generator": _generator,
    "loader": _loader,
    "gateway": _gateway,
}


def _with(service: Service, **changes: object) -> Service:
    from dataclasses import replace

    return replace(service, **changes)


def plan(settings: LocalSettings) -> list[Service]:
    """Every process of the local stack (or of DWSIM_UP_SERVICES), in start order."""
    settings = consistent(settings)
    wanted = selected(settings)
    env = child_env(settings)
    services = []
    for name, factory in FACTORIES.items():
        service = factory(settings) if name in wanted else None
        if service is not None:
            services.append(
                _with(
                    service,
                    env={**env, **service.env},
                    start_timeout=settings.up_timeout_s,
                    stop_timeout=max(service.stop_timeout, settings.stop_timeout_s),
                )
            )
    return services


def selected(settings: LocalSettings) -> list[str]:
    """The services DWSIM_UP_SERVICES names (all when empty); an unknown name is an error."""
    names = [n.strip() for n in settings.up_services.split(",") if n.strip()]
    unknown = sorted(set(names) - set(FACTORIES))
    if unknown:
        raise ValueError(
            f"DWSIM_UP_SERVICES names unknown services {', '.join(unknown)}; "
            f"known: {', '.join(FACTORIES)}"
        )
    return names or list(FACTORIES)


def create_bucket(settings: LocalSettings) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.aws_access_key_id,
        aws_secret_access_key=settings.aws_secret_access_key,
    )
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=settings.s3_bucket)
