"""The one path by which every committed change reaches the window's views.

Own edits, undo and redo, imports, label changes, and changes another window or a CLI command
committed to the same file all arrive the same way: as the audit events committed since the views
last looked (core's ``EventFeed``), announced by ``sig_events_arrived``. The session asks for them
right after each of its own writes; a timer asks ``PRAGMA data_version`` twice a second (and the
window asks when it regains focus) whether anyone else wrote, and only then reads.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from claimmark.core.event_feed import EventFeed
from claimmark.core.model import ClaimmarkError
from claimmark.core.project import Project

#: How often another process's writes are looked for: "within a second".
POLL_MS = 500


class ProjectUpdates(QObject):
    #: a list of ``Event``s, oldest first, committed since the previous announcement
    sig_events_arrived = Signal(object)
    #: too much changed at once (a large import): views re-read the project
    sig_reload_requested = Signal()

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._feed = EventFeed(project)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.check_elsewhere)
        self._timer.start()

    def set_project(self, project: Project) -> None:
        """Another project file is shown: follow its events from now on."""
        self._feed = EventFeed(project)

    def catch_up(self) -> None:
        """Announce whatever was committed since the last announcement (nothing: no signal)."""
        try:
            batch = self._feed.take()
        except ClaimmarkError:
            return  # closing, or kept busy by another process: the next look will tell
        if batch.overflow:
            self.sig_reload_requested.emit()
        elif batch.events:
            self.sig_events_arrived.emit(batch.events)

    def check_elsewhere(self) -> None:
        """Catch up if another connection committed since the last check."""
        try:
            written = self._feed.written_elsewhere()
        except ClaimmarkError:
            return
        if written:
            self.catch_up()
