"""Bodies of CREATE FUNCTION (LANGUAGE sql) and CREATE PROCEDURE (LANGUAGE plpgsql) hold
Redshift SQL too: SQL bodies are translated whole; in PL/pgSQL bodies, each statement that
starts with a SQL verb (after BEGIN, ELSE, IF ... THEN, FOR/WHILE ... LOOP) is translated, the
rest kept as written."""

import re

from sqlglot import exp

from dwsim_redshift.sql.errors import UnsupportedStatementError
from dwsim_redshift.sql.statements import split_statements

_PL_PREFIX = re.compile(
    r"^(\s*(?:(?:begin|loop|else)\b\s*|(?:if|elsif)\b.*?\bthen\b\s*"
    r"|(?:for|while)\b.*?\bloop\b\s*)*)(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SQL_VERB = re.compile(r"(?:select|insert|update|delete|with|truncate)\b", re.IGNORECASE)


def _translate(sql: str) -> str:
    from dwsim_redshift.sql.translate import translate  # the translator calls this module

    try:
        return translate(sql)
    except UnsupportedStatementError:
        return sql  # PostgreSQL will judge it when the routine runs


def _translate_plpgsql(body: str) -> str:
    out: list[str] = []
    for piece in split_statements(body):
        prefix, rest = _PL_PREFIX.match(piece).groups()  # type: ignore[union-attr]
        out.append(prefix + _translate(rest) if _SQL_VERB.match(rest) else piece)
    tail = ";" if body.rstrip().endswith(";") else ""
    return "\n" + ";\n".join(out) + tail + "\n"


def rewrite(tree: exp.Expr) -> exp.Expr:
    if not isinstance(tree, exp.Create) or tree.kind not in ("FUNCTION", "PROCEDURE"):
        return tree
    body = tree.args.get("expression")
    if not isinstance(body, exp.Heredoc | exp.Literal):
        return tree
    language = next((p.name.lower() for p in tree.find_all(exp.LanguageProperty)), "plpgsql")
    text = body.name
    translated = _translate(text) if language == "sql" else _translate_plpgsql(text)
    if isinstance(body, exp.Heredoc):
        body.set("this", translated)
    else:
        tree.set("expression", exp.Heredoc(this=translated))
    return tree
