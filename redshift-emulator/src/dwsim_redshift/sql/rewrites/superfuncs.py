"""SUPER and JSON functions: SUPER is jsonb here, JSON text functions parse varchar."""

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
    path = exp.cast(exp.Array(expressions=args[1:]), "TEXT[]", copy=False)
    return helper("json_extract_path_text", args[0], path, null_if_invalid)


def _json_parse(args: list[exp.Expr]) -> exp.Expr:
    return exp.cast(args[0], exp.DType.JSONB, copy=False)


def _json_type_is(kind: str) -> Builder:
    return lambda args: exp.EQ(
        this=call("JSONB_TYPEOF", args[0]), expression=exp.Literal.string(kind)
    )


FUNCTIONS: dict[str, Builder] = {
    "JSON_EXTRACT_PATH_TEXT": _json_extract_path_text,
    "JSON_EXTRACT_ARRAY_ELEMENT_TEXT": _helper("json_extract_array_element_text"),
    "JSON_ARRAY_LENGTH": _helper("json_array_length"),
    "IS_VALID_JSON": _helper("is_valid_json"),
    "IS_VALID_JSON_ARRAY": _helper("is_valid_json_array"),
    "CAN_JSON_PARSE": _helper("can_json_parse"),
    "JSON_PARSE": _json_parse,
    "JSON_SERIALIZE": lambda args: exp.cast(args[0], exp.DType.TEXT, copy=False),
    "JSON_TYPEOF": lambda args: call("JSONB_TYPEOF", *args),
    "GET_ARRAY_LENGTH": lambda args: call("JSONB_ARRAY_LENGTH", *args),
    "IS_ARRAY": _json_type_is("array"),
    "IS_OBJECT": _json_type_is("object"),
    "IS_VARCHAR": _json_type_is("string"),
    "IS_CHAR": _json_type_is("string"),
    "IS_BOOLEAN": _json_type_is("boolean"),
    "IS_NUMBER": _json_type_is("number"),
    "IS_SCALAR": _helper("is_scalar"),
    "IS_INTEGER": _helper("is_integer"),
    "IS_SMALLINT": _helper("is_smallint"),
    "IS_BIGINT": _helper("is_bigint"),
    "IS_DECIMAL": _helper("is_decimal"),
    "IS_FLOAT": _helper("is_float"),
    "OBJECT": lambda args: call("JSONB_BUILD_OBJECT", *args),
    "SUBARRAY": _helper("subarray"),
}


def _array(node: exp.Expr) -> exp.Expr:
    """Redshift's ARRAY(a, b, ...) builds a SUPER array."""
    return call("JSONB_BUILD_ARRAY", *node.expressions)


def _split_to_array(node: exp.Expr) -> exp.Expr:
    return call("TO_JSONB", call("STRING_TO_ARRAY", node.this, node.expression))


def _array_concat(node: exp.Expr) -> exp.Expr:
    return helper("array_concat", node.this, *node.expressions)


NODES: dict[type, Callable[[exp.Expr], exp.Expr]] = {
    exp.Array: _array,
    exp.StringToArray: _split_to_array,
    exp.ArrayConcat: _array_concat,
}
