"""View → Adjudicate driven by real key presses, checked in the project file and the audit log.

The curator (``dana``) works through document d1 of the three-annotator project: accepts the
candidate everyone made, rejects one with a reason, edits one to the selected text and
accepts it, then undoes with Ctrl+Z; the file (re-opened) and the audit log say exactly that.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from claimmark.core.adjudication.candidates import CandidateState, document_candidates
from claimmark.core.audit import verify
from claimmark.core.event_kinds import EventKind
from claimmark.core.history import describe_event
from claimmark.core.model import GOLD_LAYER
from claimmark.core.project import Project
from claimmark.gui import adjudication_view
from claimmark.gui.main_window import MainWindow
from tests.team_project import CURATOR, TEXT, at, key, make_team_project

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
S = CandidateState


@pytest.fixture
def team_path(tmp_path):
    path = tmp_path / "team.db"
    make_team_project(path).close()
    return path


@pytest.fixture
def curator_window(qtbot, team_path):
    window = MainWindow(Project.open(team_path), annotator=CURATOR, owns_project=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_G, CTRL | SHIFT)
    view = window._adjudication
    assert view is not None
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def _gold(path, document_id="d1"):
    with Project.open(path) as project:
        return {
            (s.start, s.end, s.label, s.fragments)
            for s in project.spans(document_id, annotators=[GOLD_LAYER])
        }


def _current(view):
    candidate = view.current_candidate()
    return None if candidate is None else (candidate.key, candidate.state)


def _select_text(qtbot, view, piece):
    """Caret before ``piece``, then Shift+Right over it: a real keyboard selection."""
    start, end = at(piece)
    view.article.place_cursor(start)
    for _ in range(end - start):
        qtbot.keyClick(view.article, Qt.Key.Key_Right, SHIFT)


def test_accept_reject_edit_and_undo_by_keys(qtbot, curator_window, team_path, monkeypatch):
    view = curator_window
    assert view.document.id == "d1"
    table = view.table
    table.setFocus()
    # The first candidate is current: "Officials said", which everyone made.
    assert _current(view) == (key("Officials said", "claim"), S.AGREED)
    assert view.model.index(0, 4).data() == "alice, bob, carol"
    qtbot.keyClick(table, Qt.Key.Key_A)
    assert _gold(team_path) == {key("Officials said", "claim")}
    assert _current(view) == (key("Officials said", "claim"), S.IN_GOLD)

    # N: the next disagreement, "12 died" as a casualty report (alice and bob only).
    qtbot.keyClick(table, Qt.Key.Key_N)
    assert _current(view) == (key("12 died", "casualty_report"), S.SOME)
    monkeypatch.setattr(
        adjudication_view, "ask_reason", lambda parent, what, text: "a <b>count</b>, not a claim"
    )
    qtbot.keyClick(table, Qt.Key.Key_R)
    assert _current(view) == (key("12 died", "casualty_report"), S.REJECTED)
    assert view.model.index(table.currentIndex().row(), 5).data() == "a <b>count</b>, not a claim"

    # Edit and accept: carol's "12 died" (claim) becomes "said 12 died" as selected.
    qtbot.keyClick(table, Qt.Key.Key_N)
    assert _current(view) == (key("12 died", "claim"), S.ONE)
    _select_text(qtbot, view, "said 12 died")
    qtbot.keyClick(view.article, Qt.Key.Key_E)
    assert _gold(team_path) == {key("Officials said", "claim"), key("said 12 died", "claim")}
    states = {c.key: c.state for c in view.model.candidates()}
    assert states[key("12 died", "claim")] is S.IN_GOLD
    assert states[key("said 12 died", "claim")] is S.GOLD_ONLY

    # A label key in the table edits and accepts with that label: "The army denied" (carol's
    # denial) as a claim; Ctrl+Z takes it back.
    qtbot.keyClick(table, Qt.Key.Key_N)
    assert _current(view) == (key("The army denied", "denial"), S.ONE)
    qtbot.keyClick(table, Qt.Key.Key_1)
    assert key("The army denied", "claim") in _gold(team_path)
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert key("The army denied", "claim") not in _gold(team_path)

    # Ctrl+Z twice: the edit, then the rejection; Ctrl+Shift+Z brings the rejection back.
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert _gold(team_path) == {key("Officials said", "claim")}
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    states = {c.key: c.state for c in view.model.candidates()}
    assert states[key("12 died", "casualty_report")] is S.SOME
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL | SHIFT)
    states = {c.key: c.state for c in view.model.candidates()}
    assert states[key("12 died", "casualty_report")] is S.REJECTED

    view.window().close()
    with Project.open(team_path) as project:
        assert {
            (s.start, s.end, s.label, s.fragments)
            for s in project.spans("d1", annotators=[GOLD_LAYER])
        } == {key("Officials said", "claim")}
        standing = {c.key: c for c in document_candidates(project, "d1").candidates}
        rejected = standing[key("12 died", "casualty_report")]
        assert rejected.state is S.REJECTED and rejected.reason == "a <b>count</b>, not a claim"
        events = [
            e
            for e in project.events()
            if e.annotator == CURATOR and e.kind != EventKind.ANNOTATOR_ADDED
        ]
        assert [e.kind for e in events] == [
            EventKind.SPAN_ADJUDICATED,
            EventKind.CANDIDATE_REJECTED,
            EventKind.SPAN_ADJUDICATED,
            EventKind.SPAN_ADJUDICATED,
            EventKind.SPAN_DELETED,
            EventKind.SPAN_DELETED,
            EventKind.REJECTION_WITHDRAWN,
            EventKind.CANDIDATE_REJECTED,
        ]
        text = [describe_event(e) for e in events]
        assert "into gold (proposed by alice, bob, carol)" in text[0]
        assert "rejected candidate casualty_report 15-22 '12 died'" in text[1]
        assert "edited from claim 15-22, proposed by carol" in text[2]
        assert "edited from denial 24-39, proposed by carol" in text[3]
        assert text[4].endswith("(undo or redo)") and text[7].endswith("(undo or redo)")
        assert verify(project).ok, verify(project).problems


def test_accept_all_add_remove_and_next_document_by_keys(qtbot, curator_window, team_path):
    view = curator_window
    table = view.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_A, SHIFT)  # both candidates everyone made, one step
    assert _gold(team_path) == {
        key("Officials said", "claim"),
        key("The army denied it", "denial"),
    }
    # A gold span nobody proposed: select "the claim", press the claim label's key.
    _select_text(qtbot, view, "the claim")
    qtbot.keyClick(view.article, Qt.Key.Key_1)
    assert key("the claim", "claim") in _gold(team_path)
    row = view.model.row_of(key("the claim", "claim"))
    assert view.model.candidate(row).state is S.GOLD_ONLY
    assert view.model.index(row, 4).data() == "(curator)"
    # Delete takes the current gold span out again.
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert key("the claim", "claim") not in _gold(team_path)
    # One Ctrl+Z restores it; two more take "the claim" and then accept-all back.
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert key("the claim", "claim") in _gold(team_path)
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert _gold(team_path) == set()
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(_gold(team_path)) == 2

    # Ctrl+Return marks the document adjudicated: gold's status, counted by stats.
    qtbot.keyClick(table, Qt.Key.Key_Return, CTRL)
    with Project.open(team_path) as project:
        assert project.status("d1", GOLD_LAYER) == "done"
        assert project.stats()["adjudicated"] == 1
    assert "adjudicated" in view.heading.text()

    # N past d1's last disagreement goes to d3 (d2's two annotators agree on everything).
    for _ in range(5):
        qtbot.keyClick(table, Qt.Key.Key_N)
        if view.document.id != "d1":
            break
    assert view.document.id == "d3"
    assert _current(view) == (key("Officials said", "claim"), S.ONE)
    assert view.article.text == f"{TEXT} (3)"
    qtbot.keyClick(table, Qt.Key.Key_N)  # round to d1's first one left
    assert view.document.id == "d1"
    assert _current(view) == (key("12 died", "casualty_report"), S.SOME)


def test_shift_e_edits_offsets_and_label_in_a_dialog(qtbot, curator_window, team_path, monkeypatch):
    view = curator_window
    table = view.table
    table.setFocus()
    row = view.model.row_of(key("Reuters reported", "attribution"))
    table.selectRow(row)
    end = at("Reuters reported the claim")[1]

    def fill_in(dialog):
        """What a person does in the dialog: type the new end, pick Claim, OK."""
        dialog.show()  # as exec would: shown and active, so keys are the dialog's
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        editor = dialog.end.lineEdit()
        editor.selectAll()
        qtbot.keyClicks(editor, str(end))
        dialog.label.setFocus()
        qtbot.keyClicks(dialog.label, "Claim")
        dialog.hide()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(adjudication_view.EditDialog, "exec", fill_in)
    qtbot.keyClick(table, Qt.Key.Key_E, SHIFT)
    assert _gold(team_path) == {key("Reuters reported the claim", "claim")}
    with Project.open(team_path) as project:
        event = project.events()[-1]
        assert event.kind == EventKind.SPAN_ADJUDICATED and event.annotator == CURATOR
        assert event.after["adjudication"]["edited"] is True
        assert event.after["adjudication"]["sources"][0]["annotator"] == "carol"


def test_an_annotator_filters_their_spans_gold_differs_from(qtbot, team_path):
    from claimmark.core.adjudication import curator

    with Project.open(team_path) as project:
        candidates = document_candidates(project, "d1").candidates
        curator.accept_agreed(project, candidates, annotator=CURATOR)
    window = MainWindow(Project.open(team_path), annotator="carol", owns_project=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    desk = window.desk
    assert desk.document.id == "d1"

    def shown():
        desk.span_table.fill_now()
        model = desk.span_model
        return sorted(model.index(row, 1).data() for row in range(model.rowCount()))

    qtbot.waitUntil(lambda: len(shown()) == 5)  # all of carol's spans
    box = desk.gold_filter
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert box.isChecked()
    assert shown() == ["12 died", "Reuters reported", "The army denied"]

    # The curator accepts one of them in another process: it leaves carol's list.
    with Project.open(team_path) as project:
        reuters = next(
            c
            for c in document_candidates(project, "d1").candidates
            if c.key == key("Reuters reported", "attribution")
        )
        curator.accept(project, reuters, annotator=CURATOR)
    window.session.updates.check_elsewhere()
    qtbot.waitUntil(lambda: shown() == ["12 died", "The army denied"])
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    qtbot.waitUntil(lambda: len(shown()) == 5)
