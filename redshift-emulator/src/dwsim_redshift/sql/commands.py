"""Statements handled by their leading keywords: pass-through, no-ops, SET of Redshift-only
settings, and what cannot be emulated. Kept as tables so adding a case is one line."""

import re

from dwsim_redshift.sql.errors import UnsupportedStatementError

# Harmless answer for statements with no effect on PostgreSQL (physical maintenance).
NOOP_SQL = "DO $dwsim_noop$ BEGIN END $dwsim_noop$"

# Leading keyword -> statements PostgreSQL runs as written (transaction control, cursors).
PASSTHROUGH = frozenset(
    {
        "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE",
        "FETCH", "CLOSE", "MOVE", "DEALLOCATE", "DISCARD", "LISTEN", "UNLISTEN", "NOTIFY",
        "LOCK", "PREPARE", "EXECUTE", "CALL",
    }
)  # fmt: skip

# Leading keywords of statements that only touch Redshift's physical storage.
NOOPS: tuple[tuple[str, ...], ...] = (
    ("VACUUM",),
    ("ANALYZE", "COMPRESSION"),
)

# Redshift session settings PostgreSQL does not know: kept under the dwsim. prefix, so that
# SET/SHOW/RESET behave (SHOW returns what SET stored) without affecting the backend.
REDSHIFT_SETTINGS: dict[str, str] = {
    "query_group": "default",
    "wlm_query_slot_count": "1",
    "enable_result_cache_for_session": "on",
    "analyze_threshold_percent": "10",
    "auto_analyze": "on",
    "describe_field_name_in_uppercase": "off",
    "enable_case_sensitive_identifier": "off",
    "enable_case_sensitive_super_attribute": "off",
    "json_parse_truncate_strings": "off",
    "mv_enable_aqmv_for_session": "on",
    "navigate_super_null_on_error": "on",
    "parse_super_null_on_error": "off",
    "cast_super_null_on_error": "on",
    "spectrum_query_maxerror": "-1",
    "downcase_delimited_identifier": "on",
    "enable_vacuum_boost": "false",
    "max_concurrency_scaling_clusters": "1",
    "use_fips_ssl": "false",
    "enable_numeric_rounding": "on",
    "default_geometry_encoding": "2",
}
"""Redshift-only settings, with Redshift's defaults (what SHOW answers before any SET)."""
SETTING_PREFIX = "dwsim."

_WHY_EXTERNAL = "external (Spectrum) schemas and tables read data in place from S3 or a catalog"
# Leading keyword sequences -> why the statement cannot be emulated.
UNSUPPORTED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("CREATE", "EXTERNAL", "TABLE"), _WHY_EXTERNAL),
    (("CREATE", "EXTERNAL", "SCHEMA"), _WHY_EXTERNAL),
    (("CREATE", "EXTERNAL", "VIEW"), _WHY_EXTERNAL),
    (("CREATE", "EXTERNAL", "FUNCTION"), "external functions call AWS Lambda"),
    (("ALTER", "EXTERNAL"), _WHY_EXTERNAL),
    (("DROP", "EXTERNAL"), _WHY_EXTERNAL),
    (("CREATE", "LIBRARY"), "Python libraries for UDFs need Redshift's Python runtime"),
    (("CREATE", "MODEL"), "Redshift ML trains models in SageMaker"),
    (("CREATE", "DATASHARE"), "data sharing spans Redshift clusters"),
    (("ALTER", "DATASHARE"), "data sharing spans Redshift clusters"),
    (("CREATE", "DATABASE"), "databases are fixed by the emulator's backend; use schemas"),
    (("UNLOAD",), "UNLOAD is run by the emulator itself, not translated to SQL"),
    (("COPY",), "COPY is run by the emulator itself, not translated to SQL"),
)

_ANALYZE_COLUMNS = re.compile(r"\s+(?:PREDICATE|ALL)\s+COLUMNS\s*$", re.IGNORECASE)
_PLPYTHON = re.compile(r"\blanguage\s+plpython\w*", re.IGNORECASE)


_CHECKED_FIRST_WORDS = frozenset(prefix[0] for prefix, _ in UNSUPPORTED)


def check_supported(words: tuple[str, ...], code: str) -> None:
    """Raise UnsupportedStatementError for statements the emulator cannot run."""
    if not words or words[0] not in _CHECKED_FIRST_WORDS:
        return
    for prefix, why in UNSUPPORTED:
        if _matches(words, prefix):
            upper = code.upper()
            if prefix == ("COPY",) and ("STDIN" in upper or "STDOUT" in upper):
                return
            raise UnsupportedStatementError(
                f"{' '.join(w for w in prefix if w != '*')} cannot be emulated on PostgreSQL: {why}"
            )
    if words[:1] == ("CREATE",) and _PLPYTHON.search(code):
        raise UnsupportedStatementError(
            "CREATE FUNCTION ... LANGUAGE plpythonu cannot be emulated: Python UDFs need "
            "Redshift's Python runtime; rewrite the function in SQL (LANGUAGE sql)"
        )


def _matches(words: tuple[str, ...], prefix: tuple[str, ...]) -> bool:
    """Leading words match the prefix; '*' matches one name (possibly schema-qualified)."""
    if "*" not in prefix:
        return words[: len(prefix)] == prefix
    star = prefix.index("*")
    head, tail = prefix[:star], prefix[star + 1 :]
    if words[:star] != head:
        return False
    return any(words[star + n : star + n + len(tail)] == tail for n in (1, 2))


def is_noop(words: tuple[str, ...]) -> bool:
    return any(words[: len(prefix)] == prefix for prefix in NOOPS) or (
        words[:2] == ("ALTER", "TABLE") and _is_layout_alter(words)
    )


def _is_layout_alter(words: tuple[str, ...]) -> bool:
    """ALTER TABLE t ALTER DISTKEY/DISTSTYLE/SORTKEY/ENCODE ...: layout only (the forms
    layout.alter_layout reads are recorded before this is asked; the rest change nothing)."""
    layout = {"DISTKEY", "DISTSTYLE", "SORTKEY", "COMPOUND", "INTERLEAVED", "ENCODE"}
    rest = words[2:]
    for i, word in enumerate(rest[:-1]):
        if word == "ALTER":
            after = rest[i + 1 :]
            return after[0] in layout or (
                after[0] == "COLUMN" and len(after) >= 3 and after[2] == "ENCODE"
            )
    return False


_QUOTA = re.compile(r"\s+QUOTA\s+(?:UNLIMITED|\d+(?:\.\d+)?\s*(?:MB|GB|TB))", re.IGNORECASE)


def schema_quota(statement: str, words: tuple[str, ...]) -> str | None:
    """CREATE SCHEMA ... QUOTA n GB: the quota is dropped (storage is not emulated);
    ALTER SCHEMA s QUOTA ...: a no-op. None when the statement has no quota."""
    if words[:2] not in (("CREATE", "SCHEMA"), ("ALTER", "SCHEMA")) or not _QUOTA.search(statement):
        return None
    if words[0] == "ALTER":
        return NOOP_SQL
    return _QUOTA.sub("", statement)


# CREATE/ALTER USER options PostgreSQL spells differently or does not have.
_USER_OPTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bPASSWORD\s+DISABLE\b", re.IGNORECASE), "PASSWORD NULL"),
    (re.compile(r"\bSYSLOG\s+ACCESS\s+(?:UN)?RESTRICTED\b", re.IGNORECASE), ""),
    (re.compile(r"\bSESSION\s+TIMEOUT\s+\d+\b", re.IGNORECASE), ""),
    (re.compile(r"\bNOCREATEUSER\b", re.IGNORECASE), "NOSUPERUSER"),
    (re.compile(r"\bCREATEUSER\b", re.IGNORECASE), "SUPERUSER"),
    (re.compile(r"\bEXTERNALID\s+\S+", re.IGNORECASE), ""),
)
_ALTER_USER_ONLY = re.compile(r"^\s*ALTER\s+USER\s+(?:\"[^\"]+\"|[\w$]+)\s*(?:WITH\s*)?$", re.I)


def user_options(statement: str, words: tuple[str, ...]) -> str | None:
    """CREATE/ALTER USER with Redshift-only options (SYSLOG ACCESS, PASSWORD DISABLE...):
    the PostgreSQL spelling, or a no-op when nothing is left. None for other statements."""
    if words[:2] not in (("CREATE", "USER"), ("ALTER", "USER")):
        return None
    out = statement
    for pattern, replacement in _USER_OPTIONS:
        out = pattern.sub(replacement, out)
    if out == statement:
        return None
    return NOOP_SQL if _ALTER_USER_ONLY.match(out) else out


def analyze(statement: str) -> str:
    """ANALYZE t PREDICATE COLUMNS / ALL COLUMNS: PostgreSQL analyzes every column anyway."""
    return _ANALYZE_COLUMNS.sub("", statement)
