"""An emulator process the test can stop and start again on the same port and data, as an
operator's restart (SIGTERM) or a crash (SIGKILL) would; the session's emulators stay untouched."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.fixtures.redshift import RedshiftEmulator
from tests.fixtures.s3 import S3Server
from tests.fixtures.servers import REPO, bin_path, free_port, wait_for_port
from tests.fixtures.snowflake import SnowflakeEmulator


class RestartableServer:
    def __init__(self, args: list[str], port: int, env: dict[str, str], log_name: str):
        self.args, self.port, self.env = args, port, {**os.environ, **env}
        log_dir = Path(os.environ.get("DWSIM_TEST_LOG_DIR", REPO / ".dwsim" / "test-logs"))
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / f"{log_name}-{port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.args, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                start_new_session=True,
            )  # fmt: skip
        wait_for_port(self.port, timeout=60, proc=self.proc)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        os.killpg(self.proc.pid, sig)  # the process and any child it started
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def restart(self, sig: signal.Signals) -> None:
        self.stop(sig)
        self.start()


@contextmanager
def running(server: RestartableServer) -> Iterator[RestartableServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


def redshift_server(
    postgres_url: str, s3: S3Server, data_dir: Path
) -> tuple[RedshiftEmulator, RestartableServer]:
    port = free_port()
    env = {
        **s3.env(),
        "DWSIM_REDSHIFT_HOST": "127.0.0.1",
        "DWSIM_REDSHIFT_PORT": str(port),
        "DWSIM_POSTGRES_URL": postgres_url,
        "DWSIM_DATA_DIR": str(data_dir),
    }
    server = RestartableServer([sys.executable, "-m", "dwsim_redshift.main"], port, env,
                               "redshift-restartable")  # fmt: skip
    emulator = RedshiftEmulator(
        host="127.0.0.1", port=port, database=postgres_url.rpartition("/")[2],
        postgres_url=postgres_url, ca_file=data_dir / "redshift-emulator" / "tls" / "ca.pem",
        log_file=server.log_path,
    )  # fmt: skip
    return emulator, server


def snowflake_server(s3: S3Server, data_dir: Path) -> tuple[SnowflakeEmulator, RestartableServer]:
    port = free_port()
    args = [bin_path("dwsim"), "snowflake-emulator", "--port", str(port), "--data-dir",
            str(data_dir), "--s3-endpoint", s3.endpoint_url]  # fmt: skip
    server = RestartableServer(args, port, s3.env(), "snowflake-restartable")
    emulator = SnowflakeEmulator(host="127.0.0.1", port=port, data_dir=data_dir, s3=s3)
    return emulator, server
