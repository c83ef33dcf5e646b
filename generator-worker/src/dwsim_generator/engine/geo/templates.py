"""Text from per-row templates: '#' a digit, '@' a capital letter, the rest as written
(postcodes ``@#@ #@#``, phone numbers ``+33 6 12 34 ## ##``).

Each template's slots (where they are, which digit of a number each spells) are worked out
once; a chunk then takes each row's template, and fills only the slots, from one hash per
row (its digits, as ``arrays.digit_matrix`` writes them): no pass over every byte, no Python
per row or per template.
"""

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrays import DIGITS, UPPER, digit_matrix
from dwsim_generator.engine.streams import mix64

MOST_DIGITS = 19  # digits one 64-bit hash gives a row
MOST_LETTERS = 13
_LETTERS = np.uint64(0x4C455454)  # a second hash per row for letters


class _Slots:
    """One kind of slot ('#' or '@') of every template, flattened: template t's slots are
    ``pos[starts[t] : starts[t] + counts[t]]``; ``column`` is the row's digit (letter) each
    takes, ``first`` marks a template's first letter."""

    def __init__(self, templates: list[bytes], mark: int, most: int):
        starts, counts, pos, column, first = [], [], [], [], []
        for raw in templates:
            slots = [i for i, b in enumerate(raw) if b == mark]
            if len(slots) > most:
                raise ValueError(f"template {raw.decode()!r} has too many {chr(mark)!r}")
            starts.append(len(pos))
            counts.append(len(slots))
            pos.extend(slots)
            column.extend(range(len(slots)))
            first.extend(i == 0 for i in range(len(slots)))
        self.width = max(counts, default=0)  # digits (letters) a row needs
        # digits spell a number (zero-padded, right-aligned): the last slot is the last digit
        right = [self.width - counts[t] for t, n in enumerate(counts) for _ in range(n)]
        self.starts = np.array(starts, dtype=np.int64)
        self.counts = np.array(counts, dtype=np.int64)
        self.pos = np.array(pos, dtype=np.int32)
        self.column = np.array(column, dtype=np.int32) + np.array(right, dtype=np.int32)
        self.left = np.array(column, dtype=np.int32)
        self.first = np.array(first, dtype=bool)

    def of(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, slot) of every slot of the chosen templates, row by row."""
        per_row = self.counts[chosen]
        row_of = np.repeat(np.arange(len(chosen), dtype=np.int32), per_row)
        before = np.cumsum(per_row) - per_row  # slots of the earlier rows
        meta = np.arange(len(row_of), dtype=np.int32)
        meta += np.repeat((self.starts[chosen] - before).astype(np.int32), per_row)
        return row_of, meta


class Templates:
    """A fixed list of templates, filled per row by ``fill``."""

    def __init__(self, templates: list[str]):
        self.array = pa.array(templates, pa.string())
        raw = [t.encode() for t in templates]
        self.digit = _Slots(raw, ord("#"), MOST_DIGITS)
        self.letter = _Slots(raw, ord("@"), MOST_LETTERS)

    def fill(
        self,
        chosen: np.ndarray,
        rows: np.ndarray,
        salt: np.uint64,
        numbers: np.ndarray | None = None,
        first_letters: np.ndarray | None = None,
    ) -> pa.Array:
        """Template ``chosen[i]`` filled for row ``rows[i]``. ``numbers`` (>= 0): that row's
        '#'s spell the number, zero-padded; ``first_letters`` (rows, k) uint8: the row's first
        '@' is one of those letters (0 ends the list)."""
        count = len(chosen)
        taken = self.array.take(pa.array(chosen))
        offsets = np.frombuffer(taken.buffers()[1], dtype=np.int32)[
            taken.offset : taken.offset + count + 1
        ]
        data = np.frombuffer(taken.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]].copy()
        offsets = (offsets - offsets[0]).astype(np.int32)
        slots, width = self.digit, self.digit.width
        if width:  # each row's digits, ASCII, from one hash: each slot takes its place
            digits = digit_matrix(mix64(rows, salt) % np.uint64(10**width), width, DIGITS)
            if numbers is not None:
                spelled = np.flatnonzero(numbers >= 0)
                if len(spelled):
                    digits[spelled] = digit_matrix(numbers[spelled], width, DIGITS)
            row_of, meta = slots.of(chosen)
            values = digits.ravel()[row_of * width + slots.column[meta]]
            data[offsets[row_of] + slots.pos[meta]] = values
        slots, width = self.letter, self.letter.width
        if width:
            hashed = mix64(rows, salt ^ _LETTERS)
            letters = digit_matrix(hashed % np.uint64(26**width), width, UPPER)
            row_of, meta = slots.of(chosen)
            values = letters.ravel()[row_of * width + slots.left[meta]]
            if first_letters is not None:
                first = np.flatnonzero(slots.first[meta])
                choices = first_letters[row_of[first]]
                known = (choices > 0).sum(axis=1)
                has = known > 0
                pick = hashed[row_of[first]] >> np.uint64(40)
                pick = (pick % np.maximum(known, 1).astype(np.uint64)).astype(np.int64)
                values[first[has]] = choices[np.arange(len(choices)), pick][has]
            data[offsets[row_of] + slots.pos[meta]] = values
        return pa.Array.from_buffers(
            pa.string(), count, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
        )
