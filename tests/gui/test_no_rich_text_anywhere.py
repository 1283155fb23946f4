"""Issue 14 defect 7: no surface of the app renders text that came from a file or a person.

One project holds HTML in every field a user or a file controls — document id, title, text, a
span's note, a label's display name and an annotator's name — and the test opens the window,
the document list, span table, layers panel (the other annotator's layer shown), history
panel, agreement window, adjudication window, note dialog, article hover and message boxes.
It then walks every widget and every model cell: a label showing the markup must be plain
text, a rich-text editor must hold no real image, and every tooltip must be escaped (Qt would
show the tag, not obey it).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
)

from claimmark.core.model import Label
from claimmark.core.project import NewDocument, NewSpan, Project
from claimmark.core.project_rules import annotator_name_problem
from claimmark.gui.note_dialog import NoteDialog

from .helpers import MessageBoxes, article, point_of

TAG = '<img src="/nonexistent.png"><b>x</b>'
ANNOTATOR = f"ann{TAG}"
DOC_ID = f"doc{TAG}"
TITLE = f"title{TAG}"
TEXT = f"Rebels said {TAG} the helicopter was downed."
NOTE = f"note{TAG}"
LABEL_NAME = f"label{TAG}"
TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
ROLES = (int(Qt.ItemDataRole.DisplayRole), TOOLTIP_ROLE)


def _rendered_as_markup(tip: str) -> bool:
    """True when Qt would obey the tag in ``tip`` instead of showing it."""
    return "<img" in tip or "<b>x</b>" in tip


def _build(path) -> None:
    assert annotator_name_problem(ANNOTATOR) is None  # names may hold "<": covered below
    with Project.open(path, created_by="setup") as project:
        project.add_label(Label("hostile", LABEL_NAME, "#aa0000", "9"), annotator="setup")
        start = TEXT.index(TAG)
        spans = [
            NewSpan(start, start + len(TAG), "hostile", annotator=ANNOTATOR, note=NOTE),
            NewSpan(0, 6, "claim", annotator=ANNOTATOR),
            NewSpan(0, 6, "hostile", annotator="bob", note=NOTE),
        ]
        project.import_document(NewDocument(TEXT, TITLE, id=DOC_ID, spans=spans), annotator="setup")


def _cells(model):
    """Every cell of a table or list model (the app has no trees)."""
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for row in range(min(model.rowCount(root), 200)):
        for column in range(columns):
            yield model.index(row, column)


def _check_everything(shown: list[str]) -> None:
    """Walk every widget alive: what shows the markup shows it as text. ``shown`` collects
    every string that reached the screen (tooltips unescaped), to prove each field did."""
    for widget in QApplication.allWidgets():
        tip = widget.toolTip()
        assert not _rendered_as_markup(tip), (type(widget).__name__, tip)
        shown.append(html.unescape(tip))
        if isinstance(widget, QAbstractButton):
            shown.append(widget.text())  # buttons never interpret markup
        if isinstance(widget, QPlainTextEdit):
            shown.append(widget.toPlainText())  # a plain-text editor: no markup at all
        if isinstance(widget, QLabel) and "<b>x</b>" in widget.text():
            shown.append(widget.text())
            assert widget.textFormat() == Qt.TextFormat.PlainText, widget.text()
        if isinstance(widget, QTextEdit):
            assert "<img" not in widget.toHtml(), type(widget).__name__
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for index in _cells(model):
                for role in ROLES:
                    value = model.data(index, role)
                    if not isinstance(value, str):
                        continue
                    if role == TOOLTIP_ROLE:
                        assert not _rendered_as_markup(value), value
                        shown.append(html.unescape(value))
                    else:
                        shown.append(value)  # item views draw DisplayRole as plain text


def test_html_in_every_field_is_never_rendered(qtbot, tmp_path, monkeypatch):
    from claimmark.gui.main_window import MainWindow

    path = tmp_path / "hostile.claimmark"
    _build(path)
    boxes = MessageBoxes(monkeypatch)
    tips: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", staticmethod(lambda pos, tip, *a: tips.append(tip)))
    project = Project.open(path, created_by=ANNOTATOR)
    try:
        window = MainWindow(project, annotator=ANNOTATOR)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        desk = window.desk
        desk.open_document(DOC_ID)
        desk.show_layers(["bob"])
        qtbot.wait(50)
        window.history_action.trigger()
        window.show_agreement()
        qtbot.waitUntil(lambda: window._agreement.result is not None, timeout=10_000)
        adjudication = window.show_adjudication()  # candidates: who proposed, text, title
        assert adjudication.model.rowCount() == 3

        # Hover over the hostile span: its label name and the other layer's owner in a tooltip.
        viewport = article(window).viewport()
        pos = point_of(window, TEXT.index(TAG) + 2)
        QApplication.sendEvent(
            viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
        )
        pos = point_of(window, 2)
        QApplication.sendEvent(
            viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
        )
        assert len(tips) == 2
        assert all(not _rendered_as_markup(tip) for tip in tips), tips
        assert any(html.escape(LABEL_NAME, quote=False) in tip for tip in tips), tips
        assert any("bob [" in tip for tip in tips), tips

        # The note dialog on the hostile span, checked while it is open.
        in_dialog: list[int] = []

        def inspect(dialog) -> int:
            labels = [w for w in dialog.findChildren(QLabel) if "<b>x</b>" in w.text()]
            in_dialog.append(len(labels))
            for label in labels:
                assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
            return QDialog.DialogCode.Rejected

        monkeypatch.setattr(NoteDialog, "exec", inspect)
        desk.select_span(
            next(
                s.id for s in project.spans(DOC_ID, annotators=[ANNOTATOR]) if s.label == "hostile"
            )
        )
        desk.edit_current_note()
        assert in_dialog and in_dialog[0] >= 1

        shown: list[str] = []
        _check_everything(shown)
        # Every field reached at least one surface, so each was checked somewhere.
        for field in (ANNOTATOR, DOC_ID, TITLE, TEXT, NOTE, LABEL_NAME):
            assert any(field in text for text in shown), field
        for box in boxes.shown:
            assert box["plain"], box
    finally:
        project.close()
