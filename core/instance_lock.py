"""Knowing that another claimmark window or process has the same project open.

SQLite already serialises writes (busy timeout, ``BEGIN IMMEDIATE``), so two instances cannot
corrupt a project; the lock only lets the second one tell its user that another is open, since
each window shows only the changes it made itself until it reloads.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


class InstanceLock:
    def __init__(self, project_path: Path):
        project_path = Path(project_path)
        self.path = project_path.with_name(f".{project_path.name}.claimmark-lock")
        self._lock = FileLock(self.path, timeout=0)
        self.acquired = False

    def acquire(self) -> bool:
        """True if this is the only instance; False if another one holds the project."""
        try:
            self._lock.acquire()
        except Timeout:
            return False
        except OSError:  # a read-only folder: nobody can tell, so do not cry wolf
            return True
        self.acquired = True
        return True

    def release(self) -> None:
        if self.acquired:
            self._lock.release()
            self.acquired = False
