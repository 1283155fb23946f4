"""The history panel: who changed what and when, for the current span and its document."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QLabel

from claimmark.core.history import describe_event
from claimmark.core.model import Event
from claimmark.gui.history_panel import HistoryModel
from claimmark.gui.main_window import MainWindow
from tests.gui.conftest import HTML_TITLE, reopen
from tests.gui.helpers import article, open_doc, put_cursor, select_with_keys

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def show_history(qtbot, window):
    qtbot.keyClick(article(window), Qt.Key.Key_H, CTRL)
    assert window.history.isVisible()
    return window.history


def rows(section):
    """The section's rows once the panel has shown what happened (it follows a moment later)."""
    panel = section.parentWidget()
    for _ in range(500):
        if not panel.has_pending():
            break
        QTest.qWait(5)
    assert not panel.has_pending()
    return section.model.rows()


def test_label_relabel_resize_show_in_order_with_who_and_local_time(qtbot, window, project_path):
    history = show_history(qtbot, window)
    assert window.findChild(QLabel, "spanHistoryHeading").text().startswith("Span: none")
    text = window.desk.document.text
    start = text.index("they shot down")
    select_with_keys(qtbot, window, start, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_1)  # claim "they"
    qtbot.keyClick(article(window), Qt.Key.Key_2)  # no selection: relabel to denial
    qtbot.keyClick(article(window), Qt.Key.Key_Right, ALT)  # grow the end by a word

    span_rows = rows(history.span_section)
    assert [what.split(" ")[0] for _, _, what in span_rows] == ["created", "relabelled", "resized"]
    assert {who for _, who, _ in span_rows} == {"tester"}
    assert span_rows[1][2] == "relabelled span claim -> denial 'they'"
    assert span_rows[2][2].endswith(f"-> {start}-{start + 9} 'they shot'")
    # Local wall-clock time of what the file records, to the second.
    with reopen(project_path) as other:
        stored = other.events(document_id=window.ids["sample"])
    expected = datetime.fromisoformat(stored[-1].at).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert span_rows[2][0] == expected
    heading = window.findChild(QLabel, "spanHistoryHeading").text()
    assert heading == "Span: denial “they shot”"

    document_rows = rows(history.document_section)
    assert [r[2].split(" ")[0] for r in document_rows] == [
        "imported",
        "created",
        "document",  # the first span marks the document in progress
        "relabelled",
        "resized",
    ]
    assert len(document_rows) == len(stored)


def test_follows_document_and_span_switches_and_other_annotators(qtbot, window, monkeypatch):
    history = show_history(qtbot, window)
    text = window.desk.document.text
    first = text.index("Russian helicopter")
    select_with_keys(qtbot, window, first, 7)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    put_cursor(window, 0)  # away from the span: no current span
    assert rows(history.span_section) == []
    assert len(rows(history.document_section)) == 3  # imported, created, in progress

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("maria", True)))
    window.change_annotator()
    select_with_keys(qtbot, window, 0, 3)
    qtbot.keyClick(article(window), Qt.Key.Key_4)
    whos = [who for _, who, _ in rows(history.document_section)]
    assert whos[-3:] == ["tester", "maria", "maria"]  # maria's span, her document status
    assert [who for _, who, _ in rows(history.span_section)] == ["maria"]

    open_doc(qtbot, window, "html")
    assert [r[2].split(" ")[0] for r in rows(history.document_section)] == ["imported"]
    heading = window.findChild(QLabel, "documentHistoryHeading")
    assert heading.textFormat() == Qt.TextFormat.PlainText
    assert heading.text() == f"Document: {HTML_TITLE}"
    assert rows(history.span_section) == []


def test_status_changes_and_undo_appear_too(qtbot, window):
    history = show_history(qtbot, window)
    select_with_keys(qtbot, window, 0, 3)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(article(window), Qt.Key.Key_Return, CTRL)
    whats = [r[2] for r in rows(history.document_section)]
    assert whats[-5].startswith("created span")
    assert "status not started -> in_progress" in whats[-4]
    # The undo reverts both, as one step and in reverse order, and says it was an undo.
    assert "status in_progress -> not started" in whats[-3] and "(undo or redo)" in whats[-3]
    assert whats[-2].startswith("deleted span") and "(undo or redo)" in whats[-2]
    assert "status not started -> done" in whats[-1]


def test_hidden_panel_catches_up_when_shown(qtbot, window):
    history = window.history
    assert not history.isVisible()
    select_with_keys(qtbot, window, 0, 3)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    assert rows(history.document_section) == []  # nothing queried while hidden
    show_history(qtbot, window)
    assert [r[2].split(" ")[0] for r in rows(history.span_section)] == ["created"]
    window.close()  # the panel's visibility is remembered with the window's state
    again = MainWindow(window.project, annotator="tester")
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    assert again.history.isVisible()
    assert [r[2].split(" ")[0] for r in rows(again.history.span_section)] == []
    qtbot.keyClick(article(again), Qt.Key.Key_H, CTRL)
    assert not again.history.isVisible()


def test_history_model(qtmodeltester):
    model = HistoryModel()
    span = {"label": "claim", "start": 0, "end": 3, "text": "<b>x\ny", "note": None}
    events = [
        Event(
            1,
            "2024-03-01T10:00:00.000000Z",
            "ann",
            "span_created",
            "d",
            "h",
            "s",
            None,
            span,
            "0.1",
            "0",
            "1",
        ),
        Event(
            2,
            "2024-03-01T10:00:01.000000Z",
            "bob",
            "span_deleted",
            "d",
            "h",
            "s",
            span,
            None,
            "0.1",
            "1",
            "2",
        ),
    ]
    model.set_events(events)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    what = model.index(0, 2).data()
    assert what == "created span claim 0-3 '<b>x\\ny'"  # the panel is per document: no id
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole).startswith("<qt>")
    assert "&lt;b&gt;" in model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)


def test_labelling_appends_to_the_history_without_reading_it_again(qtbot, window, project_path):
    history = show_history(qtbot, window)
    reads = history.reads
    before = len(rows(history.document_section))
    text = window.desk.document.text
    for needle, key in (("TASS", Qt.Key.Key_1), ("Palmyra", Qt.Key.Key_2)):
        select_with_keys(qtbot, window, text.index(needle), len(needle))
        qtbot.keyClick(article(window), key)
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL)  # undo arrives the same way
    document_rows = rows(history.document_section)
    assert [what.split(" ")[0] for _, _, what in document_rows[before:]] == [
        "created",
        "document",  # the first span marks the document in progress
        "created",
        "deleted",
    ]
    assert history.reads == reads  # followed event by event, never re-read
    # A change written by another connection shows up too, without reopening.
    with reopen(project_path) as other:
        start = text.index("Hama")
        other.add_span(window.ids["sample"], "claim", start, start + 4, annotator="bob")
    qtbot.waitUntil(lambda: len(rows(history.document_section)) > len(document_rows))
    assert rows(history.document_section)[-1][1] == "bob"
    with reopen(project_path) as other:
        stored = other.events(document_id=window.ids["sample"])
    shown = [what for _, _, what in rows(history.document_section)]
    assert shown == [describe_event(e, with_document=False) for e in stored][-len(shown) :]
