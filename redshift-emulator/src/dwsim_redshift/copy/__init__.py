"""COPY from S3, UNLOAD to S3 and ALTER TABLE APPEND, run by the emulator itself on the client's backend session.

The wire server calls these from a worker thread (encoding blocks ~0.2-0.5 s per million rows).
"""

from dwsim_redshift.copy.append import IN_BLOCK, is_append, run_append
from dwsim_redshift.copy.errors import LOAD_ERRORS_DDL, CopyError
from dwsim_redshift.copy.load import CopyResult, run_copy
from dwsim_redshift.copy.options import is_copy, is_unload
from dwsim_redshift.copy.unload import UnloadResult, run_unload

__all__ = [
    "IN_BLOCK",
    "LOAD_ERRORS_DDL",
    "CopyError",
    "CopyResult",
    "UnloadResult",
    "is_append",
    "is_copy",
    "is_unload",
    "run_append",
    "run_copy",
    "run_unload",
]
