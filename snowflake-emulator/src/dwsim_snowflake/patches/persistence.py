"""A fakesnow instance whose databases, stages and file formats live in files under one folder.

fakesnow keeps each database in ``<folder>/<NAME>.db`` when given ``db_path``, but only attaches a
file when a client connects naming that database, and keeps its global catalog (stages, file
formats, column lengths) in memory and internal stages' files in a temporary folder.
Here both live in the folder too, and every database file found at start is attached, so a
restart finds everything a client left.
"""

from pathlib import Path

import fakesnow.server as server
import fakesnow.transforms.stage as fs_stage
from fakesnow import info_schema, macros
from fakesnow.instance import GLOBAL_DATABASE_NAME, FakeSnow
from fakesnow.transforms import show
from starlette.applications import Starlette

from dwsim_snowflake.patches import table_comments

GLOBAL_FILE = "_fs_global.duckdb"  # not *.db: that suffix marks a user database
INTERNAL_STAGES = "stages"  # files PUT to internal stages (fakesnow: a temporary folder)


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def persistent_instance(folder: Path) -> FakeSnow:
    """A FakeSnow keeping every database in ``folder``, re-attaching what an earlier run left."""
    folder.mkdir(parents=True, exist_ok=True)
    instance = FakeSnow(db_path=folder)
    conn = instance.duck_conn

    conn.execute(f"DETACH {GLOBAL_DATABASE_NAME}")
    conn.execute(f"ATTACH {_quote_literal(str(folder / GLOBAL_FILE))} AS {GLOBAL_DATABASE_NAME}")
    conn.execute(info_schema.fs_global_creation_sql())
    conn.execute(show.fs_global_creation_sql())

    for db_file in sorted(folder.glob("*.db")):
        name = db_file.stem
        conn.execute(f"ATTACH IF NOT EXISTS {_quote_literal(str(db_file))} AS {_quote_ident(name)}")
        conn.execute(info_schema.per_db_creation_sql(name))
        conn.execute(macros.creation_sql(name))
    table_comments.adopt_recorded_comments(conn)  # comments an earlier emulator kept by name
    keep_internal_stages(folder / INTERNAL_STAGES)
    return instance


def keep_internal_stages(folder: Path) -> None:
    """Files PUT to internal stages go under ``folder`` instead of a temporary directory."""
    folder.mkdir(parents=True, exist_ok=True)
    old = Path(fs_stage.LOCAL_BUCKET_PATH)
    fs_stage.LOCAL_BUCKET_PATH = str(folder.resolve())
    if old != folder.resolve() and old.is_dir() and not any(old.iterdir()):
        old.rmdir()  # the empty temporary folder fakesnow made at import


def serve_instance(instance: FakeSnow) -> Starlette:
    """fakesnow's app, serving ``instance`` in place of the in-memory one it made at import."""
    old = server.shared_fs
    server.shared_fs = instance  # login_request reads the module global at each login
    old.duck_conn.close()
    return server.app


def attached_databases(instance: FakeSnow) -> list[str]:
    """Names of the user databases the instance has attached (for the start-up log line)."""
    rows = instance.duck_conn.execute(
        "SELECT database_name FROM duckdb_databases() WHERE NOT internal "
        "AND database_name NOT IN ('memory', ?)",
        [GLOBAL_DATABASE_NAME],
    ).fetchall()
    return [r[0] for r in rows]
