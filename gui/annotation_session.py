"""The one path from the GUI to the project's write operations.

Every write goes through ``perform``: it calls the core operation (which commits before it
returns), pushes an undo command carrying the resulting ``Change``, lets ``updates`` hand the
committed events to every view, and only then announces the change (which span became
current), so nothing downstream ("Saved" in the status bar, a repainted highlight) can run
ahead of the database. A ``ClaimmarkError`` becomes ``sig_error`` with the message meant for
the user; a ``ProjectWriteError`` (full disk, read-only file) also becomes ``sig_write_failed``,
since "not saved" must be acknowledged, not just glimpsed in the status bar. Core rolled such a
write back whole, so nothing in the view changes: the failed change is simply never announced.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from claimmark.core.model import Change, ClaimmarkError, ProjectWriteError
from claimmark.core.project import Project

from .project_updates import ProjectUpdates
from .undo_commands import ChangeCommand

#: Said instead of "no span with id …" when the span was deleted by someone else meanwhile.
SPAN_DELETED_ELSEWHERE = "this span was deleted in another window"


class AnnotationSession(QObject):
    sig_change_applied = Signal(object)
    sig_error = Signal(str)
    sig_write_failed = Signal(str)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        #: every view hears of every committed change here, own or not
        self.updates = ProjectUpdates(project, self)

    def set_project(self, project: Project) -> None:
        self.undo_stack.clear()
        self.project = project
        self.updates.set_project(project)

    @property
    def annotator(self) -> str:
        """Who is at the keyboard: the layer this window edits."""
        return self.project.annotator

    def perform(self, operation: Callable[[], Change]) -> Change | None:
        try:
            change = operation()
        except ClaimmarkError as exc:
            self._report(str(exc), exc)
            return None
        if change.kind != "span_unchanged":
            self.undo_stack.push(ChangeCommand(change, self._revert))
            self.updates.catch_up()
            self.sig_change_applied.emit(change)
        return change

    def _revert(self, change: Change) -> Change | None:
        try:
            result = self.project.revert(change)
        except ClaimmarkError as exc:
            self.updates.catch_up()  # whatever changed elsewhere, the views show it now
            reason = SPAN_DELETED_ELSEWHERE if self._deleted_elsewhere(change, exc) else str(exc)
            self._report(f"Cannot undo or redo: {reason}", exc)
            return None
        self.updates.catch_up()
        self.sig_change_applied.emit(result)
        return result

    def _deleted_elsewhere(self, change: Change, exc: ClaimmarkError) -> bool:
        """The span this undo or redo needs is gone: another window or process deleted it."""
        if change.after is None or isinstance(exc, ProjectWriteError):
            return False
        try:
            self.project.span(change.after.id)
        except ClaimmarkError:
            return True
        return False

    def _report(self, message: str, exc: ClaimmarkError) -> None:
        self.sig_error.emit(message)
        if isinstance(exc, ProjectWriteError):
            self.sig_write_failed.emit(message)

    def set_annotator(self, name: str) -> None:
        """Switch who annotates; undo history stays, since every change records its annotator."""
        self.project.annotator = name
