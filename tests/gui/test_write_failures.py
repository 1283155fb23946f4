"""A full disk or a read-only file while annotating: said plainly, nothing phantom, then it works.

The faults are real: SQLite itself refuses the write through the project's own connection
(``max_page_count`` pinned to the current size behaves as a full disk, ``query_only`` as a
read-only file).
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from claimmark.core.model import shown_span
from tests.gui.helpers import NOTE_DIALOG, MessageBoxes, article, select_with_keys, stored_spans

UNLIMITED = 1073741823


def fill_disk(project) -> None:
    pages = project._conn.execute("PRAGMA page_count").fetchone()[0]
    project._conn.execute(f"PRAGMA max_page_count = {pages}")


def view_matches_file(window, project_path, document_id) -> None:
    """Span table, desk and highlight all show exactly what the file holds."""
    stored = stored_spans(project_path, document_id)
    rows = sorted(shown_span(s) for s in stored)
    assert window.desk.span_rows() == rows
    assert window.desk.spans() == sorted(stored, key=lambda s: (s.start, s.end))
    assert sorted(window.desk.span_model.spans()) == rows
    highlighter = article(window).highlighter
    text = window.desk.document.text
    covered = {i for s in stored for i in range(s.start, s.end)}
    for offset in range(len(text)):
        assert bool(highlighter.labels_at(offset)) == (offset in covered), offset


def test_read_only_label_is_refused_then_works(qtbot, window, project, project_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)
    document_id = window.ids["sample"]
    start = window.desk.document.text.index("they shot down")
    project._conn.execute("PRAGMA query_only = ON")
    events = project.event_count()

    select_with_keys(qtbot, window, start, 9)
    qtbot.keyClick(article(window), Qt.Key.Key_1)

    [box] = boxes.shown
    assert box["plain"] and box["modal"] and box["title"] == "Not saved"
    assert "read-only" in box["text"] and box["text"].endswith("Everything saved before is safe.")
    assert window.statusBar().currentMessage() == box["text"]
    assert stored_spans(project_path, document_id) == []
    assert project.event_count() == events
    assert window.desk.current_span is None
    assert window.desk.document_model.summaries()[0].span_count == 0
    view_matches_file(window, project_path, document_id)
    assert article(window).selected_range() == (start, start + 9)  # still there to try again

    project._conn.execute("PRAGMA query_only = OFF")
    with qtbot.waitSignal(window.desk.sig_saved):
        qtbot.keyClick(article(window), Qt.Key.Key_1)
    [span] = stored_spans(project_path, document_id)
    assert (span.label, span.text) == ("claim", "they shot")
    assert window.statusBar().currentMessage() == "Saved"
    view_matches_file(window, project_path, document_id)
    assert len(boxes.shown) == 1


def test_full_disk_long_note_is_refused_then_works(
    qtbot, window, project, project_path, monkeypatch
):
    boxes = MessageBoxes(monkeypatch)
    document_id = window.ids["sample"]
    select_with_keys(qtbot, window, 0, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    [span] = stored_spans(project_path, document_id)
    long_note = "a note longer than a database page, " * 400  # needs fresh pages
    monkeypatch.setattr(NOTE_DIALOG, lambda *a: (long_note, True))
    fill_disk(project)

    qtbot.keyClick(article(window), Qt.Key.Key_F2)
    [box] = boxes.shown
    assert "disk" in box["text"] and "is full" in box["text"] and box["plain"]
    assert window.statusBar().currentMessage() == box["text"]
    assert stored_spans(project_path, document_id) == [span]  # no note reached the file
    assert window.desk.current_span == span
    assert not window.desk.span_model.index(0, 3).data()  # no phantom note in the table
    view_matches_file(window, project_path, document_id)

    project._conn.execute(f"PRAGMA max_page_count = {UNLIMITED}")
    with qtbot.waitSignal(window.desk.sig_saved):
        qtbot.keyClick(article(window), Qt.Key.Key_F2)
    [noted] = stored_spans(project_path, document_id)
    assert noted.note == long_note.strip()
    assert window.desk.current_span == noted
    view_matches_file(window, project_path, document_id)
    assert len(boxes.shown) == 1


def test_failed_undo_says_so(qtbot, window, project, project_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)
    document_id = window.ids["sample"]
    select_with_keys(qtbot, window, 0, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    project._conn.execute("PRAGMA query_only = ON")
    qtbot.keyClick(article(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    [box] = boxes.shown
    assert box["text"].startswith("Cannot undo or redo: Not saved:")
    assert len(stored_spans(project_path, document_id)) == 1
    view_matches_file(window, project_path, document_id)
