"""Wrong input given through the GUI: each is said plainly, and the project file is unchanged.

"Unchanged" is checked on the file itself, dumped through a second, read-only connection before
and after (every event, span, label and status), not on what the window shows.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog

from claimmark.gui.import_dialog import ImportDialog
from tests.gui.helpers import (
    MessageBoxes,
    article,
    file_state,
    put_cursor,
    select_with_keys,
    stored_spans,
)

LEFT = Qt.MouseButton.LeftButton
ALT = Qt.KeyboardModifier.AltModifier


def status(window) -> str:
    return window.statusBar().currentMessage()


def test_hotkey_with_nothing_selected(qtbot, window, project_path):
    before = file_state(project_path)
    put_cursor(window, 5)  # no span anywhere: nothing to relabel either
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    assert status(window) == "Select some text first, or click a span to relabel it"
    assert file_state(project_path) == before


@pytest.mark.parametrize("modifier", [Qt.KeyboardModifier.NoModifier, ALT], ids=["snap", "exact"])
def test_hotkey_with_only_whitespace_selected(qtbot, window, project_path, modifier):
    text = window.desk.document.text
    gap = text.index("  ") if "  " in text else text.index(" ")
    before = file_state(project_path)
    select_with_keys(qtbot, window, gap, 1)
    assert text[slice(*article(window).selected_range())].isspace()
    qtbot.keyClick(article(window), Qt.Key.Key_1, modifier)
    assert status(window) == "Only whitespace is selected"
    assert file_state(project_path) == before


def test_note_with_a_nul_character(qtbot, window, project_path, monkeypatch):
    select_with_keys(qtbot, window, 0, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    [span] = stored_spans(project_path, window.ids["sample"])
    before = file_state(project_path)
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: ("bad\x00note", True))
    )
    qtbot.keyClick(article(window), Qt.Key.Key_F2)
    assert status(window) == "note not saved: it contains a NUL character at position 3"
    assert file_state(project_path) == before
    assert window.project.span(span.id).note is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "An annotator name cannot be empty; still annotating as tester"),
        ("   ", "An annotator name cannot be empty; still annotating as tester"),
        (
            "ann\nother",
            "That annotator name cannot be used: it holds control characters such as a line"
            " break; still annotating as tester",
        ),
        (
            "tab\tbed",
            "That annotator name cannot be used: it holds control characters such as a line"
            " break; still annotating as tester",
        ),
    ],
    ids=["empty", "blank", "newline", "tab"],
)
def test_annotator_name_refused(qtbot, window, project_path, monkeypatch, typed, message):
    before = file_state(project_path)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (typed, True)))
    window.annotator_action.trigger()
    assert status(window) == message
    assert window.project.annotator == "tester"
    assert window._annotator_label.text() == "Annotator: tester"
    select_with_keys(qtbot, window, 0, 4)  # and spans are still made as tester
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    [span] = stored_spans(project_path, window.ids["sample"])
    assert span.annotator == "tester"
    assert before != file_state(project_path)  # (the check sees a real change)


def test_label_hotkey_on_a_read_only_file(qtbot, window, project, project_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)
    before = file_state(project_path)
    project._conn.execute("PRAGMA query_only = ON")
    select_with_keys(qtbot, window, 0, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    [box] = boxes.shown
    assert box["plain"] and box["modal"] and box["title"] == "Not saved"
    assert "read-only" in box["text"]
    assert status(window) == box["text"]
    assert file_state(project_path) == before
    assert window.desk.span_model.rowCount() == 0


def test_delete_with_no_span_selected(qtbot, window, project_path):
    before = file_state(project_path)
    put_cursor(window, 5)
    qtbot.keyClick(article(window), Qt.Key.Key_Delete)
    assert status(window) == "Click a span first"
    assert file_state(project_path) == before


def test_importing_a_binary_file(qtbot, window, project_path, monkeypatch, tmp_path):
    binary = tmp_path / "scan.txt"  # named like an article, but it is an image
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    before = file_state(project_path)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(binary)], ""))
    )
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog, "importDialog")
    qtbot.mouseClick(dialog.add_files_button, LEFT)
    qtbot.mouseClick(dialog.import_button, LEFT)
    headline = "Imported 0 document(s), skipped 0 already present, refused 1 file(s)."
    assert status(window) == headline
    report = window.report_dialog
    assert report.isVisible() and report.headline.text() == headline
    assert f"{binary}: looks like a binary file (it contains a NUL byte at byte 8)" in (
        report.text()
    )
    assert file_state(project_path) == before
    assert window.desk.document_model.rowCount() == 3
