"""Ctrl+F: find text in the open article without leaving the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QToolButton, QWidget


class FindBar(QWidget):
    sig_closed = Signal()

    def __init__(self, view: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._view = view
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("findEdit")
        self.edit.setPlaceholderText("Find in article (Enter: next, Shift+Enter: previous)")
        self.edit.returnPressed.connect(self.find_next)
        self._result = QLabel(self)
        self._result.setTextFormat(Qt.TextFormat.PlainText)
        previous = QToolButton(self)
        previous.setText("Previous")
        previous.clicked.connect(self.find_previous)
        following = QToolButton(self)
        following.setText("Next")
        following.clicked.connect(self.find_next)
        close = QToolButton(self)
        close.setText("Close")
        close.clicked.connect(self.close_bar)
        for widget in (self.edit, previous, following, self._result, close):
            layout.addWidget(widget)
        self.edit.installEventFilter(self)
        self.hide()

    def open_bar(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._view.setFocus()
        self.sig_closed.emit()

    def find_next(self) -> bool:
        return self._find(QTextDocument.FindFlag(0))

    def find_previous(self) -> bool:
        return self._find(QTextDocument.FindFlag.FindBackward)

    def _find(self, flags: QTextDocument.FindFlag) -> bool:
        needle = self.edit.text()
        if not needle:
            return False
        found = self._view.find(needle, flags)
        if not found:  # wrap around once
            cursor = self._view.textCursor()
            backward = bool(flags & QTextDocument.FindFlag.FindBackward)
            cursor.movePosition(
                cursor.MoveOperation.End if backward else cursor.MoveOperation.Start
            )
            self._view.setTextCursor(cursor)
            found = self._view.find(needle, flags)
        self._result.setText("" if found else "not found")
        return found

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.edit
            and isinstance(event, QKeyEvent)
            and event.type() == event.Type.KeyPress
        ):
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):
                self.find_previous()
                return True
        return super().eventFilter(watched, event)
