"""String, number and regular-expression functions."""

from collections.abc import Callable

from sqlglot import exp

from dwsim_redshift.sql.rewrites.calls import call, helper, text_arg, timestamp_arg

Builder = Callable[[list[exp.Expr]], exp.Expr]


def _helper(name: str) -> Builder:
    return lambda args: helper(name, *args)


CMP_FUNCTIONS = (
    "DATE_CMP", "DATE_CMP_TIMESTAMP", "DATE_CMP_TIMESTAMPTZ", "TIMESTAMP_CMP",
    "TIMESTAMP_CMP_DATE", "TIMESTAMP_CMP_TIMESTAMPTZ", "TIMESTAMPTZ_CMP", "TIMESTAMPTZ_CMP_DATE",
    "TIMESTAMPTZ_CMP_TIMESTAMP", "INTERVAL_CMP",
)  # fmt: skip


def _cmp(args: list[exp.Expr]) -> exp.Expr:
    """DATE_CMP / TIMESTAMP_CMP / INTERVAL_CMP ...: -1, 0 or 1."""
    return helper("cmp", *(timestamp_arg(a) for a in args))


FUNCTIONS: dict[str, Builder] = {
    **dict.fromkeys(CMP_FUNCTIONS, _cmp),
    "DATE_PART_YEAR": lambda args: exp.cast(
        exp.Extract(this=exp.var("YEAR"), expression=timestamp_arg(args[0])),
        exp.DType.INT,
        copy=False,
    ),
    "STRTOL": _helper("strtol"),
    "FUNC_SHA1": lambda args: helper("sha1", text_arg(args[0])),
    "SHA1": lambda args: helper("sha1", text_arg(args[0])),
    "SOUNDEX": lambda args: helper("rs_soundex", text_arg(args[0])),
    "DIFFERENCE": lambda args: helper("rs_difference", *(text_arg(a) for a in args)),
    "REGEXP_SUBSTR": _helper("regexp_substr"),
    "REGEXP_COUNT": _helper("regexp_count"),
    "REGEXP_INSTR": _helper("regexp_instr"),
    "REGEXP_REPLACE": _helper("regexp_replace"),
    "REPLICATE": lambda args: call("REPEAT", *args),
    "TEXTLEN": lambda args: call("LENGTH", *args),
    "DEXP": lambda args: call("EXP", *args),
    "DLOG10": lambda args: call("LOG", *args),
    "DLOG1": lambda args: call("LN", *args),
}


def _from_base(node: exp.Expr) -> exp.Expr:
    return helper("strtol", node.this, node.expression)


def _concat(node: exp.Expr) -> exp.Expr:
    """CONCAT(a, b) is NULL when either is NULL in Redshift; PostgreSQL's concat() skips NULLs,
    its || does not."""
    args = node.expressions
    result = args[0]
    for arg in args[1:]:
        result = exp.DPipe(this=result, expression=arg, safe=False)
    return exp.Paren(this=result)


def _sha2(node: exp.Expr) -> exp.Expr:
    """SHA2(text, bits) is a hex string in Redshift; PostgreSQL's sha256() hashes bytea."""
    bits = node.args.get("length")
    name = f"SHA{bits.name if isinstance(bits, exp.Literal) else 256}"
    digest = call(
        name,
        call(
            "CONVERT_TO",
            exp.cast(node.this, exp.DType.TEXT, copy=False),
            exp.Literal.string("UTF8"),
        ),
    )
    return call("ENCODE", digest, exp.Literal.string("hex"))


def _round(node: exp.Expr) -> exp.Expr:
    """ROUND(double [, n]): Redshift rounds halves away from zero and accepts n; PostgreSQL's
    double precision round() rounds halves to even and takes no n. The helper goes through
    numeric for both."""
    decimals = node.args.get("decimals")
    return helper("round", node.this, *([decimals] if decimals is not None else []))


NODES: dict[type, Callable[[exp.Expr], exp.Expr]] = {
    # sqlglot renders these in forms PostgreSQL rejects (HEX(), CURRENT_TIME()).
    exp.Hex: lambda node: call("TO_HEX", node.this),
    exp.LowerHex: lambda node: call("TO_HEX", node.this),
    exp.CurrentTime: lambda node: exp.var("CURRENT_TIME"),
    exp.CurrentUserId: lambda node: helper("current_user_id"),
    exp.CurrentVersion: lambda node: helper("version"),
    exp.FromBase: _from_base,
    exp.SHA: lambda node: helper("sha1", text_arg(node.this)),
    exp.Soundex: lambda node: helper("rs_soundex", text_arg(node.this)),
    exp.Concat: _concat,
    exp.SHA2: _sha2,
    exp.Round: _round,
}
