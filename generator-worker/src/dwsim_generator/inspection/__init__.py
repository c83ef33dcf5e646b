"""``dwsim inspect``: what a generated run holds, and whether its relationships hold.

``inspect_run(DIR)`` returns a ``RunInspection`` (shared contract) the CLI prints as a table
or JSON, and the API or UI can serve as is. Check modules are imported here so that each
registers its checks (see ``checks.py``).
"""

from pathlib import Path

from dwsim_generator.inspection import checks, derived_checks  # noqa: F401 (registers)
from dwsim_generator.inspection.profile import profile_table
from dwsim_generator.inspection.run_data import RunData
from dwsim_shared.contracts.inspection import RunInspection

__all__ = ["RunData", "checks", "inspect_run"]


def inspect_run(
    root: Path, *, tables: list[str] | None = None, top: int = 5, bins: int = 10
) -> RunInspection:
    """Profile every column of the run at ``root`` (or of ``tables``) and run every check."""
    run = RunData(root)
    names = [t.name for t in run.experiment.tables]
    if tables:
        names = [run.table(t).name if _known(run, t) else _unknown(run, t) for t in tables]
    profiles = [profile_table(run, name, top=top, bins=bins) for name in names]
    results = checks.run_checks(run, only=set(names) if tables else None)
    return RunInspection(
        run=str(root), experiment=run.experiment.name, tables=profiles, checks=results
    )


def _known(run: RunData, name: str) -> bool:
    return any(t.name.lower() == name.lower() for t in run.experiment.tables)


def _unknown(run: RunData, name: str) -> str:
    from dwsim_shared.errors import DwsimError

    known = ", ".join(t.name for t in run.experiment.tables)
    raise DwsimError(f"the run has no table {name!r} (tables: {known})")
