"""UNLOAD option combinations Redshift refuses, refused here with its reasons."""

from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.option_table import DataFormat
from dwsim_redshift.copy.options import UnloadCommand

_TEXT_ONLY = ("DELIMITER", "FIXEDWIDTH", "ADDQUOTES", "ESCAPE", "NULL", "HEADER")
_NOT_WITH: dict[DataFormat, tuple[str, ...]] = {
    DataFormat.PARQUET: (*_TEXT_ONLY, "GZIP", "BZIP2", "ZSTD", "EXTENSION"),
    DataFormat.JSON: _TEXT_ONLY,
    DataFormat.CSV: ("FIXEDWIDTH", "ADDQUOTES", "ESCAPE"),
}


def check_options(cmd: UnloadCommand) -> None:
    for option in _NOT_WITH.get(cmd.format, ()):
        if cmd.has(option):
            raise CopyError(
                f"{option} option cannot be used with {cmd.format.name} format in UNLOAD",
                sqlstate="42601",
            )
    if cmd.has("VERBOSE") and not cmd.has("MANIFEST"):
        raise CopyError("VERBOSE can only be used with MANIFEST in UNLOAD", sqlstate="42601")
    if cmd.has("INCLUDE") and not cmd.partition_by:
        raise CopyError("INCLUDE can only be used with PARTITION BY in UNLOAD", sqlstate="42601")
    if len(set(cmd.partition_by)) != len(cmd.partition_by):
        raise CopyError("PARTITION BY names a column twice in UNLOAD", sqlstate="42701")
