"""What ``dwsim check-sql`` reads: one file (SQL or a query log), or every ``.sql`` file under a
folder (a dbt ``target/compiled`` or ``target/run`` tree), in path order."""

from pathlib import Path

from dwsim_shared.compat.statements import Statement, split_lines, split_statements
from dwsim_shared.errors import DwsimError


class SourceError(DwsimError):
    """Nothing to check: the path is missing, unreadable, or holds no SQL."""


def read_sources(path: Path) -> list[tuple[str, str]]:
    """``(name, text)`` of the file, or of every ``.sql`` file under the folder (recursively,
    hidden folders left out), named as found from ``path``."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*.sql")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not files:
            raise SourceError(f"{path} holds no .sql file (looked in every folder under it)")
    elif path.is_file():
        files = [path]
    else:
        raise SourceError(f"{path} does not exist")
    sources = []
    for file in files:
        try:
            sources.append((str(file), file.read_text(encoding="utf-8-sig")))
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"cannot read {file}: {exc}") from None
    return sources


def statements_of(
    sources: list[tuple[str | None, str]], dialect: str, *, per_line: bool = False
) -> list[Statement]:
    """Every statement of the sources, in order (``per_line``: one per line, as a query log)."""
    found: list[Statement] = []
    for name, text in sources:
        if per_line:
            found.extend(split_lines(text, file=name))
        else:
            found.extend(split_statements(text, dialect, file=name))
    return found
