"""Start fakesnow's HTTP server over a persistent DuckDB, with ``s3://`` read through s3fs."""

import logging
import signal
import socket
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import uvicorn
from starlette.applications import Starlette

from dwsim_shared.errors import DwsimError
from dwsim_shared.warehouses.connections import S3Access
from dwsim_snowflake import patches
from dwsim_snowflake.s3 import s3_filesystem

log = logging.getLogger("dwsim.snowflake")
SPOOL_DIR = ".spool"  # staged files being loaded; emptied after each COPY INTO


@dataclass(frozen=True)
class EmulatorConfig:
    host: str
    port: int
    data_dir: Path
    s3_endpoint_url: str
    aws_access_key_id: str
    aws_secret_access_key: str
    s3_region: str
    result_cache_results: int = 1_000  # DWSIM_SNOWFLAKE_RESULT_CACHE_RESULTS
    result_cache_mb: int = 256  # DWSIM_SNOWFLAKE_RESULT_CACHE_MB
    session_idle_seconds: float = 14_400  # DWSIM_SNOWFLAKE_SESSION_IDLE_SECONDS
    detached_idle_seconds: float = 300  # DWSIM_SNOWFLAKE_DETACHED_IDLE_SECONDS
    lock_timeout_seconds: float = 43_200  # DWSIM_SNOWFLAKE_LOCK_TIMEOUT_SECONDS
    s3: S3Access = field(default_factory=S3Access)  # timeouts and retries: DWSIM_S3_*


def build_app(config: EmulatorConfig) -> Starlette:
    """fakesnow's app, its shared instance replaced by a persistent one that reads s3:// via s3fs."""
    patches.install_fixes()  # checks them first; before databases are attached (catalog views)
    from dwsim_snowflake.patches import (
        constraints,
        copy_into,
        host_files,
        idle_sessions,
        locks,
        persistence,
        result_cache,
        stage_formats,
    )

    instance = persistence.persistent_instance(config.data_dir)
    result_cache.bound(instance, config.result_cache_results, config.result_cache_mb)
    instance.duck_conn.execute(constraints.GLOBAL_SQL + stage_formats.GLOBAL_SQL)
    s3 = s3_filesystem(
        config.s3_endpoint_url,
        config.aws_access_key_id,
        config.aws_secret_access_key,
        config.s3_region,
        config.s3,
    )
    instance.duck_conn.register_filesystem(s3)
    app = persistence.serve_instance(instance)
    idle_sessions.bound(app, config.session_idle_seconds)
    locks.configure(config.detached_idle_seconds, config.lock_timeout_seconds)
    copy_into.configure(s3, config.data_dir / SPOOL_DIR)
    host_files.lock_down(instance.duck_conn, config.data_dir)  # last: it freezes the settings
    log.info(
        "snowflake.start data_dir=%s databases=%s s3=%s",
        config.data_dir,
        ",".join(persistence.attached_databases(instance)) or "-",
        config.s3_endpoint_url,
    )
    return app


def check_port_free(host: str, port: int) -> None:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise DwsimError(
                f"cannot listen on {host}:{port} ({exc.strerror}); another server is there: "
                "stop it or choose another port (--port or DWSIM_SNOWFLAKE_PORT)"
            ) from None


def serve(config: EmulatorConfig) -> None:
    """Run until SIGINT/SIGTERM, then close DuckDB so its files are checkpointed."""
    check_port_free(config.host, config.port)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        app = build_app(config)
    except duckdb.IOException as exc:
        first_line = str(exc).splitlines()[0]
        raise DwsimError(
            f"cannot open the data dir {config.data_dir}: {first_line} "
            "(another Snowflake emulator may be using it: stop it or choose another --data-dir)"
        ) from None
    uv_config = uvicorn.Config(
        app, host=config.host, port=config.port, log_config=None, access_log=False
    )
    # uvicorn re-raises the signal it caught once it has shut down; make that an exception here
    # (the default SIGTERM action would end the process before DuckDB is closed)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        uvicorn.Server(uv_config).run()
    except KeyboardInterrupt:
        pass
    finally:
        _close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _close() -> None:
    import fakesnow.server as server

    server.sessions.clear()
    server.shared_fs.duck_conn.close()
    log.info("snowflake.stop")
