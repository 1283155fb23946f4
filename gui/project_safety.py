"""The instance lock and the automatic backups that go with the project a window shows.

Both live exactly as long as the window shows that project: ``watch`` starts them for a newly
opened file project and ``release`` ends them on a project switch or on close, so a second
window that opens the project afterwards is not warned about a window that has moved on.

The lock is taken at once (the "open elsewhere" warning depends on it). The backup taken on
opening copies the whole file, which on a large project took longer than building the window,
so it waits until ``start_backups``: the window calls that once it has been painted.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from claimmark.core.backups import AutoBackup
from claimmark.core.instance_lock import InstanceLock
from claimmark.core.project import Project

#: Seconds of editing between two automatic backups.
BACKUP_INTERVAL = 600.0


class ProjectSafety(QObject):
    #: a sentence for the status bar; connect queued so it is not overwritten by "Saved"
    sig_backup_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock: InstanceLock | None = None
        self.backups: AutoBackup | None = None
        self._to_back_up: Project | None = None

    def watch(self, project: Project) -> bool:
        """Lock ``project`` and plan its backups; False when another claimmark instance has
        it open."""
        self.release()
        if project.path is None:
            return True
        self.lock = InstanceLock(project.path)
        alone = self.lock.acquire()
        self._to_back_up = project
        return alone

    def start_backups(self) -> None:
        """Take the opening backup and back up after edits from now on (once per project)."""
        project, self._to_back_up = self._to_back_up, None
        if project is not None:
            # A failed backup (no backup folder, full disk) is reported; annotating goes on.
            self.backups = AutoBackup(
                project, interval=BACKUP_INTERVAL, on_failure=self._report, background=True
            )

    def release(self) -> None:
        self._to_back_up = None
        if self.backups is not None:
            self.backups.stop()
            self.backups = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _report(self, exc: Exception) -> None:
        self.sig_backup_failed.emit(f"Automatic backup failed: {exc}")
