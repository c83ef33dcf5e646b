"""String, regular-expression and JSON-text functions."""

from collections.abc import Callable

from sqlglot import exp

from dwsim_redshift.sql.rewrites.calls import call, helper

Builder = Callable[[list[exp.Expr]], exp.Expr]


def _helper(name: str) -> Builder:
    return lambda args: helper(name, *args)


def _json_extract_path_text(args: list[exp.Expr]) -> exp.Expr:
    """JSON_EXTRACT_PATH_TEXT(json, 'a', 'b' [, null_if_invalid])."""
    null_if_invalid: exp.Expr = exp.false()
    if len(args) > 2 and isinstance(args[-1], exp.Boolean):
        null_if_invalid = args[-1]
        args = args[:-1]
    return helper(
        "json_extract_path_text", args[0], exp.Array(expressions=args[1:]), null_if_invalid
    )


def _json_parse(args: list[exp.Expr]) -> exp.Expr:
    return exp.cast(args[0], exp.DType.JSONB, copy=False)


def _json_type_is(kind: str) -> Builder:
    return lambda args: exp.EQ(
        this=call("JSONB_TYPEOF", args[0]), expression=exp.Literal.string(kind)
    )


FUNCTIONS: dict[str, Builder] = {
    "STRTOL": _helper("strtol"),
    "REGEXP_SUBSTR": _helper("regexp_substr"),
    "REGEXP_COUNT": _helper("regexp_count"),
    "REGEXP_INSTR": _helper("regexp_instr"),
    "REGEXP_REPLACE": _helper("regexp_replace"),
    "JSON_EXTRACT_PATH_TEXT": _json_extract_path_text,
    "JSON_EXTRACT_ARRAY_ELEMENT_TEXT": _helper("json_extract_array_element_text"),
    "JSON_ARRAY_LENGTH": _helper("json_array_length"),
    "IS_VALID_JSON": _helper("is_valid_json"),
    "IS_VALID_JSON_ARRAY": _helper("is_valid_json_array"),
    "JSON_PARSE": _json_parse,
    "JSON_SERIALIZE": lambda args: exp.cast(args[0], exp.DType.TEXT, copy=False),
    "JSON_TYPEOF": lambda args: call("JSONB_TYPEOF", *args),
    "GET_ARRAY_LENGTH": lambda args: call("JSONB_ARRAY_LENGTH", *args),
    "IS_ARRAY": _json_type_is("array"),
    "IS_OBJECT": _json_type_is("object"),
    "IS_VARCHAR": _json_type_is("string"),
    "IS_BOOLEAN": _json_type_is("boolean"),
    "IS_NUMBER": _json_type_is("number"),
    "REPLICATE": lambda args: call("REPEAT", *args),
    "TEXTLEN": lambda args: call("LENGTH", *args),
    "DEXP": lambda args: call("EXP", *args),
    "DLOG10": lambda args: call("LOG", *args),
    "DLOG1": lambda args: call("LN", *args),
}


def _from_base(node: exp.Expr) -> exp.Expr:
    return helper("strtol", node.this, node.expression)


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
    exp.FromBase: _from_base,
    exp.SHA2: _sha2,
    exp.Round: _round,
}
