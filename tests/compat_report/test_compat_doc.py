"""docs/compatibility.md's generated section is what the corpora give now: regenerated on the
session's emulators and compared (``DWSIM_WRITE_COMPAT_DOC=1``, as ``python -m
tests.compat_report`` sets it, writes it instead)."""

import difflib
import os
from concurrent.futures import ThreadPoolExecutor

from tests.compat_report.markdown import DOC, render, splice
from tests.compat_report.redshift_corpus import check_corpora
from tests.compat_report.snowflake_corpus import check_corpus


def test_generated_section_is_current(redshift_emulator, snowflake_emulator):
    with ThreadPoolExecutor(2) as pool:  # each waits on its own emulator most of the time
        redshift = pool.submit(check_corpora, redshift_emulator)
        snowflake = pool.submit(check_corpus, snowflake_emulator)
        section = render({"Redshift": redshift.result(), "Snowflake": snowflake.result()})
    current = DOC.read_text()
    wanted = splice(current, section)
    if os.environ.get("DWSIM_WRITE_COMPAT_DOC") == "1":
        DOC.write_text(wanted)
        return
    changes = list(difflib.unified_diff(current.splitlines(), wanted.splitlines(), lineterm=""))
    assert not changes, (
        "docs/compatibility.md's generated section is stale: run "
        "`.venv/bin/python -m tests.compat_report` and commit the result; what changed:\n"
        + "\n".join(changes[:60])
    )
