"""The dwsim command itself: bad settings are a message naming the variable, not a traceback."""

import subprocess
import sys


def test_a_bad_dwsim_setting_names_the_variable():
    result = subprocess.run(
        [sys.executable, "-m", "dwsim_cli.main", "redshift-emulator", "--help"],
        capture_output=True,
        text=True,
        env={"DWSIM_REDSHIFT_PORT": "notaport", "PATH": ""},
        check=False,
    )
    assert result.returncode == 2
    assert "DWSIM_REDSHIFT_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_imports_its_own_package_only():
    """`dwsim generate` starts without importing the emulators or the API client."""
    code = (
        "import sys; from dwsim_cli.main import build_parser; build_parser('generate'); "
        "print(sorted(m for m in ('dwsim_redshift', 'dwsim_snowflake', 'httpx') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    everything = subprocess.run([sys.executable, "-m", "dwsim_cli.main", "--help"],
                                capture_output=True, text=True, check=False)  # fmt: skip
    assert "generate" in everything.stdout
    assert "redshift-emulator" in everything.stdout
