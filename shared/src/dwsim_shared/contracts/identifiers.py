"""Identifier validation, done once here so no service ever quotes an unsafe name."""

import re

MAX_IDENTIFIER_LENGTH = 127  # Redshift's limit, the strictest of the supported warehouses

_FORBIDDEN = re.compile(r'["`\\/\x00-\x1f\x7f]')


class InvalidIdentifierError(ValueError):
    pass


def validate_identifier(name: str, what: str = "identifier") -> str:
    """Return ``name`` if it can be safely double-quoted in every warehouse, else raise.

    Rejected: empty names, names longer than 127 characters, leading/trailing spaces and
    characters that could end a quoted identifier or a path segment (``"`` `` ` `` ``\\``
    ``/``, control characters).
    """
    if not isinstance(name, str) or not name:
        raise InvalidIdentifierError(f"{what} must be a non-empty string")
    if len(name) > MAX_IDENTIFIER_LENGTH:
        raise InvalidIdentifierError(
            f"{what} {name[:40]!r}... is {len(name)} characters long; "
            f"the limit is {MAX_IDENTIFIER_LENGTH}"
        )
    if name != name.strip():
        raise InvalidIdentifierError(f"{what} {name!r} has leading or trailing whitespace")
    bad = _FORBIDDEN.search(name)
    if bad:
        raise InvalidIdentifierError(
            f"{what} {name!r} contains the character {bad.group()!r}, "
            "which is not allowed in dw-sim names (quotes, backslash, slash, control characters)"
        )
    return name


def quote_identifier(name: str) -> str:
    """Double-quote a validated identifier (ANSI quoting, as all supported warehouses use)."""
    return '"' + validate_identifier(name) + '"'
