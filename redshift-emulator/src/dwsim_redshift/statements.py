"""Telling what kind a statement is. Splitting a batch is the translator's scanner's job
(``dwsim_redshift.sql.statements.split_statements``): one reading of Redshift's quoting."""

import re

from dwsim_redshift.sql.statements import skip_block_comment

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
