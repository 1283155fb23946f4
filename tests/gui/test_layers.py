"""Layers: other annotators' spans shown read-only beside your own, copied into yours with Ins,
and changes made by another connection or process appearing in the open window."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt

from claimmark.gui.annotation_desk import DELETED_ELSEWHERE
from claimmark.gui.layers_panel import LAYER_ROLE
from tests.gui.conftest import reopen
from tests.gui.helpers import article, select_with_keys, settle, stored_spans


def add_as(path, annotator: str, document_id: str, needle: str, label: str):
    """A span written by another connection to the file, as a second window would."""
    with reopen(path) as other:
        text = other.document(document_id).text
        start = text.index(needle)
        return other.add_span(
            document_id, label, start, start + len(needle), annotator=annotator
        ).created[0]


def layer_rows(window) -> list[str]:
    model = window.desk.layers_panel.model
    return [model.index(r).data() for r in range(model.rowCount())]


def toggle_layer(qtbot, window, layer: str) -> None:
    """Click the layer's row in the Layers list, then Space: what a keyboard user does."""
    view = window.desk.layers_panel.view
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r).data(LAYER_ROLE) == layer)
    rect = view.visualRect(model.index(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(view, Qt.Key.Key_Space)
    settle(qtbot)


def table_rows(window) -> list[tuple[str, str, str]]:
    model = window.desk.span_model
    return [
        (model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data())
        for r in range(model.rowCount())
    ]


def choose_row(qtbot, window, text: str, annotator: str) -> None:
    table = window.desk.span_table
    model = table.model()
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, 1).data() == text and model.index(r, 2).data() == annotator
    )
    rect = table.visualRect(model.index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def reopen_window(qtbot, window):
    """Open the sample document again so spans written before the window are read."""
    window.desk.open_document(window.ids["sample"])
    settle(qtbot)


def test_layers_panel_counts_and_toggling(qtbot, window, project_path):
    doc = window.ids["sample"]
    add_as(project_path, "alice", doc, "ISIS militants", "attribution")
    add_as(project_path, "alice", doc, "shot down a Russian helicopter", "claim")
    add_as(project_path, "bob", doc, "Russian", "casualty_report")
    qtbot.waitUntil(lambda: "alice — 2" in layer_rows(window))
    assert layer_rows(window) == ["tester (you) — 0", "alice — 2", "bob — 1"]
    assert window.desk.model.others.overlapping(0, 10**6) == []  # not shown until ticked
    assert window.desk.span_table.isColumnHidden(2)

    toggle_layer(qtbot, window, "alice")
    assert sorted(r[2] for r in window.desk.model.others.overlapping(0, 10**6)) == [
        "attribution",
        "claim",
    ]
    assert sorted(table_rows(window)) == [
        ("Attribution", "ISIS militants", "alice"),
        ("Claim", "shot down a Russian helicopter", "alice"),
    ]
    assert not window.desk.span_table.isColumnHidden(2)
    window.desk.article.viewport().repaint()  # outlines paint without error

    # My own span joins the table beside theirs; the panel counts it.
    start = window.desk.document.text.index("Amaq news")
    select_with_keys(qtbot, window, start, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    settle(qtbot)
    assert ("Claim", "Amaq", "tester") in table_rows(window)
    assert layer_rows(window)[0] == "tester (you) — 1"

    toggle_layer(qtbot, window, "alice")  # hide: today's single view again
    assert window.desk.model.others.overlapping(0, 10**6) == []
    assert table_rows(window) == [("Claim", "Amaq", "tester")]
    assert window.desk.span_table.isColumnHidden(2)


def test_other_layer_is_read_only_and_ins_copies_it_as_mine(
    qtbot, window, project_path, monkeypatch
):
    doc = window.ids["sample"]
    theirs = add_as(project_path, "alice", doc, "shot down a Russian helicopter", "claim")
    qtbot.waitUntil(lambda: "alice — 1" in layer_rows(window))
    toggle_layer(qtbot, window, "alice")
    choose_row(qtbot, window, "shot down a Russian helicopter", "alice")
    assert window.desk.current_span.id == theirs.id

    messages = []
    window.desk.sig_message.connect(messages.append)
    qtbot.keyClick(article(window), Qt.Key.Key_Delete)
    qtbot.keyClick(article(window), Qt.Key.Key_2)  # relabel: refused too
    assert all("alice's layer" in m for m in messages) and len(messages) == 2
    assert [(s.annotator, s.label) for s in stored_spans(project_path, doc)] == [("alice", "claim")]

    qtbot.keyClick(article(window), Qt.Key.Key_Insert)
    spans = stored_spans(project_path, doc)
    assert sorted((s.annotator, s.label, s.start, s.end) for s in spans) == [
        ("alice", "claim", theirs.start, theirs.end),
        ("tester", "claim", theirs.start, theirs.end),
    ]
    mine = next(s for s in spans if s.annotator == "tester")
    assert window.desk.current_span.id == mine.id  # the copy is current, and editable
    with reopen(project_path) as other:
        event = other.events(subject=mine.id)[-1]
    assert event.kind == "span_copied" and event.annotator == "tester"
    assert event.after["copied_from"] == {"annotator": "alice", "span": theirs.id}
    assert ("Claim", "shot down a Russian helicopter", "tester") in table_rows(window)

    qtbot.keyClick(article(window), Qt.Key.Key_2)  # my copy can be relabelled
    labels = {s.annotator: s.label for s in stored_spans(project_path, doc)}
    assert labels == {"alice": "claim", "tester": "denial"}


def test_span_written_by_a_second_connection_appears(qtbot, window, project_path):
    doc = window.ids["sample"]
    span = add_as(project_path, "tester", doc, "Amaq news Agency", "attribution")
    qtbot.waitUntil(lambda: span.id in {row[3] for row in window.desk.span_rows()})
    assert (span.start, span.end, "attribution") in {r[:3] for r in window.desk.span_rows()}
    assert ("Attribution", "Amaq news Agency", "tester") in table_rows(window)
    summary = window.desk.document_model.summary(doc)
    assert summary.span_count == 1


def test_label_added_by_a_cli_process_appears(qtbot, window, project_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "claimmark.core",
            "--project",
            str(project_path),
            "labels",
            "add",
            "quote",
            "--key",
            "7",
        ],
        check=True,
        capture_output=True,
    )
    qtbot.waitUntil(lambda: "quote" in window.desk._hotkeys.values())
    start = window.desk.document.text.index("TASS")
    select_with_keys(qtbot, window, start, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_7)
    assert [(s.label, s.text) for s in stored_spans(project_path, window.ids["sample"])] == [
        ("quote", "TASS")
    ]


def test_acting_on_a_span_deleted_elsewhere_says_so_plainly(qtbot, window, project_path):
    doc = window.ids["sample"]
    start = window.desk.document.text.index("TASS")
    select_with_keys(qtbot, window, start, 4)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    span = window.desk.current_span
    with reopen(project_path) as other:
        other.delete_span(span.id, annotator="tester")
    # At once, before the window's next look at the file: it looks before acting.
    qtbot.keyClick(article(window), Qt.Key.Key_2)
    message = window.statusBar().currentMessage()
    assert message == DELETED_ELSEWHERE
    assert span.id not in message
    assert stored_spans(project_path, doc) == []
    assert window.desk.current_span is None
    assert table_rows(window) == []


def test_undo_of_a_span_deleted_elsewhere_says_so_plainly(qtbot, window, project_path):
    start = window.desk.document.text.index("Palmyra")
    select_with_keys(qtbot, window, start, 7)
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    span = window.desk.current_span
    with reopen(project_path) as other:
        other.delete_span(span.id, annotator="tester")
    qtbot.keyClick(article(window), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    message = window.statusBar().currentMessage()
    assert message == "Cannot undo or redo: this span was deleted in another window"
    assert span.id not in message
    assert stored_spans(project_path, window.ids["sample"]) == []
    assert table_rows(window) == []  # the deletion reached the window too


def test_document_imported_by_a_cli_process_appears_in_the_list(
    qtbot, window, project_path, tmp_path
):
    article_file = tmp_path / "wire.txt"
    article_file.write_text("Ministry denies strike\nThe ministry denied the report.\n", "utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "claimmark.core",
            "--project",
            str(project_path),
            "import",
            str(article_file),
        ],
        check=True,
        capture_output=True,
    )

    def titles():
        return [s.title for s in window.desk.document_model.summaries()]

    qtbot.waitUntil(lambda: "Ministry denies strike" in titles())
    assert window.desk.document.id == window.ids["sample"]  # the open document stays open
