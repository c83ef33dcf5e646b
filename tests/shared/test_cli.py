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
