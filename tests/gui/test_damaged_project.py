"""A damaged project file: named, never overwritten, restorable from the latest backup."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

from claimmark.core.backups import take_backup
from claimmark.core.instance_lock import InstanceLock
from claimmark.core.model import DamagedProjectError
from claimmark.core.project import Project
from claimmark.gui import app as gui_app
from claimmark.gui.main_window import MainWindow
from claimmark.gui.project_opening import RESTORE, open_project
from tests.gui.helpers import MessageBoxes

PAGE = 4096


def damage(path) -> bytes:
    """Overwrite a page in the middle of a checkpointed, closed project; returns the bytes."""
    size = path.stat().st_size
    assert size % PAGE == 0 and size // PAGE > 4
    with open(path, "r+b") as handle:
        handle.seek((size // PAGE // 2) * PAGE)
        handle.write(b"\xa5" * PAGE)
    return path.read_bytes()


@pytest.fixture
def damaged(qapp, project, project_path):
    """The fixture project with spans, backed up, then damaged on disk (boxes need a qapp)."""
    for document_id, start in ((project.ids["sample"], 0), (project.ids["sample"], 20)):
        project.add_span(document_id, "claim", start, start + 5, annotator="x")
    spans = project.spans(project.ids["sample"])
    take_backup(project)
    project._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    return {"bytes": damage(project_path), "spans": spans, "ids": project.ids}


def siblings(path):
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_restore_latest_backup(damaged, project_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch, answers=(RESTORE,))
    project = open_project(project_path, "tester")
    assert project is not None
    try:
        assert project.spans(damaged["ids"]["sample"]) == damaged["spans"]
    finally:
        project.close()
    ask, told = boxes.shown
    assert ask["plain"] and told["plain"]
    assert "damaged" in ask["text"] and "latest automatic backup" in ask["text"]
    assert RESTORE in ask["buttons"] and "Cancel" in ask["buttons"]
    [aside] = [p for p in project_path.parent.iterdir() if ".replaced-" in p.name]
    assert str(aside) in told["text"]
    assert aside.read_bytes() == damaged["bytes"]  # the damaged file is kept, untouched
    with pytest.raises(DamagedProjectError):
        Project.open(aside, created_by="x")


def test_cancel_leaves_everything_as_it_was(damaged, project_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)  # the default button: Cancel
    before = siblings(project_path)
    assert open_project(project_path, "tester") is None
    [ask] = boxes.shown
    assert "Cancel" in ask["buttons"]
    assert siblings(project_path) == before
    assert project_path.read_bytes() == damaged["bytes"]


def test_no_backup_says_so_and_leaves_the_file(damaged, project_path, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "empty"))
    boxes = MessageBoxes(monkeypatch, answers=(RESTORE,))
    assert open_project(project_path, "tester") is None
    [told] = boxes.shown
    assert RESTORE not in told["buttons"]
    assert "No automatic backup" in told["text"] and "left as it is" in told["text"]
    assert project_path.read_bytes() == damaged["bytes"]


def test_no_restore_while_another_window_holds_it(damaged, project_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch, answers=(RESTORE,))
    other = InstanceLock(project_path)
    assert other.acquire()
    try:
        assert open_project(project_path, "tester") is None
    finally:
        other.release()
    [told] = boxes.shown
    assert "Another claimmark window" in told["text"]
    assert project_path.read_bytes() == damaged["bytes"]


def test_file_open_restores_into_the_window(qtbot, damaged, project_path, monkeypatch):
    """A window showing another project; File > Open on the damaged one restores and shows it."""
    MessageBoxes(monkeypatch, answers=(RESTORE,))
    other = Project.open(project_path.with_name("other.db"), created_by="tester")
    window = MainWindow(other, annotator="tester", owns_project=True)
    qtbot.addWidget(window)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(project_path), ""))
    )
    window.choose_project()
    assert window.windowTitle() == "claimmark — p.db"
    assert window.desk.document_model.rowCount() == 3
    assert window.project.spans(damaged["ids"]["sample"]) == damaged["spans"]


def test_run_gui_restores_then_shows_the_window(qtbot, damaged, project_path, monkeypatch):
    MessageBoxes(monkeypatch, answers=(RESTORE,))
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: 0))
    assert gui_app.run_gui(project_path, "tester") == 0
    [window] = [
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "mainWindow" and w.isVisible()
    ]
    qtbot.addWidget(window)
    assert window.project.spans(damaged["ids"]["sample"]) == damaged["spans"]
    assert len(siblings(project_path)) > 1  # the damaged file beside the restored one


def test_run_gui_reports_a_damaged_file_without_backup(
    damaged, project_path, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "empty"))
    boxes = MessageBoxes(monkeypatch)
    assert gui_app.run_gui(project_path, "tester") == 1
    assert "damaged" in boxes.texts()[0]
