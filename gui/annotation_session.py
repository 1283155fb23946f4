"""The one path from the GUI to the project's write operations, and who is at the keyboard.

The session owns the current annotator: every operation the desk asks for names them, so every
span and status it writes is in their layer and every event names them. Every write goes through
``perform``: it calls the core operation (which commits before it returns), records the
resulting ``ChangeSet`` in that annotator's own undo history, lets ``updates`` hand the
committed events to every view, and only then announces the change (which span became
current), so nothing downstream ("Saved" in the status bar, a repainted highlight) can run ahead
of the database. Each annotator keeps their own undo history (rebuilt from the event log the
first time, so undo survives a restart): after *Change annotator…* Ctrl+Z undoes only the new
annotator's changes. A ``ClaimmarkError`` becomes ``sig_error`` with the message meant for the
user; a ``ProjectWriteError`` (full disk, read-only file) also becomes ``sig_write_failed``,
since "not saved" must be acknowledged, not just glimpsed in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from claimmark.core.changes import ChangeSet
from claimmark.core.model import ClaimmarkError, ProjectWriteError
from claimmark.core.project import Project
from claimmark.core.undo_history import UndoHistory

from .project_updates import ProjectUpdates

#: Said instead of "no span with id …" when the span was deleted by someone else meanwhile.
SPAN_DELETED_ELSEWHERE = "this span was deleted in another window"


class AnnotationSession(QObject):
    sig_change_applied = Signal(object)
    sig_error = Signal(str)
    sig_write_failed = Signal(str)
    #: The undo history (or whose it is) changed: menus re-read captions and enabled state.
    sig_history_changed = Signal()

    def __init__(self, project: Project, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        #: Who is at the keyboard: the layer this window edits.
        self.annotator = annotator
        self._histories: dict[str, UndoHistory] = {}
        #: every view hears of every committed change here, own or not
        self.updates = ProjectUpdates(project, self)

    def set_project(self, project: Project) -> None:
        """Another project file: histories belong to the file they were made in."""
        self.project = project
        self._histories.clear()
        self.updates.set_project(project)
        self.sig_history_changed.emit()

    @property
    def history(self) -> UndoHistory:
        """The current annotator's undo history (rebuilt from the event log on first use)."""
        history = self._histories.get(self.annotator)
        if history is None:
            history = UndoHistory.rebuild(self.project, self.annotator)
            self._histories[self.annotator] = history
        return history

    def perform(self, operation: Callable[[], ChangeSet]) -> ChangeSet | None:
        try:
            changes = operation()
        except ClaimmarkError as exc:
            self._report(str(exc), exc)
            return None
        if changes:
            self.history.record(changes)
            self.sig_history_changed.emit()
            self.updates.catch_up()
            self.sig_change_applied.emit(changes)
        return changes

    def undo(self) -> ChangeSet | None:
        return self._step(self.history.undo) if self.history.can_undo else None

    def redo(self) -> ChangeSet | None:
        return self._step(self.history.redo) if self.history.can_redo else None

    def _step(self, step: Callable[[Project], ChangeSet]) -> ChangeSet | None:
        try:
            changes = step(self.project)
        except ClaimmarkError as exc:
            self.updates.catch_up()  # whatever changed elsewhere, the views show it now
            reason = SPAN_DELETED_ELSEWHERE if self._deleted_elsewhere(exc) else str(exc)
            self._report(f"Cannot undo or redo: {reason}", exc)
            self.sig_history_changed.emit()
            return None
        self.sig_history_changed.emit()
        self.updates.catch_up()
        self.sig_change_applied.emit(changes)
        return changes

    @staticmethod
    def _deleted_elsewhere(exc: ClaimmarkError) -> bool:
        """The span this undo or redo needs is gone: another window or process deleted it."""
        return not isinstance(exc, ProjectWriteError) and str(exc).startswith("no span with id")

    def _report(self, message: str, exc: ClaimmarkError) -> None:
        self.sig_error.emit(message)
        if isinstance(exc, ProjectWriteError):
            self.sig_write_failed.emit(message)

    def set_annotator(self, name: str) -> None:
        """Switch who is at the keyboard; each annotator's undo history stays their own."""
        self.annotator = name
        self.sig_history_changed.emit()
