"""Rewrite docs/compatibility.md's generated section: the test that compares it, run with
DWSIM_WRITE_COMPAT_DOC=1 so it writes instead (it reuses the test suite's emulator fixtures)."""

import os
import sys
from pathlib import Path

import pytest

if __name__ == "__main__":
    os.environ["DWSIM_WRITE_COMPAT_DOC"] = "1"
    test = Path(__file__).with_name("test_compat_doc.py")
    sys.exit(pytest.main([str(test), "-q", "-p", "no:cacheprovider", *sys.argv[1:]]))
