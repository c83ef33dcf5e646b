"""PartiQL's `FROM t, t.items AS x AT i` (i = x's 0-based position) and
`FROM t, UNPIVOT t.obj AS v AT k` (each attribute's value v and name k).

sqlglot cannot parse `AT i`: it is cut from the text before parsing and re-attached to the
UNNEST that sqlglot builds for `t.items AS x` (as its offset), where the SUPER rewrite turns it
into WITH ORDINALITY; UNPIVOT becomes JSONB_EACH here.
"""

import re

from sqlglot import exp
from sqlglot.tokens import TokenType

from dwsim_redshift.sql.dialect import RedshiftSource

_MAYBE_AT = re.compile(r"\bat\s+(?!time\b)[A-Za-z_\"]", re.IGNORECASE)
_NAME_TOKENS = {TokenType.VAR, TokenType.IDENTIFIER}


def has_at_index(code: str) -> bool:
    return _MAYBE_AT.search(code) is not None


def strip_at_indexes(statement: str) -> tuple[str, dict[str, str]]:
    """The statement without `AT i` after an alias, and {element alias: index name}."""
    tokens = RedshiftSource().tokenize(statement)
    cuts: list[tuple[int, int]] = []
    indexes: dict[str, str] = {}
    for k in range(1, len(tokens) - 1):
        at, alias, name = tokens[k], tokens[k - 1], tokens[k + 1]
        if (
            at.text.upper() == "AT"
            and alias.token_type in _NAME_TOKENS
            and name.token_type in _NAME_TOKENS
            and k >= 2
            and tokens[k - 2].token_type == TokenType.ALIAS
        ):
            indexes[alias.text.lower()] = name.text
            cuts.append((at.start, name.end + 1))
    if not cuts:
        return statement, {}
    pieces, pos = [], 0
    for start, end in cuts:
        pieces.append(statement[pos:start])
        pos = end
    pieces.append(statement[pos:])
    return "".join(pieces), indexes


def _unpivot(pivot: exp.Pivot, indexes: dict[str, str]) -> exp.Expr | None:
    table = pivot.this
    if not isinstance(table, exp.Table) or table.alias_or_name is None or not table.alias:
        return None
    value = table.args["alias"].this
    key = indexes.get(value.name.lower(), "key")
    parts = [table.args.get("catalog"), table.args.get("db"), table.this]
    names = [p for p in parts if p is not None]
    column = exp.Column(
        this=names[-1],
        table=names[-2] if len(names) > 1 else None,
        db=names[-3] if len(names) > 2 else None,
    )
    return exp.Table(
        this=exp.Anonymous(this="JSONB_EACH", expressions=[column]),
        alias=exp.TableAlias(this=value.copy(), columns=[exp.to_identifier(key), value.copy()]),
    )


def attach_indexes(tree: exp.Expr, indexes: dict[str, str]) -> None:
    for pivot in list(tree.find_all(exp.Pivot)):
        if pivot.args.get("unpivot") and (table := _unpivot(pivot, indexes)) is not None:
            pivot.replace(table)
    for unnest in tree.find_all(exp.Unnest):
        alias = unnest.args.get("alias")
        if alias is not None and alias.columns:
            name = indexes.get(alias.columns[0].name.lower())
            if name is not None:
                unnest.set("offset", exp.to_identifier(name))
