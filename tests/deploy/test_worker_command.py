"""``dwsim worker``: before a worker starts, what it needs must answer at its URL; a worker
that cannot reach one exits 5 naming the URL and its setting, and starts no Celery worker.

The servers that answer are real (the test Redis database, moto's S3, the metadata service);
the ones that do not are free ports nothing listens on.
"""

import os
import subprocess

from tests.fixtures.redis import REDIS_URL
from tests.fixtures.servers import bin_path, free_port


def _worker(kind: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DWSIM_")}
    return subprocess.run(
        [bin_path("dwsim"), "worker", kind],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_a_generator_worker_names_each_server_that_does_not_answer(metadata_url):
    s3 = f"http://127.0.0.1:{free_port()}"
    redis = f"redis://:secret@127.0.0.1:{free_port()}/0"
    result = _worker(
        "generator",
        {"DWSIM_REDIS_URL": redis, "DWSIM_METADATA_URL": metadata_url, "DWSIM_S3_ENDPOINT_URL": s3},
    )
    assert result.returncode == 5, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "dwsim worker generator: error: cannot start:"
    redis_shown = redis.replace(":secret@", ":***@")  # the password is never printed
    assert (
        f"  Redis does not answer at {redis_shown} (DWSIM_REDIS_URL): connection refused" in lines
    )
    assert f"  S3 does not answer at {s3} (DWSIM_S3_ENDPOINT_URL): connection refused" in lines
    assert "metadata" not in result.stderr  # it answers
    assert "secret" not in result.stderr
    assert "celery" not in result.stderr.lower()  # no worker was started


def test_a_loader_worker_checks_the_warehouse_emulators_too(metadata_url, s3_server, s3_bucket):
    port = free_port()
    env = {
        **s3_server.env(),
        "DWSIM_S3_BUCKET": s3_bucket,
        "DWSIM_REDIS_URL": REDIS_URL,
        "DWSIM_METADATA_URL": metadata_url,
        "DWSIM_REDSHIFT_PORT": str(port),
        "DWSIM_SNOWFLAKE_HOST": "no-such-host.invalid",
    }
    result = _worker("loader", env)
    assert result.returncode == 5, result.stderr
    assert (
        f"the Redshift emulator does not answer at 127.0.0.1:{port} "
        "(DWSIM_REDSHIFT_HOST, DWSIM_REDSHIFT_PORT): connection refused"
    ) in result.stderr
    assert (
        "the Snowflake emulator does not answer at http://no-such-host.invalid:8787 "
        "(DWSIM_SNOWFLAKE_HOST, DWSIM_SNOWFLAKE_PORT): unknown host"
    ) in result.stderr
    assert "Redis does not" not in result.stderr
    assert "S3 does not" not in result.stderr


def test_an_s3_without_the_bucket_is_named(metadata_url, s3_server):
    env = {
        **s3_server.env(),
        "DWSIM_S3_BUCKET": "dwsim-never-created",
        "DWSIM_REDIS_URL": REDIS_URL,
        "DWSIM_METADATA_URL": metadata_url,
    }
    result = _worker("generator", env)
    assert result.returncode == 5, result.stderr
    assert result.stderr.strip() == (
        f"dwsim worker generator: error: cannot start: S3 does not answer at "
        f"{s3_server.endpoint_url} (DWSIM_S3_ENDPOINT_URL): it has no bucket "
        "dwsim-never-created (DWSIM_S3_BUCKET): create it there"
    )


def test_the_default_concurrency_is_the_setting_and_below_one_is_refused():
    result = _worker("generator", {"DWSIM_GENERATOR_CONCURRENCY": "0"})
    assert result.returncode == 2
    assert "--concurrency must be 1 or more, not 0" in result.stderr
