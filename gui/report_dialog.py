"""A scrollable, plain-text report (what an import or an export did), left open to be read.

Import and export summaries name files and quote their contents ("bad.jsonl:3: ..."), so they
go into a read-only ``QPlainTextEdit``: never interpreted as HTML, selectable with mouse and
keyboard for copying into a bug report, and scrollable when a thousand files had problems. The
dialog is window-modal but opened with ``open()``, so the caller (and a test) goes on at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class ReportDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.headline = QLabel(self)
        self.headline.setObjectName("reportHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("reportText")
        self.body.setReadOnly(True)
        # Read-only keeps only mouse selection; keyboard users copy too.
        self.body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # one problem, one line
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.body, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def show_report(self, title: str, headline: str, text: str) -> None:
        self.setWindowTitle(title)
        self.headline.setText(headline)
        self.body.setPlainText(text)
        self.open()

    def text(self) -> str:
        return self.body.toPlainText()
