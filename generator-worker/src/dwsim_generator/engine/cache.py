"""An on-disk cache of values that are slow to build but a pure function of their key (Faker
pools, the geographic tables), so a second run, or a small one, starts at once.

Where: ``$DWSIM_CACHE_DIR`` if set (``off`` turns the cache off), else ``$DWSIM_DATA_DIR/cache``,
else the user's cache folder (``$XDG_CACHE_HOME/dwsim`` or ``~/.cache/dwsim``). Entries are
pickles named by a hash of their key; every key holds the versions of what built the value
(Faker's, the dataset's), so an upgrade reads new entries and never a stale one. A write goes
to a temporary file renamed into place, so processes writing the same entry at once each
leave a whole file and a reader never sees half of one. The cache never changes results: a
miss builds the same value, an unreadable or unwritable folder just builds it.
"""

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

OFF = {"", "off", "none", "0", "false", "no"}


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off (read from the environment each call)."""
    explicit = os.environ.get("DWSIM_CACHE_DIR")
    if explicit is not None:
        return None if explicit.strip().lower() in OFF else Path(explicit)
    data_dir = os.environ.get("DWSIM_DATA_DIR")
    if data_dir:
        return Path(data_dir) / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dwsim"


def entry_path(kind: str, key: Any) -> Path | None:
    """The file of one entry: ``{cache}/{kind}/{hash of repr(key)}.pkl``."""
    root = cache_dir()
    if root is None:
        return None
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return root / kind / f"{digest}.pkl"


def load(kind: str, key: Any) -> Any | None:
    """The value stored for ``key``, or None (no cache, no entry, or an unreadable one)."""
    path = entry_path(kind, key)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            stored_key, value = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign file: rebuilt and replaced by the next store
        return None
    return value if stored_key == key else None  # a hash collision is a miss, not a wrong value


def store(kind: str, key: Any, value: Any) -> None:
    """Keep ``value`` for ``key``: written to a temporary file, then renamed into place."""
    path = entry_path(kind, key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump((key, value), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return  # a read-only or full disk, or a value pickle cannot keep: no cache entry


def source_hash(*files: str | os.PathLike) -> str:
    """A short hash of source files, for keys of values their code builds (edits invalidate)."""
    digest = hashlib.sha256()
    for name in files:
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:16]
