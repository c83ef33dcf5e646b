"""Identifier validation, done once here so no service ever quotes an unsafe name."""

import re
import unicodedata

MAX_IDENTIFIER_LENGTH = 127  # Redshift's limit, the strictest of the supported warehouses

_FORBIDDEN = re.compile(r'["`\\/\x00-\x1f\x7f]')
# invisible characters that make a name read as another: C1 controls, bidirectional controls
# (Trojan Source), zero-width space, word joiner, byte order mark, soft hyphen
_INVISIBLE = re.compile(
    "[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u00ad]"
)


class InvalidIdentifierError(ValueError):
    pass


def validate_identifier(name: str, what: str = "identifier") -> str:
    """Return ``name`` if it can be safely double-quoted in every warehouse, else raise.

    Rejected: empty names, names longer than 127 characters, leading/trailing spaces,
    characters that could end a quoted identifier or a path segment (``"`` `` ` `` ``\\``
    ``/``, control characters), names of dots only (``.``, ``..``: relative path segments in
    S3 keys and file names) and invisible characters (bidirectional controls, zero-width
    space, C1 controls: a name that reads as another).
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
    if not name.strip("."):
        raise InvalidIdentifierError(
            f"{what} {name!r} is only dots, which would be a relative path in file names and "
            "S3 keys; use a letter or digit"
        )
    invisible = _INVISIBLE.search(name)
    if invisible:
        char = invisible.group()
        label = unicodedata.name(char, "a control character")
        raise InvalidIdentifierError(
            f"{what} {name!r} contains the invisible character U+{ord(char):04X} ({label}), "
            "which is not allowed in dw-sim names: it makes a name read as another"
        )
    return name


def fold_name(name: str) -> str:
    """The form under which two names are the same name: Unicode canonical caseless matching,
    ``NFC(casefold(NFD(name)))``.

    Case folding, not lower(): ``STRASSE`` and ``straße`` fold alike. Canonical normalisation
    too: ``É`` written as one character or as ``E`` plus a combining accent reads the same and
    names the same file on macOS (APFS and HFS+ ignore the difference). Not NFKC: ``ﬁ`` and
    ``fi`` or ``x²`` and ``x2`` read differently and no warehouse or disk treats them as one.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


def quote_identifier(name: str) -> str:
    """Double-quote a validated identifier (ANSI quoting, as all supported warehouses use)."""
    return '"' + validate_identifier(name) + '"'
