"""Every setting a process reads (a ``DWSIM_*`` variable, from the shared settings or a
service's ``config.py``) is in the README's settings, so the docs say what the code reads.

The README may shorten a row's later names to their last part (``DWSIM_REDSHIFT_HOST``,
``_PORT``): such a name stands for the row's previous full name with its last part replaced.
"""

import importlib
import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

README = Path(__file__).resolve().parents[2] / "README.md"
CONFIGS = [
    "dwsim_shared.settings",
    "dwsim_gateway.config",
    "dwsim_metadata.config",
    "dwsim_query.config",
    "dwsim_generator.config",
    "dwsim_loader.config",
    "dwsim_redshift.config",
    "dwsim_snowflake.config",
    "dwsim_local.config",
]


def documented(text: str) -> set[str]:
    """Every variable the README names, its shortened names (``_PORT``) spelled out."""
    names: set[str] = set()
    for line in text.splitlines():
        full = None
        for name in re.findall(r"`((?:DWSIM)?_[A-Z0-9_]+)`", line):
            if name.startswith("DWSIM_"):
                full = name
            elif full is not None:
                name = full.rsplit("_", 1)[0] + name
            else:
                continue
            names.add(name)
    return names


def read_settings() -> dict[str, str]:
    """{variable: where it is defined} for every settings class of every process."""
    found: dict[str, str] = {}
    for module_name in CONFIGS:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseSettings):
                prefix = value.model_config.get("env_prefix", "")
                for field in value.model_fields:
                    found.setdefault(f"{prefix}{field}".upper(), module_name)
    return found


def test_the_readme_names_every_setting_the_code_reads() -> None:
    settings = read_settings()
    assert len(settings) > 50  # every config module was read
    missing = {name: where for name, where in settings.items() if name not in documented(
        README.read_text())}  # fmt: skip
    assert missing == {}, "settings the README's *Settings* does not name"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("| `DWSIM_REDSHIFT_HOST`, `_PORT` | x |", {"DWSIM_REDSHIFT_HOST", "DWSIM_REDSHIFT_PORT"}),
        ("| `DWSIM_A_B_C`, `_D` |", {"DWSIM_A_B_C", "DWSIM_A_B_D"}),
        ("`_ORPHAN` alone", set()),
    ],
)
def test_shortened_names_are_read_against_the_rows_full_name(line: str, names: set[str]) -> None:
    assert documented(line) == names
