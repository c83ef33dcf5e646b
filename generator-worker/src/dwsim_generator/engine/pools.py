"""Faker value pools: built once per column and process, then sampled by index.

Faker runs per row at ~5k rows/s; a pool of a few thousand values built once and indexed by
numpy costs milliseconds. Pools depend on the pinned Faker version, the seed and the column.
"""

from functools import lru_cache
from typing import Any

import numpy as np
from faker import Faker
from faker.providers.lorem.en_US import Provider as LoremProvider

POOL_SIZE = 1024

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
def _faker(locale: str) -> Faker:
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


def faker_pool(
    provider: str, locale: str, params: tuple[tuple[str, Any], ...], seed: int, size: int
) -> tuple[Any, ...]:
    """``size`` values of a provider, the same for the same arguments and Faker version."""
    key = (provider, locale, params, seed, size)
    if key in _POOLS:
        return _POOLS[key]
    check_provider(provider, locale)
    fake = _faker(locale)
    fake.seed_instance(seed)
    method = getattr(fake, provider)
    kwargs = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in params}
    try:
        pool = tuple(method(**kwargs) for _ in range(size))
    except Exception as exc:  # a provider's own error, reported with its name
        raise PoolError(f"Faker provider {provider!r} failed: {exc}") from None
    if len(_POOLS) >= _MAX_POOLS:
        _POOLS.clear()
    _POOLS[key] = pool
    return pool


def import_pools(pools: dict[PoolKey, tuple[Any, ...]]) -> None:
    _POOLS.update(pools)


def lorem_words() -> list[str]:
    """The lorem word list (ASCII, one to 14 letters)."""
    return list(LoremProvider.word_list)


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
