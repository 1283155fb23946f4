"""Undo and redo belong to the person who made the change, in the window and across restarts.

The reproduction from the layers issue: label as root, Ctrl+Enter, Change annotator… to bob,
Ctrl+Z twice and Ctrl+Shift+Z once. Before, bob's undo deleted root's span and reset root's
status, and the audit log said "bob deleted span" for a span bob never saw.
"""

from __future__ import annotations

from click.testing import CliRunner
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from claimmark.core.cli import cli
from claimmark.core.project import Project
from claimmark.gui.main_window import MainWindow
from tests.gui.helpers import article, select_with_keys, stored_spans

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _window(qtbot, project, annotator):
    window = MainWindow(project, annotator=annotator, owns_project=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _label(qtbot, window, needle, key=Qt.Key.Key_1):
    start = window.desk.document.text.index(needle)
    select_with_keys(qtbot, window, start, len(needle))
    qtbot.keyClick(article(window), key)


def _change_annotator(window, monkeypatch, name):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (name, True)))
    window.change_annotator()


def _statuses(path, document_id):
    with Project.open(path) as project:
        return project.statuses(document_id)


def test_bobs_undo_never_touches_roots_work(qtbot, project, project_path, monkeypatch):
    doc = project.ids["sample"]
    project.close()
    window = _window(qtbot, Project.open(project_path), "root")
    _label(qtbot, window, "Islamic state")
    assert _statuses(project_path, doc) == {"root": "in_progress"}  # by itself
    qtbot.keyClick(article(window), Qt.Key.Key_Return, CTRL)
    root_spans = stored_spans(project_path, doc)
    assert [(s.annotator, s.text) for s in root_spans] == [("root", "Islamic state")]
    assert _statuses(project_path, doc) == {"root": "done"}

    _change_annotator(window, monkeypatch, "bob")
    assert window.session.annotator == "bob"
    assert not window.undo_action.isEnabled()  # bob has done nothing yet
    events_before = _audit_lines(project_path)
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored_spans(project_path, doc) == root_spans  # nothing of root's changed
    assert _statuses(project_path, doc) == {"root": "done"}
    assert _audit_lines(project_path) == events_before  # and nothing was written for bob
    assert window.desk.span_model.rowCount() == 0  # bob's own layer is empty
    summary = window.desk.document_model.summary(doc)
    assert summary.status is None  # bob has not started this document

    # bob's own work is bob's to undo; then root's history is still root's.
    _label(qtbot, window, "Russian helicopter", Qt.Key.Key_2)
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL)
    assert [s.annotator for s in stored_spans(project_path, doc)] == ["root"]
    _change_annotator(window, monkeypatch, "root")
    assert window.undo_action.text() == "&Undo Change document status"
    qtbot.keyClick(article(window), Qt.Key.Key_Z, CTRL)
    assert _statuses(project_path, doc) == {"root": "in_progress"}

    log = _audit_lines(project_path)
    span_and_status = [line for line in log if " span " in line or " status " in line]
    # every event names who performed it, and bob's never touch root's span or status
    assert all(line.split()[2] in ("tester", "root", "bob") for line in log)
    bob_lines = [line for line in span_and_status if line.split()[2] == "bob"]
    assert not any("Islamic state" in line or " for root" in line for line in bob_lines)
    assert [line.split()[3] for line in bob_lines] == ["created", "document", "document", "deleted"]


def _audit_lines(path):
    result = CliRunner().invoke(cli, ["--project", str(path), "audit", "log"])
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_undo_and_redo_survive_a_restart(qtbot, project, project_path):
    doc = project.ids["sample"]
    project.close()
    first = _window(qtbot, Project.open(project_path), "tester")
    _label(qtbot, first, "Islamic state")
    _label(qtbot, first, "Russian helicopter", Qt.Key.Key_2)
    first.close()

    again = _window(qtbot, Project.open(project_path), "tester")
    assert again.undo_action.isEnabled() and again.undo_action.text() == "&Undo Add span"
    qtbot.keyClick(article(again), Qt.Key.Key_Z, CTRL)  # the last change of the last session
    assert [s.text for s in stored_spans(project_path, doc)] == ["Islamic state"]
    assert again.desk.span_model.rowCount() == 1
    qtbot.keyClick(article(again), Qt.Key.Key_Z, CTRL | SHIFT)
    assert sorted(s.text for s in stored_spans(project_path, doc)) == [
        "Islamic state",
        "Russian helicopter",
    ]
    assert again.desk.span_model.rowCount() == 2
    qtbot.keyClick(article(again), Qt.Key.Key_Z, CTRL)
    again.close()

    third = _window(qtbot, Project.open(project_path), "tester")
    assert third.redo_action.text() == "&Redo Add span"  # the undone step can still be redone
    qtbot.keyClick(article(third), Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(stored_spans(project_path, doc)) == 2
