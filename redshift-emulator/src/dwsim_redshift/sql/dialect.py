"""The Redshift dialect as the translator reads it: sqlglot's, plus the syntax it rejects.

sqlglot normalises date parts when it parses DATEADD/DATEDIFF/DATE_PART and picks T-SQL meanings
for some abbreviations, so those functions are kept as raw calls here and the helper functions in
schema dwsim_rs apply Redshift's own date-part table. Physical-layout attributes that sqlglot
cannot parse (column DISTKEY/SORTKEY, INTERLEAVED SORTKEY, SORTKEY AUTO, ENCODE AUTO) are parsed
into marker nodes that the DDL rewrite takes out (layout.py records them).
"""

from sqlglot import exp
from sqlglot.dialects.redshift import Redshift
from sqlglot.parsers.redshift import RedshiftParser

# Functions kept as raw calls (name, args as written) so that the rewrite table decides.
RAW_FUNCTIONS = (
    "ADD_MONTHS",
    "CONVERT_TIMEZONE",
    "DATEADD",
    "DATE_ADD",
    "DATEDIFF",
    "DATE_DIFF",
    "DATEPART",
    "DATE_PART",
    "DATE_TRUNC",
    "GETDATE",
    "LISTAGG",
    "MONTHS_BETWEEN",
    "NEXT_DAY",
    "REGEXP_COUNT",
    "REGEXP_INSTR",
    "REGEXP_REPLACE",
    "REGEXP_SUBSTR",
    "STRTOL",
    "TRUNC",
    "JSON_PARSE",
    "JSON_EXTRACT_PATH_TEXT",
    "IS_ARRAY",
    "LAST_DAY",
    "TO_CHAR",
)


class PhysicalAttribute(exp.Property):
    """A Redshift storage attribute (DISTKEY, SORTKEY, ENCODE...) with no PostgreSQL meaning."""

    arg_types = {"this": False}


class InterleavedSortKeyProperty(exp.SortKeyProperty):
    """INTERLEAVED SORTKEY (cols), told apart from a compound one for the catalog."""


class PhysicalColumnAttribute(exp.Expression, exp.ColumnConstraintKind):
    """A column-level DISTKEY or SORTKEY."""

    arg_types = {"this": False}


def _raw(name: str):
    return lambda args: exp.Anonymous(this=name, expressions=args)


def _parse_sortkey_property(self: RedshiftParser, compound: bool = False) -> exp.Expression:
    if self._match_text_seq("AUTO"):
        return self.expression(PhysicalAttribute(this=exp.var("SORTKEY AUTO")))
    return self.expression(
        exp.SortKeyProperty(this=self._parse_wrapped_id_vars(), compound=compound)
    )


def _parse_interleaved(self: RedshiftParser) -> exp.Expression:
    self._match_text_seq("SORTKEY")
    if self._match_text_seq("AUTO"):
        return self.expression(PhysicalAttribute(this=exp.var("SORTKEY AUTO")))
    return self.expression(InterleavedSortKeyProperty(this=self._parse_wrapped_id_vars()))


def _parse_encode_property(self: RedshiftParser) -> exp.Expression:
    return self.expression(PhysicalAttribute(this=self._parse_var()))


class SourceParser(RedshiftParser):
    FUNCTION_PARSERS = {
        k: v for k, v in RedshiftParser.FUNCTION_PARSERS.items() if k != "DATE_PART"
    }
    FUNCTIONS = {**RedshiftParser.FUNCTIONS, **{name: _raw(name) for name in RAW_FUNCTIONS}}

    PROPERTY_PARSERS = {
        **RedshiftParser.PROPERTY_PARSERS,
        "SORTKEY": _parse_sortkey_property,
        "INTERLEAVED": _parse_interleaved,
        "ENCODE": _parse_encode_property,
    }

    CONSTRAINT_PARSERS = {
        **RedshiftParser.CONSTRAINT_PARSERS,
        "DISTKEY": lambda self: self.expression(PhysicalColumnAttribute(this=exp.var("DISTKEY"))),
        "SORTKEY": lambda self: self.expression(PhysicalColumnAttribute(this=exp.var("SORTKEY"))),
    }


class RedshiftSource(Redshift):
    """Redshift as written by users, parsed for translation (never used to generate SQL)."""

    Parser = SourceParser
