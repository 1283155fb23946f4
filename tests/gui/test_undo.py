"""Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y over every kind of change, including across documents."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.helpers import NOTE_DIALOG, article, open_doc, select_with_keys, settle, stored_spans

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def label(qtbot, window, needle: str, key=Qt.Key.Key_1):
    start = window.desk.document.text.index(needle)
    select_with_keys(qtbot, window, start, len(needle))
    qtbot.keyClick(article(window), key)
    return window.desk.current_span


def undo(qtbot, window):
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL)


def texts(path, document_id):
    return [(s.label, s.text) for s in stored_spans(path, document_id)]


def test_undo_and_redo_an_added_span(qtbot, window, project_path):
    doc = window.ids["sample"]
    span = label(qtbot, window, "Islamic state")
    undo(qtbot, window)
    assert stored_spans(project_path, doc) == []
    assert window.desk.span_model.rowCount() == 0
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL | SHIFT)
    [again] = stored_spans(project_path, doc)
    assert (again.id, again.text) == (span.id, "Islamic state")
    undo(qtbot, window)
    qtbot.keyClick(article(window), Qt.Key.Key_Y, CTRL)  # the other redo key
    assert [s.id for s in stored_spans(project_path, doc)] == [span.id]
    assert window.statusBar().currentMessage() == "Saved"


def test_undo_relabel_resize_note_and_delete_in_reverse_order(
    qtbot, window, project_path, monkeypatch
):
    doc = window.ids["sample"]
    label(qtbot, window, "Islamic state")
    view = article(window)
    qtbot.keyClick(view, Qt.Key.Key_2)  # relabel
    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)  # grow end by a word
    monkeypatch.setattr(NOTE_DIALOG, lambda *a: ("n", True))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored_spans(project_path, doc) == []
    history = []
    for _ in range(4):
        undo(qtbot, window)
        [span] = stored_spans(project_path, doc)
        history.append((span.label, span.text, span.note))
    assert history == [
        ("denial", "Islamic state” declared", "n"),
        ("denial", "Islamic state” declared", None),
        ("denial", "Islamic state", None),
        ("claim", "Islamic state", None),
    ]
    undo(qtbot, window)
    assert stored_spans(project_path, doc) == []
    for _ in range(5):
        qtbot.keyClick(view, Qt.Key.Key_Y, CTRL)
    assert stored_spans(project_path, doc) == []  # the delete was redone too
    assert window.desk.span_model.rowCount() == 0


def test_undo_in_another_document_switches_to_it(qtbot, window, project_path):
    label(qtbot, window, "Islamic state")
    open_doc(qtbot, window, "unicode")
    assert window.desk.document.id == window.ids["unicode"]
    undo(qtbot, window)
    assert window.desk.document.id == window.ids["sample"]
    assert stored_spans(project_path, window.ids["sample"]) == []
    settle(qtbot)
    assert window.desk.span_model.rowCount() == 0
    open_doc(qtbot, window, "html")
    qtbot.keyClick(article(window), Qt.Key.Key_Y, CTRL)
    assert window.desk.document.id == window.ids["sample"]
    assert texts(project_path, window.ids["sample"]) == [("claim", "Islamic state")]
    qtbot.waitUntil(lambda: window.desk.span_model.rowCount() == 1)


def test_undo_a_status_change(qtbot, window, project_path):
    qtbot.keyClick(article(window), Qt.Key.Key_Return, CTRL)
    assert window.project.status(window.ids["sample"], "tester") == "done"
    undo(qtbot, window)
    assert window.project.status(window.ids["sample"], "tester") is None
    model = window.desk.document_model
    assert model.summary(window.ids["sample"]).status is None


def test_highlight_follows_undo(qtbot, window):
    span = label(qtbot, window, "Islamic state")
    highlighter = article(window).highlighter
    assert highlighter.labels_at(span.start) == ("claim",)
    undo(qtbot, window)
    assert highlighter.labels_at(span.start) == ()
    block = article(window).document().findBlock(article(window).offsets.to_qt(span.start))
    assert highlighter.block_segments(block) == []


def test_a_redo_the_database_refuses_is_reported_and_dropped(qtbot, window, project_path):
    span = label(qtbot, window, "Islamic state")
    undo(qtbot, window)
    with window.project.__class__.open(project_path, created_by="tester") as other:
        other.add_span(
            window.ids["sample"], "claim", span.start, span.end, annotator="tester"
        )  # same span, elsewhere
    qtbot.keyClick(article(window), Qt.Key.Key_Y, CTRL)
    assert "Cannot undo or redo" in window.statusBar().currentMessage()
    assert "already exists" in window.statusBar().currentMessage()
    assert len(stored_spans(project_path, window.ids["sample"])) == 1
    assert not window.session.history.can_redo
    # The refused redo brings the window up to date: the span written elsewhere shows.
    assert [row[3] for row in window.desk.span_rows()] == [
        s.id for s in stored_spans(project_path, window.ids["sample"])
    ]
    assert window.desk.span_model.rowCount() == 1
