"""``email(first_name, last_name)``: addresses made from the person's own name, vectorised.

``jane.doe@gmail.com``, ``jane.doe42@yahoo.com``, ``jdoe@outlook.com``: the form, digits and
domain are a hash of the row. A unique column gets a fixed-width row code before the ``@``
(a bijection of the row index), so no two rows share an address, whatever their names.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.engine.arrays import DIGITS, codes, width_for
from dwsim_generator.engine.columns.base import ColumnContext
from dwsim_generator.engine.keys import IndexMap
from dwsim_generator.engine.streams import mix64

# (domain, share of addresses), roughly what consumer data holds
DOMAINS = [
    ("gmail.com", 0.34), ("yahoo.com", 0.13), ("hotmail.com", 0.09), ("outlook.com", 0.09),
    ("icloud.com", 0.07), ("aol.com", 0.03), ("proton.me", 0.03), ("example.com", 0.22),
]  # fmt: skip
_MASK16 = np.uint64(0xFFFF)


def _clean(text: pa.Array, joiner: str) -> pa.Array:
    """Lower-case ASCII letters and digits only (runs of anything else become ``joiner``)."""
    text = pc.utf8_lower(pc.fill_null(text.cast(pa.string()), ""))
    text = pc.replace_substring_regex(text, "[^a-z0-9]+", joiner)
    return pc.utf8_trim(text, ".") if joiner else text


class Emails:
    def __init__(self, ctx: ColumnContext, unique: bool):
        self.limit = ctx.max_chars  # ASCII only: bytes and characters count the same
        self.salt = ctx.stream("email").salt
        self.unique = unique
        self.width = width_for(max(ctx.rows, 1), 10) if unique else 0
        if unique:
            self.code = IndexMap(ctx.rows, 10**self.width, ctx.stream("email-code").salt)
        fixed = self.width if unique else 2  # the row code, or two digits some addresses get
        domains = [(d, w) for d, w in DOMAINS
                   if self.limit is None or self.limit - fixed - 1 - len(d) >= 1]  # fmt: skip
        if not domains:
            raise ctx.error(
                f"{ctx.column.type.raw} is too narrow for an e-mail address "
                f"(a domain, and {fixed} digits{' to keep it unique' if unique else ''})"
            )
        names, weights = zip(*domains, strict=True)
        self.domains = pa.array([f"@{d}" for d in names])
        self.cumulative = np.cumsum(weights) / sum(weights)
        longest = max(len(d) for d in names) + 1
        self.room = None if self.limit is None else self.limit - fixed - longest

    def __call__(self, index: np.ndarray, first: pa.Array, last: pa.Array | None) -> pa.Array:
        n = len(index)
        h = mix64(index, self.salt)
        if last is None:
            name = _clean(first, ".")
        else:
            given, family = _clean(first, ""), _clean(last, "")
            dotted = pc.binary_join_element_wise(given, family, ".")
            initial = pc.binary_join_element_wise(pc.utf8_slice_codeunits(given, 0, 1), family, "")
            form = (h & _MASK16) % np.uint64(10)  # 7 in 10 first.last, 3 in 10 flast
            name = pc.if_else(pa.array(form < 7), dotted, initial)
            name = pc.utf8_trim(name, ".")
        name = pc.if_else(pc.equal(pc.utf8_length(name), 0), "user", name)
        if self.room is not None:
            name = pc.utf8_slice_codeunits(name, 0, max(self.room, 1))
        if self.unique:
            digits = codes(self.code(index), self.width, DIGITS)
        else:
            two = ((h >> np.uint64(16)) % np.uint64(100)).astype(np.int64)
            some = ((h >> np.uint64(32)) & _MASK16) % np.uint64(4) == 0  # a quarter get digits
            digits = pc.if_else(pa.array(some), codes(two, 2, DIGITS), "")
        share = ((h >> np.uint64(48)) & _MASK16).astype(np.float64) / 65536.0
        pick = np.minimum(
            np.searchsorted(self.cumulative, share, side="right"), len(self.domains) - 1
        )
        domain = self.domains.take(pa.array(pick))
        return (
            pc.binary_join_element_wise(name, digits, domain, "")
            if n
            else pa.array([], pa.string())
        )
