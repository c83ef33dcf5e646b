"""Skew like real data, for inferred rules: weighted categories, log-normal money, some NULLs.

Data and small pure functions read by ``inference.py`` and ``build.py``. Every rule they shape
stays ``source: inferred`` and can be overridden.
"""

import math
import re

from dwsim_shared.contracts.enums import Distribution, RuleKind
from dwsim_shared.contracts.rules import GenerationRule

# Value sets that are uniform by nature (calendar parts) or by a benchmark's spec (TPC-H).
UNIFORM_NAMES = (
    r"(^|_)(day|weekday|day_of_week|dow|month|qtr|quarter)(_?name)?$|line_?status|return_?flag"
    r"|mkt_?segment|market_?segment|ship_?mode|ship_?instruct"
)
# Status-like values: most rows reach the happy end, few are cancelled or returned.
COMMON_VALUES = (
    r"^(delivered|completed?|active|paid|success(ful)?|succeeded|approved|done|fulfill?ed|ok"
    r"|enabled|open|available|published|verified|settled|captured|closed_won|won)$"
)
RARE_VALUES = (
    r"^(cancell?ed|returned|refunded|failed|failure|rejected|error|deleted|suspended|banned"
    r"|expired|disputed|fraud(ulent)?|chargeback|declined|void(ed)?|lost|closed_lost|blocked"
    r"|archived|bounced|inactive|disabled)$"
)
COMMON, NEUTRAL, RARE = 20.0, 3.0, 1.0
ZIPF_EXPONENT = 0.8  # the r-th value of a plain list weighs 1 / r**0.8

# Money: log-normal between the range's ends (median at their geometric mean), clipped.
MONEY = (
    r"price|amount|amt$|total|cost|revenue|sales|balance|(^|_)bal$|fee|charge|payment|spend"
    r"|budget|subtotal|paid|refund|commission|salary|income|wage|(^|_)value$"
)
MONEY_SIGMAS = 7.0  # the range spans seven standard deviations of log(value): few clipped

# Share of NULLs in a nullable column that is not part of a key, by name (first match).
NULL_RATIOS: list[tuple[str, float]] = [
    (r"(deleted|cancell?ed|archived|closed|ended|expired|removed|terminated|refunded)"
     r"_?(at|on|date|time|ts)", 0.9),
    (r"(^|_)fax", 0.8),
    (r"middle_?name|(^|_)(suffix|nickname)$", 0.6),
    (r"(^|_)(notes?|comments?|remarks?|memo)$", 0.6),
    (r"address_?(line_?)?2|addr_?2|apartment|(^|_)suite$", 0.5),
    (r"discount|coupon|promo|voucher|referr|gift", 0.5),
    (r"expir|valid_?(to|until|thru)|(^|_)end(ed)?_?(at|on|date|time)?$", 0.3),
    (r"website|homepage|(^|_)url$|description|(^|_)bio$|about|instruction", 0.3),
    (r"(shipped|delivered|completed|paid|approved|resolved|confirmed|processed|last_\w+)"
     r"_?(at|on|date|time|ts)", 0.15),
    (r"phone|mobile|(^|_)cell", 0.1),
    (r"(updated|modified)_?(at|on|date|time|ts)", 0.05),
]  # fmt: skip
NULL_DEFAULT = 0.02


def weights(name: str, values: list) -> list[float] | None:
    """A skewed default for a value list (None: uniform), rounded for a readable schema."""
    if len(values) < 2 or re.search(UNIFORM_NAMES, name):
        return None
    text = [str(v).strip().lower().replace(" ", "_").replace("-", "_") for v in values]
    if any(re.search(COMMON_VALUES, t) or re.search(RARE_VALUES, t) for t in text):
        raw = [
            COMMON
            if re.search(COMMON_VALUES, t)
            else RARE
            if re.search(RARE_VALUES, t)
            else NEUTRAL
            for t in text
        ]
    else:
        raw = [1.0 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(values))]
    total = sum(raw)
    return [round(w / total, 4) for w in raw]


def is_money(name: str, pattern: str) -> bool:
    """The name is an amount and the vocabulary entry it matched (``pattern``) is a money one
    (``discount_rate`` matches a rate first: not money)."""
    return re.search(MONEY, name) is not None and re.search(MONEY, pattern) is not None


def log_normal(rule: GenerationRule) -> GenerationRule:
    """A range rule on a money column as a log-normal between the same ends."""
    low, high = rule.min, rule.max
    if not isinstance(low, int | float) or not isinstance(high, int | float) or high <= 0:
        return rule
    floor = max(float(low), high / 10000.0, 0.01)
    if high <= floor:
        return rule
    median = math.sqrt(floor * high)
    sigma = math.log(high / floor) / MONEY_SIGMAS
    return rule.model_copy(
        update={
            "kind": RuleKind.DISTRIBUTION,
            "distribution": Distribution.LOGNORMAL,
            "params": {"mean": round(math.log(median), 4), "sigma": round(sigma, 4)},
        }
    )


def null_ratio(name: str) -> float:
    """The share of NULLs a nullable, non-key column of this name gets."""
    return next((ratio for pattern, ratio in NULL_RATIOS if re.search(pattern, name)), NULL_DEFAULT)
