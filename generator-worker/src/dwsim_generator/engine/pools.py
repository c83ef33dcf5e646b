"""Faker value pools: built once per column and process, then sampled by index.

Faker runs per row at ~5k rows/s; a pool of a few thousand values built once and indexed by
numpy costs milliseconds. Pools depend on the pinned Faker version, the seed and the column.
Whole pools are also kept on disk (``cache.py``), keyed by (provider, locale, arguments, seed,
size, Faker version): a later process reads them instead of running Faker, and does not
import Faker at all when every pool it needs is there.
"""

import importlib.util
import re
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from dwsim_generator.engine import cache as disk

if TYPE_CHECKING:
    from faker import Faker

POOL_SIZE = 1024
STORED_FROM = 64  # pools at least this large are kept on disk (planning's 1-value checks are not)

# Proxy attributes of Faker that are not value providers.
_NOT_PROVIDERS = {
    "seed", "seed_instance", "seed_locale", "random", "add_provider", "get_providers",
    "format", "parse", "provider", "set_formatter", "set_arguments", "del_arguments",
    "get_arguments", "get_formatter", "locales", "weights", "factories", "items", "unique",
    "optional", "cache_pattern", "generator_attrs",
}  # fmt: skip


class PoolError(ValueError):
    """A provider or locale Faker does not have, or a provider call that fails."""


@lru_cache(maxsize=32)
def _faker(locale: str) -> "Faker":
    from faker import Faker

    try:
        return Faker(locale)
    except AttributeError:
        raise PoolError(f"unknown Faker locale {locale!r}") from None


def check_provider(provider: str, locale: str) -> None:
    fake = _faker(locale)
    method = None
    if not provider.startswith("_") and provider not in _NOT_PROVIDERS:
        method = getattr(fake, provider, None)
    if method is None or not callable(method):
        raise PoolError(
            f"unknown Faker provider {provider!r} (locale {locale}); see "
            "https://faker.readthedocs.io/en/stable/providers.html for the names"
        )


PoolKey = tuple[str, str, tuple[tuple[str, Any], ...], int, int]
_POOLS: dict[PoolKey, tuple[Any, ...]] = {}
_MAX_POOLS = 512


@cache
def faker_version() -> str:
    """Faker's version, read from its ``__init__.py`` without importing it: the package
    metadata's lookup scans every installed distribution (~35 ms of each process's start in
    an environment of a few hundred packages)."""
    spec = importlib.util.find_spec("faker")
    if spec is not None and spec.origin:
        try:
            found = re.search(r'^VERSION = "([^"]+)"', Path(spec.origin).read_text(), re.M)
        except OSError:
            found = None
        if found:
            return found.group(1)
    return version("faker")


def _disk_key(key: PoolKey) -> tuple:
    return ("faker", faker_version(), *key)


def stored_pool(key: PoolKey) -> tuple[Any, ...] | None:
    """A pool kept on disk by an earlier process, if any (it was checked when it was built)."""
    pool = disk.load("faker-pools", _disk_key(key))
    return pool if isinstance(pool, tuple) and len(pool) == key[-1] else None


def faker_pool(
    provider: str, locale: str, params: tuple[tuple[str, Any], ...], seed: int, size: int
) -> tuple[Any, ...]:
    """``size`` values of a provider, the same for the same arguments and Faker version.

    A smaller pool is the start of a larger one (Faker draws them in order from the same
    seed), so planning's one-value check reads a whole pool from disk when one is there.
    """
    key = (provider, locale, params, seed, size)
    if key in _POOLS:
        return _POOLS[key]
    if size < STORED_FROM:  # a check: the start of a whole pool if one is on disk
        whole = stored_pool((*key[:-1], POOL_SIZE))
        pool = whole[:size] if whole is not None else None
    else:
        pool = stored_pool(key)
    if pool is None:
        pool = _build(provider, locale, params, seed, size)
        if size >= STORED_FROM:
            disk.store("faker-pools", _disk_key(key), pool)
    if len(_POOLS) >= _MAX_POOLS:
        _POOLS.clear()
    _POOLS[key] = pool
    return pool


def _build(
    provider: str, locale: str, params: tuple[tuple[str, Any], ...], seed: int, size: int
) -> tuple[Any, ...]:
    check_provider(provider, locale)
    fake = _faker(locale)
    fake.seed_instance(seed)
    method = getattr(fake, provider)
    kwargs = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in params}
    try:
        pool = tuple(method(**kwargs) for _ in range(size))
    except Exception as exc:  # a provider's own error, reported with its name
        raise PoolError(f"Faker provider {provider!r} failed: {exc}") from None
    return pool


def import_pools(pools: dict[PoolKey, tuple[Any, ...]]) -> None:
    _POOLS.update(pools)


@cache
def lorem_words() -> list[str]:
    """The lorem word list (ASCII, one to 14 letters), kept on disk like the pools (importing
    Faker to read it costs ~0.1 s of every process with text columns)."""
    key = ("lorem-words", faker_version())
    stored = disk.load("faker-pools", key)
    if isinstance(stored, list):
        return stored
    from faker.providers.lorem.en_US import Provider as LoremProvider

    words = list(LoremProvider.word_list)
    disk.store("faker-pools", key, words)
    return words


@lru_cache(maxsize=4)
def lorem_buffer(size: int) -> tuple[np.ndarray, np.ndarray]:
    """ASCII lorem text of at most ``size`` bytes, whole words each followed by one space (so
    the text can wrap around), and the offsets where its words start."""
    words = lorem_words()
    rng = np.random.Generator(np.random.SFC64(20240501))
    picked = rng.integers(0, len(words), size // 4 + 16).tolist()
    text = " ".join([words[i] for i in picked]).encode("ascii")[:size]  # 2x a numpy str array
    buffer = np.frombuffer(text[: text.rindex(b" ") + 1], dtype=np.uint8)
    starts = np.flatnonzero(np.concatenate([[True], buffer[:-1] == ord(" ")]))
    return buffer, starts
