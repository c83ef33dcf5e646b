"""Run dbt commands in-process (dbtRunner: no interpreter start per command), timing each."""

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from dbt.cli.main import dbtRunner

from tests.dbt.targets import Target

PROJECT = Path(__file__).parent / "project"
_FAILED = {"error", "fail", "runtime error", "skipped"}


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    message: str
    run_results: dict  # target/run_results.json as this command left it


@dataclass
class DbtProject:
    """A copy of the project with a profile for one target; ``dbt(...)`` runs one command."""

    target: Target
    root: Path
    steps: list[Step] = field(default_factory=list)

    @classmethod
    def copy(cls, target: Target, folder: Path) -> "DbtProject":
        root = folder / "project"
        shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("target", "logs"))
        (folder / "profiles.yml").write_text(target.profiles_yml())
        return cls(target, root)

    @property
    def target_dir(self) -> Path:
        return self.root / "target"

    def dbt(self, name: str, *args: str) -> Step:
        events: list[str] = []

        def keep(event) -> None:  # dbt's own lines, so a failure names its node and error
            if event.info.level in ("warn", "error") or name == "debug":
                events.append(event.info.msg)

        started = time.monotonic()
        folders = {"--project-dir": self.root, "--profiles-dir": self.root.parent}
        folders["--log-path"] = self.root.parent / "logs"
        flags = [part for flag, path in folders.items() for part in (flag, str(path))]
        result = dbtRunner(callbacks=[keep]).invoke([*args, *flags])
        seconds = time.monotonic() - started
        failures = _failures(result)
        ok = result.success and result.exception is None and not failures
        message = "\n".join([*failures, *(str(e) for e in [result.exception] if e), *events[-30:]])
        results = self.target_dir / "run_results.json"
        run_results = json.loads(results.read_text()) if results.exists() else {}
        step = Step(name, ok, seconds, message, run_results)
        self.steps.append(step)
        return step

    def step(self, name: str) -> Step:
        """The step, which must have run and succeeded (for tests reading what it built)."""
        found = [s for s in self.steps if s.name == name]
        assert found, f"dbt {name} did not run: an earlier command failed ({self.failed()})"
        assert found[-1].ok, f"dbt {name} failed:\n{found[-1].message}"
        return found[-1]

    def failed(self) -> str:
        return ", ".join(s.name for s in self.steps if not s.ok) or "none"


def _failures(result) -> list[str]:
    """One line per node that did not succeed (models, seeds, snapshots, tests)."""
    results = getattr(result.result, "results", None) or []
    return [
        f"{r.node.unique_id}: {r.status}: {r.message}"
        for r in results
        if str(getattr(r, "status", "")).lower() in _FAILED
    ]
