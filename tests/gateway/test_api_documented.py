"""Every route of the public HTTP API is in the README's API table, and the table names no
route the gateway does not serve, so the docs say what the code answers.

A row may name several methods of one path: `GET`, `DELETE /api/...`.
"""

import re
from pathlib import Path

from dwsim_gateway.main import create_app

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| ((?:`[A-Z]+`, )*)`([A-Z]+) (/api/[^`?]*)[^`]*` \|")


def documented(text: str) -> set[str]:
    """``METHOD /api/path`` of every row of the README's API table."""
    routes = set()
    for line in text.splitlines():
        if match := ROW.match(line):
            others, method, path = match.groups()
            for name in [*re.findall(r"`([A-Z]+)`", others), method]:
                routes.add(f"{name} {path}")
    return routes


def served() -> set[str]:
    paths = create_app().openapi()["paths"]
    return {f"{method.upper()} {path}" for path, operations in paths.items()
            for method in operations if path.startswith("/api/")}  # fmt: skip


def test_the_readme_names_every_route_of_the_api_and_no_other() -> None:
    routes, rows = served(), documented(README.read_text())
    assert len(routes) > 15  # the app's routes were read
    assert sorted(routes - rows) == [], "routes the README's API table does not name"
    assert sorted(rows - routes) == [], "README rows naming routes the gateway does not serve"


def test_a_row_may_name_several_methods_of_one_path() -> None:
    row = "| `GET`, `DELETE /api/experiments/{name}/queries/{query}` | one saved query |"
    assert documented(row) == {
        "GET /api/experiments/{name}/queries/{query}",
        "DELETE /api/experiments/{name}/queries/{query}",
    }
