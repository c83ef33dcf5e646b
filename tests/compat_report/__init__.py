"""docs/compatibility.md's generated section: every statement of the fidelity corpora checked on
its emulator as ``dwsim check-sql`` checks it (faithful, rewritten, unsupported, error), with
whether the case's answer is the one the warehouse's documentation gives, tabled per statement
kind and per function.

    .venv/bin/python -m tests.compat_report     # rewrites the section in docs/compatibility.md

``test_compat_doc.py`` regenerates the section in memory and fails when the file differs.
"""
