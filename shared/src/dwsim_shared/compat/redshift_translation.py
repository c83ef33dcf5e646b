"""Which of the Redshift emulator's rewrites apply to a statement, asked of its translator
in-process (the dwsim-redshift-emulator package; importing this module fails without it).

The emulator runs some statements itself (COPY from S3, UNLOAD, ALTER TABLE APPEND...:
``relay.statement_kind.classify``) and translates everything else
(``dwsim_redshift.sql.translate``). A statement whose translation reads, token for token, as the text sent runs as written: faithful. Otherwise each step of the
rewrite pass (``rewrites.REWRITES``) is replayed on the statement's tree and named after its
module when it changed the tree, with the helper functions of schema ``dwsim_rs`` it calls;
what changed the text outside those steps is ``dialect`` (sqlglot's Redshift-to-PostgreSQL
generation) or ``command`` (statements handled by their leading words: no-ops, settings, SHOW).
What this reads of the emulator: ``relay.statement_kind.classify``, ``sql.translate_typed``,
``sql.typed.has_slots`` / ``strip``, ``sql.HELPER_SCHEMA``,
``sql.UnsupportedStatementError``, ``sql.dialect.RedshiftSource`` and ``sql.rewrites.REWRITES``.
"""

import re
from functools import cache

import sqlglot
from sqlglot import exp
from sqlglot.dialects import Dialect
from sqlglot.errors import SqlglotError

from dwsim_redshift.sql import HELPER_SCHEMA, UnsupportedStatementError, translate_typed
from dwsim_redshift.sql.dialect import RedshiftSource
from dwsim_redshift.sql.rewrites import REWRITES
from dwsim_redshift.sql.typed import has_slots, strip
from dwsim_shared.compat.rules import Translation

_MAYBE_EMULATED = re.compile(r"\s*(?:copy|unload|alter|truncate)\b", re.IGNORECASE)
_POSTGRES = Dialect.get_or_raise("postgres")
_CASED = {"STRING", "IDENTIFIER", "HEREDOC_STRING", "NATIONAL_STRING", "BIT_STRING", "HEX_STRING"}


@cache
def _classify():  # the COPY/UNLOAD engine imports pyarrow and boto3: only when asked
    from dwsim_redshift.relay.statement_kind import classify

    return classify


def explain(sql: str) -> Translation:
    if _MAYBE_EMULATED.match(sql) and (kind := _classify()(sql)) is not None:
        return Translation(rewrites=(f"{kind.value} (run by the emulator)",))
    try:
        typed = translate_typed(sql)
    except UnsupportedStatementError as exc:
        return Translation(unsupported=str(exc))
    # typed slots (a SUM's or a computed DECIMAL's declared type) are settled when it runs
    if not has_slots(typed) and _same_tokens(sql, strip(typed)):
        return Translation()
    steps = _rewrite_steps(sql)
    if steps is None:
        return Translation(rewrites=("command",))
    return Translation(rewrites=steps or ("dialect",))


def _tokens(sql: str) -> list[tuple[str, str]] | None:
    try:
        tokens = _POSTGRES.tokenize(sql)
    except SqlglotError:
        return None
    return [
        (t.token_type.name, t.text if t.token_type.name in _CASED else t.text.lower())
        for t in tokens
        if t.token_type.name != "SEMICOLON"
    ]


def _same_tokens(sql: str, translated: str) -> bool:
    if sql.strip() == translated.strip():
        return True
    ours = _tokens(sql)
    return ours is not None and ours == _tokens(translated)


def _rewrite_steps(sql: str) -> tuple[str, ...] | None:
    """The rewrite steps that change the statement's tree, named; None when sqlglot keeps it
    as an opaque command (the translator then handled it by its leading words)."""
    try:
        tree = sqlglot.parse_one(sql, dialect=RedshiftSource)
    except SqlglotError:
        return None
    if tree is None or isinstance(tree, exp.Command):
        return None
    names: list[str] = []
    before, helpers = repr(tree), _helpers(tree)
    for _gate, rewrite in REWRITES:
        try:
            tree = rewrite(tree)
        except Exception:  # a step that does not apply to this tree (its gate would skip it)
            continue
        after = repr(tree)
        if after != before:
            added = sorted(_helpers(tree) - helpers)
            label = rewrite.__module__.rpartition(".")[2]
            if added:
                label += f" ({', '.join(f'{HELPER_SCHEMA}.{name}' for name in added)})"
            if label not in names:
                names.append(label)
        before, helpers = after, _helpers(tree)
    return tuple(names)


def _helpers(tree: exp.Expr) -> set[str]:
    """Names of the dwsim_rs helper functions the tree calls."""
    return {
        dot.expression.name.lower()
        for dot in tree.find_all(exp.Dot)
        if isinstance(dot.expression, exp.Anonymous) and dot.this.name.lower() == HELPER_SCHEMA
    }
