"""Issue 14 defect 7: text that came from a file is never rendered as rich text.

A span whose text holds ``<img src=...>`` and ``<b>`` opens the note dialog; every label in it
must be plain text (Qt's AutoText would load the image and draw the bold).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from claimmark.gui.note_dialog import NoteDialog

HOSTILE = '<img src="/dev/zero"><b>bold</b>'


def test_note_dialog_shows_html_span_text_as_plain_text(qtbot):
    dialog = NoteDialog(HOSTILE, HOSTILE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = dialog.findChildren(QLabel)
    assert any("<b>bold</b>" in label.text() for label in labels)
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    assert dialog.note() == HOSTILE
