"""A QUndoCommand adapter over core changes, so menus and shortcuts get Qt's undo stack.

A command holds only the core ``Change`` values and a function that reverts one; the change
itself is always made (and committed) before the command is pushed, so the first ``redo`` that
QUndoStack.push calls does nothing. Reverting returns a new change, which is itself what the
next undo or redo reverts, so a span keeps its id through any number of round trips.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from claimmark.core.model import Change

DESCRIPTIONS = {
    "span_created": "Add span",
    "span_deleted": "Delete span",
    "span_relabelled": "Change label",
    "span_resized": "Resize span",
    "span_noted": "Edit note",
    "span_updated": "Edit span",
    "status_changed": "Change document status",
}


class ChangeCommand(QUndoCommand):
    def __init__(self, change: Change, revert: Callable[[Change], Change | None]) -> None:
        super().__init__(DESCRIPTIONS.get(change.kind, change.kind.replace("_", " ")))
        self._to_undo: Change | None = change
        self._to_redo: Change | None = None
        self._revert = revert
        self._pushed = False

    def undo(self) -> None:
        assert self._to_undo is not None
        self._to_redo = self._revert(self._to_undo)
        if self._to_redo is None:
            self.setObsolete(True)  # the database refused; drop the command, keep the stack sane

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # already done by the caller before the push
            return
        assert self._to_redo is not None
        self._to_undo = self._revert(self._to_redo)
        if self._to_undo is None:
            self.setObsolete(True)
