"""What COPY and UNLOAD accept: formats, compressions, and which options take a value."""

from enum import Enum, StrEnum


class DataFormat(StrEnum):
    TEXT = "text"  # delimited text, '|' by default
    CSV = "csv"
    PARQUET = "parquet"
    ORC = "orc"
    JSON = "json"
    FIXEDWIDTH = "fixedwidth"


class Compression(StrEnum):
    NONE = "none"
    GZIP = "gzip"
    BZIP2 = "bz2"
    ZSTD = "zstd"


class Arity(Enum):
    FLAG = "flag"
    VALUE = "value"
    MAYBE = "maybe"  # COMPUPDATE [ON|OFF], ACCEPTINVCHARS ['c'], ...


_COMMON = {
    "IAM_ROLE": Arity.VALUE,
    "CREDENTIALS": Arity.VALUE,
    "ACCESS_KEY_ID": Arity.VALUE,
    "SECRET_ACCESS_KEY": Arity.VALUE,
    "SESSION_TOKEN": Arity.VALUE,
    "REGION": Arity.VALUE,
    "DELIMITER": Arity.VALUE,
    "NULL": Arity.VALUE,
    "MANIFEST": Arity.FLAG,
    "GZIP": Arity.FLAG,
    "BZIP2": Arity.FLAG,
    "ZSTD": Arity.FLAG,
    "ENCRYPTED": Arity.FLAG,
    "KMS_KEY_ID": Arity.VALUE,
    "MASTER_SYMMETRIC_KEY": Arity.VALUE,
    "ESCAPE": Arity.FLAG,
}
COPY_OPTIONS: dict[str, Arity] = {
    **_COMMON,
    "QUOTE": Arity.VALUE,
    "IGNOREHEADER": Arity.VALUE,
    "DATEFORMAT": Arity.VALUE,
    "TIMEFORMAT": Arity.VALUE,
    "MAXERROR": Arity.VALUE,
    "MAXERRORS": Arity.VALUE,
    "ENCODING": Arity.VALUE,
    "COMPROWS": Arity.VALUE,
    "READRATIO": Arity.VALUE,
    "ACCEPTINVCHARS": Arity.MAYBE,
    "COMPUPDATE": Arity.MAYBE,
    "STATUPDATE": Arity.MAYBE,
    "EMPTYASNULL": Arity.FLAG,
    "BLANKSASNULL": Arity.FLAG,
    "TRUNCATECOLUMNS": Arity.FLAG,
    "FILLRECORD": Arity.FLAG,
    "IGNOREBLANKLINES": Arity.FLAG,
    "TRIMBLANKS": Arity.FLAG,
    "REMOVEQUOTES": Arity.FLAG,
    "ROUNDEC": Arity.FLAG,
    "EXPLICIT_IDS": Arity.FLAG,
    "ACCEPTANYDATE": Arity.FLAG,
    "SERIALIZETOJSON": Arity.FLAG,
    "LZOP": Arity.FLAG,
    "NOLOAD": Arity.FLAG,
}
UNLOAD_OPTIONS: dict[str, Arity] = {
    **_COMMON,
    "HEADER": Arity.FLAG,
    "PARALLEL": Arity.MAYBE,
    "ALLOWOVERWRITE": Arity.FLAG,
    "CLEANPATH": Arity.FLAG,
    "ADDQUOTES": Arity.FLAG,
    "MAXFILESIZE": Arity.VALUE,  # [AS] n [MB | GB]: the unit is read by the parser
    "EXTENSION": Arity.VALUE,
    "VERBOSE": Arity.FLAG,
    "PARTITION": Arity.VALUE,  # PARTITION BY (columns) [INCLUDE]: read by the parser
}
FORMATS = {"CSV", "PARQUET", "JSON", "AVRO", "ORC", "FIXEDWIDTH", "SHAPEFILE"}
UNLOAD_FORMATS = {DataFormat.TEXT, DataFormat.CSV, DataFormat.PARQUET, DataFormat.JSON}
UNSUPPORTED: dict[str, str] = {
    "AVRO": "no Avro reader is installed with it; load Parquet, ORC, JSON or CSV instead",
    "SHAPEFILE": "it has no GEOMETRY type; load the shapes as WKT text instead",
    "ENCRYPTED": "client-side encrypted files need the client's key management",
    "LZOP": "no LZO codec is installed with it; use GZIP, BZIP2 or ZSTD",
    "MASTER_SYMMETRIC_KEY": "client-side encrypted files need the client's key management",
}
"""Options the emulator refuses, and why (the error says it is an emulator limit)."""
COMPRESSIONS = {"GZIP": Compression.GZIP, "BZIP2": Compression.BZIP2, "ZSTD": Compression.ZSTD}
