"""Every bad input and fault in one table: what happens, and that nothing already stored is lost.

Files, JSON lines, SQLite files, write faults and edits go through the core API that the window
and the command line share; the GUI cases at the end act through the real window.

Each case starts from the same project (a document, a span, a status: things a user would hate to
lose), does one bad thing through claimmark's public entry points, and expects a clear error whose
message contains the given words. Afterwards the project must hold exactly what it held before.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QPlainTextEdit

from claimmark.core.importing import import_paths
from claimmark.core.model import ClaimmarkError, DamagedProjectError, Label, ProjectFileError
from claimmark.core.project import NewDocument, NewSpan, Project
from tests.gui.helpers import (
    NOTE_DIALOG,
    MessageBoxes,
    article,
    file_state,
    put_cursor,
    select_with_keys,
    stored_spans,
    wait_for_runner,
)

ARTICLE = "Officials said 12 civilians died.\r\nThe ministry denied it. 👨🏻‍🚒 مرحبا"


@dataclass(frozen=True)
class Case:
    area: str
    what: str
    act: Callable[[Project, Path], str]  # returns the user-visible message
    expected: tuple[str, ...]


def _state(path: Path) -> tuple:
    with Project.open(path, created_by="auditor") as project:
        return (
            [(d.id, d.title, d.length) for d in project.documents("auditor")],
            [(s.id, s.label, s.start, s.end, s.text, s.note) for s in project.spans()],
            [label.key for label in project.labels()],
            {d.id: project.statuses(d.id) for d in project.documents("auditor")},
            project.event_count(),
        )


# ---------------------------------------------------------------- acts
def _import_bytes(name: str, data: bytes, **options) -> Callable[[Project, Path], str]:
    def act(project: Project, tmp: Path) -> str:
        path = tmp / name
        path.write_bytes(data)
        summary = import_paths(project, [path], **options, annotator="auditor")
        assert not summary.ok and not summary.files[0].imported
        return "\n".join(str(p) for p in summary.files[0].problems)

    return act


def _jsonl(*objects, raw: str | None = None, **options) -> Callable[[Project, Path], str]:
    good = json.dumps({"text": "A good line that would import."})
    bad = raw if raw is not None else json.dumps(objects[0])
    return _import_bytes("in.jsonl", f"{good}\n{bad}\n".encode(), **options)


def _import_path(relative: str) -> Callable[[Project, Path], str]:
    def act(project: Project, tmp: Path) -> str:
        summary = import_paths(project, [tmp / relative], annotator="auditor")
        assert not summary.ok
        return str(summary.files[0].problems[0])

    return act


def _raises(operation: Callable[[Project], object], error=ClaimmarkError):
    def act(project: Project, tmp: Path) -> str:
        with pytest.raises(error) as caught:
            operation(project)
        return str(caught.value)

    return act


def _reopen_after(tamper: Callable[[Path], None], error=ProjectFileError):
    def act(project: Project, tmp: Path) -> str:
        project.close()
        copy = tmp / "copy.db"
        source = sqlite3.connect(tmp / "p.db")
        target = sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
        tamper(copy)
        before = copy.read_bytes()
        with pytest.raises(error) as caught:
            Project.open(copy, created_by="x")
        assert copy.read_bytes() == before, "a refused file must not be modified"
        return str(caught.value)

    return act


def _sql(*statements: str) -> Callable[[Path], None]:
    def tamper(path: Path) -> None:
        conn = sqlite3.connect(path)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()

    return tamper


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[2 * 4096 : 3 * 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))


def _disk_full(project: Project) -> None:
    pages = project._conn.execute("PRAGMA page_count").fetchone()[0]
    project._conn.execute(f"PRAGMA max_page_count = {pages}")
    try:
        project.add_span(
            _doc(project), "casualty_report", 15, 32, note="n" * 40_000, annotator="auditor"
        )
    finally:
        project._conn.execute("PRAGMA max_page_count = 1073741823")


def _read_only(project: Project) -> None:
    project._conn.execute("PRAGMA query_only = ON")
    try:
        project.set_status(_doc(project), "done", annotator="auditor")
    finally:
        project._conn.execute("PRAGMA query_only = OFF")


def _doc(project: Project) -> str:
    return project.documents("auditor")[0].id


def _first_span(project: Project) -> str:
    return project.spans()[0].id


CASES = [
    # files
    Case(
        "file",
        "invalid UTF-8",
        _import_bytes("a.txt", b"caf\xe9 au lait"),
        ("a.txt", "not valid UTF-8 at byte 3", "--encoding"),
    ),
    Case(
        "file",
        "binary file named .txt",
        _import_bytes("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("img.txt", "binary", "NUL"),
    ),
    Case("file", "empty document", _import_bytes("e.txt", b""), ("e.txt", "empty document")),
    Case(
        "file",
        "whitespace-only document",
        _import_bytes("w.txt", b" \r\n\t\n"),
        ("w.txt", "empty document"),
    ),
    Case(
        "file",
        "unsupported type",
        _import_bytes("r.docx", b"PK\x03\x04"),
        ("r.docx", "unsupported file type"),
    ),
    Case("file", "missing path", _import_path("nowhere.jsonl"), ("nowhere.jsonl", "no such file")),
    Case(
        "file",
        "unknown encoding",
        _import_bytes("a.txt", b"abc", encoding="klingon"),
        ("unknown encoding",),
    ),
    # JSON lines
    Case("json", "malformed JSON", _jsonl(raw='{"text": "x",'), ("in.jsonl:2", "invalid JSON")),
    Case(
        "json", "line is not an object", _jsonl(["text"]), ("in.jsonl:2", "expected a JSON object")
    ),
    Case(
        "json",
        "missing text",
        _jsonl({"title": "t"}),
        ("in.jsonl:2", "missing required key 'text'"),
    ),
    Case(
        "json", "text not a string", _jsonl({"text": 42}), ("in.jsonl:2", "'text' must be a string")
    ),
    Case(
        "json",
        "lone surrogate",
        _jsonl(raw='{"text": "bad \\ud800 escape"}'),
        ("in.jsonl:2", "lone surrogate"),
    ),
    Case(
        "json",
        "NUL in title",
        _jsonl({"text": "ok", "title": "a\u0000b"}),
        ("in.jsonl:2", "title", "NUL"),
    ),
    Case(
        "json",
        "span out of range",
        _jsonl({"text": "short", "spans": [{"start": 0, "end": 9, "label": "claim"}]}),
        ("in.jsonl:2", "outside the text"),
    ),
    Case(
        "json",
        "start >= end",
        _jsonl({"text": "short", "spans": [{"start": 3, "end": 3, "label": "claim"}]}),
        ("in.jsonl:2", "must be less than end"),
    ),
    Case(
        "json",
        "span text mismatch",
        _jsonl(
            {"text": "short", "spans": [{"start": 0, "end": 2, "label": "claim", "text": "sx"}]}
        ),
        ("in.jsonl:2", "does not match"),
    ),
    Case(
        "json",
        "float offsets",
        _jsonl({"text": "short", "spans": [{"start": 0.0, "end": 2, "label": "claim"}]}),
        ("in.jsonl:2", "must be an integer"),
    ),
    Case(
        "json",
        "NaN constant",
        _jsonl(raw='{"text": "x", "meta": {"n": NaN}}'),
        ("in.jsonl:2", "NaN"),
    ),
    Case(
        "json",
        "huge line",
        _jsonl({"text": "x" * 5000}, max_line_bytes=1000),
        ("in.jsonl:2", "longer than 1,000 bytes"),
    ),
    Case(
        "json",
        "sha256 does not match",
        _jsonl({"text": "x", "sha256": "0" * 64}),
        ("in.jsonl:2", "'sha256' does not match"),
    ),
    Case(
        "json",
        "id reused for other text",
        _jsonl({"text": "another text", "id": "doc-1"}),
        ("in.jsonl:2", "already used by another text"),
    ),
    # SQLite files
    Case(
        "sqlite",
        "not an SQLite file",
        _reopen_after(lambda p: p.write_text("hello " * 2000)),
        ("not a claimmark project",),
    ),
    Case(
        "sqlite",
        "someone else's database",
        _reopen_after(_sql("PRAGMA application_id = 0")),
        ("not a claimmark project",),
    ),
    Case(
        "sqlite",
        "newer schema",
        _reopen_after(_sql("PRAGMA user_version = 99")),
        ("newer claimmark",),
    ),
    Case(
        "sqlite",
        "planted trigger",
        _reopen_after(_sql("CREATE TRIGGER t AFTER INSERT ON spans BEGIN DELETE FROM labels; END")),
        ("trigger t", "not the one claimmark created"),
    ),
    Case("sqlite", "planted view", _reopen_after(_sql("CREATE VIEW v AS SELECT 1")), ("view v",)),
    Case(
        "sqlite",
        "dropped guard trigger",
        _reopen_after(_sql("DROP TRIGGER events_refuse_delete")),
        ("missing: trigger events_refuse_delete",),
    ),
    Case("sqlite", "damaged page", _reopen_after(_damage, DamagedProjectError), ("damaged",)),
    # faults and refused edits while annotating (the GUI shows these same messages)
    Case(
        "write",
        "disk full",
        _raises(_disk_full),
        ("disk", "is full", "Everything saved before is safe"),
    ),
    Case(
        "write",
        "read-only file",
        _raises(_read_only),
        ("read-only", "Everything saved before is safe"),
    ),
    Case(
        "edit",
        "duplicate span",
        _raises(lambda p: p.add_span(_doc(p), "claim", 0, 9, annotator="alice")),
        ("identical span",),
    ),
    Case(
        "edit",
        "unknown label",
        _raises(lambda p: p.add_span(_doc(p), "rumour", 0, 9, annotator="alice")),
        ("unknown label 'rumour'",),
    ),
    Case(
        "edit",
        "span past the end",
        _raises(lambda p: p.resize_span(_first_span(p), 0, 10_000, annotator="alice")),
        ("outside the document",),
    ),
    Case(
        "edit",
        "note with NUL",
        _raises(lambda p: p.set_note(_first_span(p), "a\x00b", annotator="alice")),
        ("note not saved", "NUL"),
    ),
    Case(
        "edit",
        "annotator with control characters",
        _raises(lambda p: p.set_status(_doc(p), "done", annotator="eve\n")),
        ("invalid annotator name",),
    ),
    Case(
        "edit",
        "label with a bad key",
        _raises(lambda p: p.add_label(Label("Bad Key", "Bad", "#123456"), annotator="auditor")),
        ("not allowed",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.area}: {c.what}" for c in CASES])
def test_fault_gives_clear_error_and_loses_nothing(case: Case, tmp_path):
    path = tmp_path / "p.db"
    with Project.open(path, created_by="alice") as project:
        doc, _ = project.import_document(
            NewDocument(text=ARTICLE, title="t", id="doc-1", spans=[NewSpan(0, 9, "claim")]),
            annotator="alice",
        )
        project.set_status(doc, "in_progress", annotator="alice")
    before = _state(path)
    project = Project.open(path, created_by="alice")
    try:
        message = case.act(project, tmp_path)
    finally:
        project.close()
    for words in case.expected:
        assert words in message, message
    assert _state(path) == before


# ---------------------------------------------------------------- GUI input
# The same promise for what a person does in the window (the ``window`` fixture, tests/gui/
# conftest.py): a plain message, and the file unchanged, dumped through a second read-only
# connection so that every event, span and status is compared.


def _status(window) -> str:
    return window.statusBar().currentMessage()


def _hotkey_with_nothing_selected(qtbot, window, monkeypatch, tmp_path) -> str:
    put_cursor(window, 5)  # no span there either, so nothing to relabel
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    return _status(window)


def _hotkey_on_whitespace(modifier):
    def act(qtbot, window, monkeypatch, tmp_path) -> str:
        text = window.desk.document.text
        select_with_keys(qtbot, window, text.index(" "), 1)
        assert text[slice(*article(window).selected_range())].isspace()
        qtbot.keyClick(article(window), Qt.Key.Key_1, modifier)
        return _status(window)

    return act


def _make_a_span(qtbot, window) -> None:
    select_with_keys(qtbot, window, 0, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_1)


def _note_with_nul(qtbot, window, monkeypatch, tmp_path) -> str:
    monkeypatch.setattr(NOTE_DIALOG, lambda *a: ("bad\x00note", True))
    qtbot.keyClick(article(window), Qt.Key.Key_F2)
    return _status(window)


def _annotator_named(typed: str):
    def act(qtbot, window, monkeypatch, tmp_path) -> str:
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (typed, True)))
        window.annotator_action.trigger()
        assert window.session.annotator == "tester"
        assert window._annotator_label.text() == "Annotator: tester"
        return _status(window)

    return act


def _label_on_read_only_file(qtbot, window, monkeypatch, tmp_path) -> str:
    boxes = MessageBoxes(monkeypatch)
    window.project._conn.execute("PRAGMA query_only = ON")
    try:
        select_with_keys(qtbot, window, 0, 4)
        qtbot.keyClick(article(window), Qt.Key.Key_1)
    finally:
        window.project._conn.execute("PRAGMA query_only = OFF")
    [box] = boxes.shown
    assert box["plain"] and box["title"] == "Not saved" and box["text"] == _status(window)
    assert window.desk.span_model.rowCount() == 0  # no phantom span in the table
    return box["text"]


def _delete_with_no_span(qtbot, window, monkeypatch, tmp_path) -> str:
    put_cursor(window, 5)
    qtbot.keyClick(article(window), Qt.Key.Key_Delete)
    return _status(window)


def _import_binary_through_dialog(qtbot, window, monkeypatch, tmp_path) -> str:
    from claimmark.gui.import_dialog import ImportDialog

    binary = tmp_path / "scan.txt"  # named like an article, but it is an image
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(binary)], ""))
    )
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog, "importDialog")
    qtbot.mouseClick(dialog.add_files_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_for_runner(qtbot, window)
    assert window.desk.document_model.rowCount() == 3
    return window.report_dialog.text()


def _import_html_named_file(qtbot, window, monkeypatch, tmp_path) -> str:
    """Issue 14 defect 7: a file name is untrusted; the import report shows it as written."""
    from claimmark.gui.import_dialog import ImportDialog

    hostile = tmp_path / "<img src=nonexistent.png><b>x.txt"
    hostile.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(hostile)], ""))
    )
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog, "importDialog")
    qtbot.mouseClick(dialog.add_files_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_for_runner(qtbot, window)
    report = window.report_dialog
    assert report.headline.textFormat() == Qt.TextFormat.PlainText
    assert isinstance(report.body, QPlainTextEdit)  # never interprets markup
    return report.text()


def _file_menu(window, text: str):
    from PySide6.QtGui import QAction

    [action] = [a for a in window.findChildren(QAction) if a.text() == text]
    return action


def _new_project_without_extension(qtbot, window, monkeypatch, tmp_path) -> str:
    chosen = tmp_path / "news"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(chosen), ""))
    )
    _file_menu(window, "&New project…").trigger()
    assert not chosen.exists()
    assert (tmp_path / "news.claimmark").is_file()
    return window.windowTitle()


def _open_missing_project(qtbot, window, monkeypatch, tmp_path) -> str:
    boxes = MessageBoxes(monkeypatch)  # the user answers Cancel, the default
    mistyped = tmp_path / "nwes.db"
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(mistyped), ""))
    )
    _file_menu(window, "&Open project…").trigger()
    assert not mistyped.exists()
    assert window.windowTitle() == "claimmark — p.db"
    [box] = boxes.shown
    assert box["plain"] and "Create project" in box["buttons"]
    return box["text"]


CONTROL = "That annotator name cannot be used: it holds control characters"
GUI_CASES = [
    # issue 14, defect 10: a window creates a project only when asked to, as a .claimmark file
    ("new project named without extension", _new_project_without_extension, "news.claimmark"),
    ("open a missing project file", _open_missing_project, "Create a new, empty project there?"),
    ("hotkey with nothing selected", _hotkey_with_nothing_selected, "Select some text first"),
    (
        "whitespace selected, snapping",
        _hotkey_on_whitespace(Qt.KeyboardModifier.NoModifier),
        "Only whitespace is selected",
    ),
    (
        "whitespace selected, exact (Alt)",
        _hotkey_on_whitespace(Qt.KeyboardModifier.AltModifier),
        "Only whitespace is selected",
    ),
    (
        "note with a NUL character",
        _note_with_nul,
        "note not saved: it contains a NUL character",
        _make_a_span,
    ),
    ("empty annotator name", _annotator_named(""), "An annotator name cannot be empty"),
    ("blank annotator name", _annotator_named("   "), "An annotator name cannot be empty"),
    ("annotator name with a newline", _annotator_named("ann\nother"), CONTROL),
    ("annotator name with a tab", _annotator_named("tab\tbed"), CONTROL),
    ("label on a read-only file", _label_on_read_only_file, "read-only"),
    ("Delete with no span selected", _delete_with_no_span, "Click a span first"),
    (
        "binary file through Import",
        _import_binary_through_dialog,
        "scan.txt: looks like a binary file",
    ),
    (
        "file named with HTML through Import",
        _import_html_named_file,
        "<img src=nonexistent.png><b>x.txt: looks like a binary file",
    ),
]


@pytest.mark.parametrize(
    ("act", "expected", "setup"),
    [(c[1], c[2], c[3] if len(c) > 3 else None) for c in GUI_CASES],
    ids=[f"gui: {c[0]}" for c in GUI_CASES],
)
def test_gui_input_fault_is_said_and_changes_nothing(
    act, expected, setup, qtbot, window, project_path, monkeypatch, tmp_path
):
    if setup is not None:
        setup(qtbot, window)
    spans = stored_spans(project_path, window.ids["sample"])
    before = file_state(project_path)
    message = act(qtbot, window, monkeypatch, tmp_path)
    assert expected in message, message
    assert file_state(project_path) == before
    assert stored_spans(project_path, window.ids["sample"]) == spans
