"""FLATTEN's options: OUTER => TRUE as a left join; options fakesnow would ignore, refused.

fakesnow turns LATERAL FLATTEN(input => x) into its _fs_flatten table macro and drops every
other argument: OUTER => TRUE (a row of NULLs for an empty or NULL input) lost those rows, and
PATH, RECURSIVE => TRUE or MODE changed nothing, all silently. Here OUTER makes the lateral
join a LEFT JOIN ... ON TRUE; the defaults (OUTER => FALSE, RECURSIVE => FALSE, MODE => 'BOTH')
are accepted; anything else is refused as an emulator limit.
"""

from sqlglot import exp

from dwsim_snowflake.explain import note
from dwsim_snowflake.refusals import emulator_limit

_DEFAULTS = {"RECURSIVE": "FALSE", "MODE": "BOTH"}


def _value(node: exp.Expr) -> str:
    return node.sql(dialect="snowflake").strip("'").upper()


def rewrite(expression: exp.Expr) -> exp.Expr:
    for explode in list(expression.find_all(exp.Explode)):
        holder = explode.parent
        if not isinstance(holder, exp.Lateral | exp.TableFromRows):
            continue
        outer = False
        kept = []
        for arg in explode.expressions:
            if not isinstance(arg, exp.Kwarg):
                raise emulator_limit("FLATTEN with positional options", "Name them: OUTER => TRUE")
            name, value = arg.this.name.upper(), _value(arg.expression)
            if name == "OUTER" and value in ("TRUE", "FALSE"):
                outer = value == "TRUE"
            elif _DEFAULTS.get(name) == value:
                continue
            else:
                raise emulator_limit(f"FLATTEN with {name} => {value}", "")
        explode.set("expressions", kept)
        join = holder.parent
        if outer and isinstance(join, exp.Join):
            note("FLATTEN OUTER => TRUE")
            join.set("side", "LEFT")
            join.set("on", exp.true())
    return expression
