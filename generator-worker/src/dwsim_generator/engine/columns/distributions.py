"""Named distributions drawn with numpy, with their parameters checked before any work."""

import numpy as np

from dwsim_shared.contracts.enums import Distribution

# Parameter names users write, mapped to the one name used here.
_ALIASES = {"mu": "mean", "loc": "mean", "stddev": "std", "sd": "std", "lambda": "lam", "s": "a"}
_DEFAULTS: dict[Distribution, dict[str, float]] = {
    Distribution.UNIFORM: {},
    Distribution.NORMAL: {"mean": 0.0, "std": 1.0},
    Distribution.LOGNORMAL: {"mean": 0.0, "sigma": 1.0},
    Distribution.EXPONENTIAL: {},
    Distribution.BETA: {"a": 2.0, "b": 5.0},
    Distribution.POISSON: {"lam": 1.0},
    Distribution.ZIPF: {"a": 2.0},
    Distribution.HISTOGRAM: {},
}


def normalise(distribution: Distribution, params: dict[str, float]) -> dict[str, float]:
    """Parameters with aliases resolved and defaults filled in."""
    out = dict(_DEFAULTS[distribution])
    for name, value in params.items():
        out[_ALIASES.get(name, name)] = float(value)
    return out


def problem(distribution: Distribution, params: dict[str, float]) -> str | None:
    """What is wrong with these parameters, or None."""
    p = normalise(distribution, params)
    checks = {
        Distribution.NORMAL: lambda: p["std"] >= 0 or "std must be >= 0",
        Distribution.LOGNORMAL: lambda: p["sigma"] >= 0 or "sigma must be >= 0",
        Distribution.EXPONENTIAL: lambda: _scale(p) > 0 or "scale (or lam) must be > 0",
        Distribution.BETA: lambda: (p["a"] > 0 and p["b"] > 0) or "a and b must be > 0",
        Distribution.POISSON: lambda: p["lam"] >= 0 or "lam must be >= 0",
        Distribution.ZIPF: lambda: p["a"] > 1 or "a must be > 1",
        Distribution.UNIFORM: lambda: p.get("low", 0) <= p.get("high", 1) or "low is above high",
        Distribution.HISTOGRAM: lambda: (
            "it is for fan-outs; a column takes a rule of kind histogram (values, weights, bounds)"
        ),
    }
    verdict = checks[distribution]()
    return None if verdict is True else f"{distribution.value} distribution: {verdict}"


def _scale(p: dict[str, float]) -> float:
    if "scale" in p:
        return p["scale"]
    if "lam" in p:
        return 1.0 / p["lam"] if p["lam"] > 0 else -1.0
    return 1.0


def draw(
    rng: np.random.Generator,
    distribution: Distribution,
    params: dict[str, float],
    n: int,
    low: float | None = None,
    high: float | None = None,
) -> np.ndarray:
    """``n`` float64 draws; uniform and beta span [low, high] when given."""
    p = normalise(distribution, params)
    match distribution:
        case Distribution.UNIFORM:
            lo = p.get("low", low if low is not None else 0.0)
            hi = p.get("high", high if high is not None else 1.0)
            return rng.uniform(lo, hi, n)
        case Distribution.NORMAL:
            return rng.normal(p["mean"], p["std"], n)
        case Distribution.LOGNORMAL:
            return rng.lognormal(p["mean"], p["sigma"], n)
        case Distribution.EXPONENTIAL:
            return rng.exponential(_scale(p), n)
        case Distribution.BETA:
            values = rng.beta(p["a"], p["b"], n)
            if low is not None and high is not None:
                values = low + (high - low) * values
            return values
        case Distribution.POISSON:
            return rng.poisson(p["lam"], n).astype(np.float64)
        case Distribution.ZIPF:
            return rng.zipf(p["a"], n).astype(np.float64)
    raise ValueError(f"unknown distribution {distribution}")
