"""Parents whose share of the children is known: a fan-out's ``values`` and ``weights``.

``dwsim profile`` writes a foreign key's most common values (parent keys) with their share
of the child rows. The parent rows holding those keys are found by computing the parent's
key at every parent index (index-derived, so no data is read); a value no parent row holds
(the parent's keys are not all in its statistics) pins a parent picked by a keyed
permutation instead, so the top shares are kept even where the values cannot be.
"""

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.engine.keys import IndexMap
from dwsim_generator.engine.streams import Stream
from dwsim_shared.contracts.schema import ForeignKey

if TYPE_CHECKING:
    from dwsim_generator.engine.table_plan import TablePlan

MAX_SCANNED_PARENTS = 4_000_000  # above this, parents are pinned by permutation only


def pinned_parents(
    fk: ForeignKey, parent: "TablePlan", ref_cols: list[str], parents: int, seed: int, table: str
) -> tuple[tuple[int, float], ...]:
    """(parent index, share of the children) for each of the fan-out's values, by index."""
    spec = fk.fanout
    if spec is None or not spec.values or not spec.weights or parents == 0:
        return ()
    found: dict[int, float] = {}
    matched = _locate(spec.values, parent, ref_cols, parents)
    loose = []
    for share, where in zip(spec.weights, matched, strict=True):
        if where is None or where in found:
            loose.append(share)
        else:
            found[where] = share
    if loose:
        salt = Stream.of(seed, table, "pinned", *fk.columns).salt
        order = IndexMap(parents, parents, salt)(np.arange(parents, dtype=np.int64))
        free = (int(p) for p in order if int(p) not in found)
        for share in loose:
            where = next(free, None)
            if where is None:
                break
            found[where] = share
    return tuple(sorted(found.items()))


def _locate(
    values: list, parent: "TablePlan", ref_cols: list[str], parents: int
) -> list[int | None]:
    """The first parent index holding each value (None: no parent row holds it)."""
    if len(ref_cols) != 1 or parents > MAX_SCANNED_PARENTS or ref_cols[0] not in parent.by_column:
        return [None] * len(values)
    keys = parent.values_at(ref_cols, np.arange(parents, dtype=np.int64))[ref_cols[0]]
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    if pa.types.is_dictionary(keys.type):
        keys = keys.cast(keys.type.value_type)
    texts = pa.array([None if v is None else str(v) for v in values], pa.string())
    try:
        wanted = texts.cast(keys.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        keys, wanted = keys.cast(pa.string()), texts
    positions = pc.index_in(wanted, value_set=keys).to_pylist()
    return [None if p is None else int(p) for p in positions]
