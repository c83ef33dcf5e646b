"""A stop that reaches `dwsim up` twice is still one clean stop.

SIGTERM to the process group of `make up` reaches `dwsim up` directly and again through make,
which forwards SIGTERM to its recipe. Every server must then end by its own shutdown (a Celery
worker's warm shutdown, PostgreSQL's fast shutdown), never by SIGKILL.
"""

import signal
import sys

from tests.deploy.procs import assert_clean_stop, in_new_session, stop_group, wait_until_up
from tests.fixtures.servers import bin_path, free_port

# a parent that forwards SIGTERM to its child a moment after the group got it, as make does
FORWARDER = """
import signal, subprocess, sys, time
child = subprocess.Popen(sys.argv[1:])
def forward(signum, frame):
    time.sleep(0.3)
    child.send_signal(signum)
signal.signal(signal.SIGTERM, forward)
sys.exit(child.wait())
"""


def test_sigterm_to_the_group_and_again_from_the_parent_stops_every_service_cleanly(tmp_path):
    ports = {"s3": free_port(), "redis": free_port(), "snowflake": free_port()}
    env = {
        "DWSIM_DATA_DIR": str(tmp_path / "data"),
        "DWSIM_UP_SERVICES": "s3,redis,snowflake,generator,loader",
        "DWSIM_S3_ENDPOINT_URL": f"http://127.0.0.1:{ports['s3']}",
        "DWSIM_REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
        "DWSIM_SNOWFLAKE_PORT": str(ports["snowflake"]),
        "DWSIM_GENERATOR_CONCURRENCY": "1",
    }
    log = tmp_path / "up.log"
    command = [sys.executable, "-c", FORWARDER, bin_path("dwsim"), "up"]
    with in_new_session(command, env, log) as proc:
        wait_until_up(proc, ports, log)
        code = stop_group(proc, signal.SIGTERM, log)

    text = assert_clean_stop(proc, ports, log)
    assert code == 0, text
    assert "SIGTERM again: already stopping cleanly" in text  # the repeat did arrive
    for worker in ("generator", "loader"):
        assert f"{worker} stopped (exit code 0)" in text
        assert any(
            line.startswith(worker) and "Warm shutdown" in line for line in text.splitlines()
        ), text
