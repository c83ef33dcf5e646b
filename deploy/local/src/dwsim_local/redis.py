"""The Redis of the stack (Celery's broker): the one at DWSIM_REDIS_URL, or a private server.

A private server keeps nothing on disk (``--save "" --appendonly no``): the broker's queues
live as long as the stack, like the workers that consume them. Kept on disk, they would
outlive a restart of the stack while moto's S3, which holds its objects in memory, does not:
a run resumed from them would go on beside parts that are gone. (A Redis of your own that keeps
an append-only file loses nothing when it restarts alone: docs/deploy.md.)
"""

import socket
from pathlib import Path
from urllib.parse import urlparse

from dwsim_local.prereqs import REDIS_INSTALL_HINT, MissingPrerequisite, find_program

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def url_parts(url: str) -> tuple[str, int, str | None]:
    """(host, port, password) of a redis:// URL."""
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 6379, parsed.password


def answers(url: str, timeout: float = 1.0) -> bool:
    """True when a Redis server answers PING (or asks for a password) at the URL."""
    host, port, _ = url_parts(url)
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
    except OSError:
        return False
    return reply.startswith((b"+PONG", b"-NOAUTH", b"-ERR"))


def server_command(url: str, data_dir: Path) -> list[str]:
    """The command of a private redis-server on the URL's port; what to install if none is."""
    host, port, password = url_parts(url)
    if host not in LOCAL_HOSTS:
        raise MissingPrerequisite(
            f"nothing answers at DWSIM_REDIS_URL ({host}:{port}), which is not on this machine: "
            "start Redis there, or set DWSIM_REDIS_URL to a local address to have one started"
        )
    program = find_program("redis-server", prefer_venv=False)
    if not program:
        raise MissingPrerequisite(
            f"nothing answers at DWSIM_REDIS_URL ({host}:{port}) and no redis-server is "
            f"installed to start one: {REDIS_INSTALL_HINT}"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        program,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1" if host == "localhost" else host,
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(data_dir),
        "--daemonize",
        "no",
    ]
    if password:
        command += ["--requirepass", password]
    return command
