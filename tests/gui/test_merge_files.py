"""File > Merge project files…: annotators' copies into the open project, with progress and the
summary, and the document list showing the new documents at once.

The file picker is stubbed (it is the OS's window); the menu is opened and its entry chosen with
keys, and the result is read back from the project file.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from claimmark.core.event_kinds import EventKind
from claimmark.core.project import NewDocument, Project
from claimmark.core.undo_history import UndoHistory
from claimmark.gui.task_progress import TaskProgress
from tests.gui.conftest import SAMPLE, reopen
from tests.gui.helpers import HeldAtProgress, open_doc, wait_for_runner


def annotator_copy(path, name: str, texts: list[tuple[str, str]]):
    """An annotator's own file: the sample article (as everyone has it) plus their own ones."""
    with Project.open(path, created_by=name) as project:
        first, _ = project.import_document(
            NewDocument(text=SAMPLE, title="sample", id=f"{name}-sample"), annotator=name
        )
        project.add_span(first, "claim", 0, 4, annotator=name)
        for document_id, text in texts:
            project.import_document(
                NewDocument(text=text, title=text[:20], id=document_id), annotator=name
            )
            project.add_span(document_id, "denial", 0, 5, annotator=name)
        project.set_status(first, "done", annotator=name)
    return path


def choose_merge_with_keys(qtbot, window) -> None:
    """Alt+F opens the File menu; M picks 'Merge project files…' (its mnemonic)."""
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    menu = window.menuBar().actions()[0].menu()
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_M)


def test_merge_from_the_menu_brings_documents_and_shows_the_summary(
    qtbot, window, project_path, monkeypatch, tmp_path
):
    alice = annotator_copy(tmp_path / "alice.db", "alice", [("a-1", "Alice's own article here.")])
    bob = annotator_copy(tmp_path / "bob.db", "bob", [("a-1", "Bob's article, same id.")])
    asked = []

    def pick(*args, **kwargs):
        asked.append(args)
        return [str(alice), str(bob)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(pick))
    open_doc(qtbot, window, "sample")  # the article both annotators also labelled is open
    before_rows = window.desk.document_model.rowCount()
    choose_merge_with_keys(qtbot, window)
    wait_for_runner(qtbot, window)
    assert asked  # the picker was shown

    report = window.report_dialog
    qtbot.waitUntil(report.isVisible)
    assert report.windowTitle() == "Merge"
    headline = report.headline.text()
    assert headline.startswith("Merged 2 file(s): 2 new document(s), 4 span(s) added")
    assert window.statusBar().currentMessage() == headline
    text = report.text()
    assert f"{alice}: project " in text and f"{bob}: project " in text
    assert text.count("documents: 1 new, 1 already present") == 2  # the sample is the window's
    assert f"conflict: {bob}: document a-1: p.db holds another text under this id" in text
    report.grab().save(str(tmp_path / "merge-report.png"))

    assert window.desk.document_model.rowCount() == before_rows + 2  # the list follows at once
    qtbot.waitUntil(lambda: {"alice", "bob"} <= set(window.desk.layers_panel.model.layers()))
    with reopen(project_path) as stored:
        assert stored.document_count() == 3 + 2
        sample = stored.document_id_for_sha256(stored.document(window.ids["sample"]).sha256)
        assert sample == window.ids["sample"]  # the same text is the window's document
        owners = sorted(s.annotator for s in stored.spans(sample))
        assert owners == ["alice", "bob"]
        assert stored.statuses(sample) == {"alice": "done", "bob": "done"}
        merged = [e for e in stored.events(annotator="tester") if e.kind == EventKind.SPAN_MERGED]
        assert len(merged) == 4
        assert not UndoHistory.rebuild(stored, "tester").can_undo  # the merge is no undo step
    assert not window.undo_action.isEnabled()


def test_a_file_that_cannot_be_merged_is_named_and_nothing_is_merged(
    qtbot, window, project_path, monkeypatch, tmp_path
):
    alice = annotator_copy(tmp_path / "alice.db", "alice", [])
    junk = tmp_path / "junk.db"
    junk.write_text("not a project")
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        staticmethod(lambda *a, **k: ([str(alice), str(junk), str(project_path)], "")),
    )
    window.merge_action.trigger()
    wait_for_runner(qtbot, window)
    report = window.report_dialog
    qtbot.waitUntil(report.isVisible)
    assert report.headline.text() == "Nothing was merged: these files cannot be merged."
    lines = report.text().splitlines()
    assert lines[0].startswith(f"{junk}: not a claimmark project")
    assert lines[1].startswith(f"{project_path}: is the project being merged into")
    with reopen(project_path) as stored:
        assert stored.document_count() == 3


def test_cancel_keeps_the_files_merged_before_and_none_of_the_one_being_merged(
    qtbot, window, project_path, monkeypatch, tmp_path
):
    many = [(f"n-{i}", f"Article number {i} of many.") for i in range(4)]
    alice = annotator_copy(tmp_path / "alice.db", "alice", many[:2])
    bob = annotator_copy(tmp_path / "bob.db", "bob", many[2:])
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        staticmethod(lambda *a, **k: ([str(alice), str(bob)], "")),
    )
    held = HeldAtProgress(monkeypatch, at=4)  # alice's 3 documents in, bob's first one done
    window.merge_action.trigger()
    qtbot.waitUntil(held.reached.is_set)
    progress = window.findChild(TaskProgress, "mergeProgress")
    qtbot.waitUntil(progress.isVisible)
    progress.grab().save(str(tmp_path / "merge-progress.png"))
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    held.release()
    wait_for_runner(qtbot, window)
    report = window.report_dialog
    qtbot.waitUntil(report.isVisible)
    assert "Cancelled after 1 of 2 files" in report.headline.text()
    with reopen(project_path) as stored:
        ids = set(stored.document_ids())
        assert {"n-0", "n-1"} <= ids and not {"n-2", "n-3"} & ids
        assert not [s for s in stored.spans() if s.annotator == "bob"]
