"""The note on a span: a plain-text box that wraps long lines and takes Ctrl+Enter to confirm.

``QInputDialog.getMultiLineText`` neither wraps (a long note scrolls sideways) nor confirms
from the keyboard (Enter is a new line there, so Ctrl+Enter is what people try), and its label
guesses rich text. This dialog shows the span's text and the note exactly as written.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from .plain_text import one_line


class _NoteEdit(QPlainTextEdit):
    """Plain text only: pasted HTML arrives as its source text, never as formatting."""

    #: Ctrl+Enter: the editor would take it as a line break, so it asks the dialog to confirm
    sig_confirm_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.accept()
            self.sig_confirm_requested.emit()
            return
        super().keyPressEvent(event)


class NoteDialog(QDialog):
    def __init__(
        self,
        span_text: str,
        note: str,
        parent: QWidget | None = None,
        *,
        title: str = "Note",
        prompt: str = "Note on",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        label = QLabel(f"{prompt} “{one_line(span_text, 60)}”:", self)
        label.setTextFormat(Qt.TextFormat.PlainText)  # the span's text may hold markup
        label.setWordWrap(True)
        self.editor = _NoteEdit(self)
        self.editor.setObjectName("noteEdit")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setTabChangesFocus(True)
        self.editor.setPlainText(note)
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        label.setBuddy(self.editor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setToolTip("Ctrl+Enter")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.editor.sig_confirm_requested.connect(self.accept)
        hint = QLabel(f"Ctrl+Enter saves the {title.lower()}; Esc leaves it as it was.", self)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(480, 260)

    def note(self) -> str:
        return self.editor.toPlainText()


def ask_note(parent: QWidget, span_text: str, note: str) -> tuple[str, bool]:
    """The edited note and whether it was confirmed (as ``QInputDialog`` answers)."""
    dialog = NoteDialog(span_text, note, parent)
    try:
        confirmed = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.note(), confirmed
    finally:
        dialog.deleteLater()
