"""Uploading parts to moto's S3 server: the client's and the server's CPU, as the generator
uploads them (``S3Access.client`` and ``dwsim_generator.staging.upload_part``), against the
defaults they replaced, in the same run.

    .venv/bin/python bench/bench_s3_upload.py [--parts 10] [--mib 40] [--rounds 3]

Two moto servers on free ports: one started as ``dwsim up`` starts it (glibc keeping freed
memory, ``KEEP_FREED_MEMORY``), one with glibc's defaults. To each, ``--parts`` parts of
``--mib`` MiB of random bytes go up with the client as configured (``UNSIGNED-PAYLOAD``) and
with botocore's default payload signing (a SHA-256 of every body over plain HTTP), alternating,
best of ``--rounds``. Printed: the client's CPU (this process) and the server's, and the ratios.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import time

import boto3
import psutil
import pyarrow as pa
from botocore.config import Config
from common import bin_path, free_port, wait_for_port

from dwsim_generator.staging import upload_part
from dwsim_local.services import KEEP_FREED_MEMORY
from dwsim_shared.warehouses.connections import S3Access

BUCKET = "bench-upload"


@contextlib.contextmanager
def moto(env: dict[str, str]):
    port = free_port()
    proc = subprocess.Popen(
        [bin_path("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, proc, 60, None)
        yield f"http://127.0.0.1:{port}", psutil.Process(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


def upload(endpoint: str, server: psutil.Process, signed: bool, parts: list[pa.Buffer]) -> dict:
    access = S3Access(endpoint_url=endpoint)
    client = access.client()
    if signed:  # botocore's default: the body hashed into the signature over plain HTTP
        config = access.botocore_config().merge(Config(s3={"payload_signing_enabled": True}))
        client = boto3.client(
            "s3", endpoint_url=endpoint, region_name=access.region,
            aws_access_key_id=access.access_key_id,
            aws_secret_access_key=access.secret_access_key, config=config,
        )  # fmt: skip
    with contextlib.suppress(Exception):
        client.create_bucket(Bucket=BUCKET)
    server_before, client_before = _cpu(server), time.process_time()
    for i, body in enumerate(parts):
        upload_part(client, BUCKET, f"part-{i:05d}.parquet", body)
    return {"client": time.process_time() - client_before, "server": _cpu(server) - server_before}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", type=int, default=10)
    parser.add_argument("--mib", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    parts = [pa.py_buffer(os.urandom(args.mib << 20)) for _ in range(args.parts)]
    total = args.parts * args.mib
    cases = {  # (server kept freed memory, client signs the payload)
        ("kept", "unsigned"): [], ("kept", "signed"): [],
        ("default", "unsigned"): [], ("default", "signed"): [],
    }  # fmt: skip
    with moto(KEEP_FREED_MEMORY) as kept, moto({}) as default:
        servers = {"kept": kept, "default": default}
        for rnd in range(args.rounds):
            order = list(cases) if rnd % 2 == 0 else list(cases)[::-1]
            for server, signing in order:
                endpoint, proc = servers[server]
                cases[(server, signing)].append(upload(endpoint, proc, signing == "signed", parts))
    print(f"{args.parts} parts of {args.mib} MiB ({total} MiB) to moto's S3 server, best of "
          f"{args.rounds} alternating rounds (CPU seconds)")  # fmt: skip
    best = {case: {k: min(r[k] for r in runs) for k in ("client", "server")}
            for case, runs in cases.items()}  # fmt: skip
    for (server, signing), cpu in best.items():
        print(f"  moto {server:<8} client {signing:<9} client {cpu['client']:5.2f} s, "
              f"moto {cpu['server']:5.2f} s")  # fmt: skip
    client = best[("kept", "signed")]["client"] / best[("kept", "unsigned")]["client"]
    server = best[("default", "unsigned")]["server"] / best[("kept", "unsigned")]["server"]
    print(f"  client CPU, signed / unsigned payload: {client:.2f}x")
    print(f"  moto CPU, default glibc / freed memory kept: {server:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
