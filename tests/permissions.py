"""Running a child process that file permissions apply to, even when the tests run as root.

Root reads any folder and writes any file, so a test of "a folder that cannot be read" or "a
database file that cannot be written" runs its subject in a child process without the two
capabilities that let root ignore permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH).
"""

from __future__ import annotations

import ctypes
import functools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def _drop_overrides() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@functools.cache
def permissions_apply() -> bool:
    """Whether a child started by `run_python` is bound by file permissions."""
    if os.geteuid() != 0:
        return True
    if sys.platform != "linux":
        return False
    with tempfile.TemporaryDirectory() as tmp:
        locked = Path(tmp) / "locked"
        locked.mkdir(mode=0)
        try:
            probe = subprocess.run(
                [sys.executable, "-c", f"import os; os.listdir({str(locked)!r})"],
                preexec_fn=_drop_overrides, capture_output=True,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        finally:
            locked.chmod(0o700)
    return probe.returncode != 0 and b"PermissionError" in probe.stderr


def run_python(code: str, **kwargs) -> subprocess.CompletedProcess:
    """`python -c code` in a child bound by file permissions (skips the test where impossible)."""
    if not permissions_apply():
        pytest.skip("cannot drop root's permission overrides here")
    preexec = _drop_overrides if os.geteuid() == 0 else None
    return subprocess.run(
        [sys.executable, "-c", code], preexec_fn=preexec, capture_output=True, text=True, **kwargs
    )
