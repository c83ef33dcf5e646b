"""Telling what kind a statement is: one the emulator runs itself (dispatch.py runs it),
transaction control, or one for PostgreSQL. Splitting a batch is the translator's scanner's job
(``dwsim_redshift.sql.statements.split_statements``): one reading of Redshift's quoting."""

import re
from enum import StrEnum

from dwsim_redshift import copy as copy_engine
from dwsim_redshift.sql.statements import leading_words, skip_block_comment

_MAYBE_EMULATED = re.compile(r"(copy|unload|alter|truncate)\b", re.IGNORECASE)
_TX_CONTROL = re.compile(
    r"^\s*(begin|start\s+transaction|commit|end|rollback|abort|savepoint|release|prepare\s+transaction)\b",
    re.IGNORECASE,
)


def strip_comments(sql: str) -> str:
    """``sql`` without its leading comments (enough to classify a statement by its first word)."""
    i = 0
    n = len(sql)
    while i < n:
        if sql[i].isspace():
            i += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            i = skip_block_comment(sql, i)
        else:
            break
    return sql[i:]


def is_transaction_control(sql: str) -> bool:
    return bool(_TX_CONTROL.match(strip_comments(sql)))


class Emulated(StrEnum):
    COPY = "copy"
    UNLOAD = "unload"
    APPEND = "alter table append"
    TRUNCATE = "truncate"


def classify(sql: str) -> Emulated | None:
    """COPY from S3, UNLOAD, ALTER TABLE APPEND and TRUNCATE (it commits the transaction it runs
    in) run here; everything else (COPY FROM STDIN too) goes to PostgreSQL."""
    head = strip_comments(sql)
    if not _MAYBE_EMULATED.match(head):
        return None
    if leading_words(head, 1) == ("TRUNCATE",):
        return Emulated.TRUNCATE
    if copy_engine.is_copy(head):
        return Emulated.COPY
    if copy_engine.is_unload(head):
        return Emulated.UNLOAD
    if copy_engine.is_append(leading_words(head, 5)):
        return Emulated.APPEND
    return None
