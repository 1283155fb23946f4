"""Running a program for which file permissions hold, even when the tests run as root.

Tests run as root (in CI too), and root writes into a ``chmod 444`` file or a ``chmod 555``
folder. Dropping the capabilities that override permissions from the bounding set takes them from
the program exec'd next; it stays root, so it can still run the interpreter under /root.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

_PR_CAPBSET_DROP = 24
_OVERRIDES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def without_root_powers() -> None:
    """``preexec_fn``: a root child obeys permissions like every user's process."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _OVERRIDES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop root's permission override")


def run_python(*args: str) -> str:
    """``python ARGS`` without root's powers; exit code, output and errors as one text."""
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        preexec_fn=without_root_powers,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return f"exit {done.returncode}\n{done.stdout}{done.stderr}"
