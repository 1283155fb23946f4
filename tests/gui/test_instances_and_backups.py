"""A second window on the same project is warned; every opened file project is backed up."""

from __future__ import annotations

from PySide6.QtCore import Qt

from claimmark.core.backups import backup_folder, list_backups
from claimmark.core.instance_lock import InstanceLock
from claimmark.core.project import Project
from claimmark.gui.main_window import SHARED_WARNING, MainWindow
from tests.gui.helpers import MessageBoxes, article, select_with_keys, stored_spans


def open_window(qtbot, project, annotator="tester"):
    window = MainWindow(project, annotator=annotator, owns_project=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def label_first_word(qtbot, window, key=Qt.Key.Key_1):
    select_with_keys(qtbot, window, 0, 3)
    with qtbot.waitSignal(window.desk.sig_saved):
        qtbot.keyClick(article(window), key)


def holds(path) -> bool:
    """Whether some claimmark window holds ``path``: a fresh lock cannot be had."""
    probe = InstanceLock(path)
    free = probe.acquire()
    probe.release()
    return not free


def test_second_window_is_warned_and_both_save(qtbot, window, project_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)
    assert holds(project_path)
    assert boxes.shown == []  # the first window was alone

    second = open_window(qtbot, Project.open(project_path), "second")
    qtbot.waitUntil(lambda: len(boxes.shown) == 1)
    [box] = boxes.shown
    assert box["text"] == SHARED_WARNING and box["plain"] and not box["modal"]
    assert "Both save safely" in SHARED_WARNING and "within a second" in SHARED_WARNING
    assert second.statusBar().currentMessage() == SHARED_WARNING
    assert second.shared_label.isVisible() and not window.shared_label.isVisible()

    label_first_word(qtbot, window)
    label_first_word(qtbot, second, Qt.Key.Key_2)
    spans = stored_spans(project_path, window.ids["sample"])
    assert sorted((s.annotator, s.label) for s in spans) == [
        ("second", "denial"),
        ("tester", "claim"),
    ]

    window.close()
    assert not holds(project_path)  # the second window never had the lock
    second.close()
    assert not holds(project_path)


def test_lock_follows_project_switch_and_close(qtbot, window, project_path, tmp_path):
    other = tmp_path / "other.db"
    assert window.open_project(other, create=True)
    assert not holds(project_path) and holds(other)
    window.recent_menu.actions()[1].trigger()  # back to p.db through File > Recent
    assert window.windowTitle() == "claimmark — p.db"
    assert holds(project_path) and not holds(other)
    window.close()
    assert not holds(project_path)


def test_file_open_warns_when_another_process_holds_it(qtbot, window, tmp_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)
    other = tmp_path / "other.db"
    Project.open(other, created_by="x").close()
    elsewhere = InstanceLock(other)  # as another claimmark process would hold it
    assert elsewhere.acquire()
    try:
        assert window.open_project(other)
        qtbot.waitUntil(lambda: boxes.texts() == [SHARED_WARNING])
        assert window.statusBar().currentMessage() == SHARED_WARNING
        assert window.shared_label.isVisible()
        window.recent_menu.actions()[1].trigger()  # back to p.db, which nobody else holds
        assert not window.shared_label.isVisible()
    finally:
        elsewhere.release()


def test_opening_the_window_takes_a_backup_in_the_user_data_folder(
    qtbot, project, project_path, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    assert list_backups(project_path) == []
    window = open_window(qtbot, project)
    qtbot.waitUntil(lambda: len(list_backups(project_path)) == 1)  # once the window is painted
    [backup] = list_backups(project_path)
    assert backup.path.is_relative_to(data)
    assert backup.events == project.event_count()
    with Project.open(backup.path, created_by="x") as copy:
        assert len(copy.documents("x")) == 3
    assert window.safety.backups is not None and window.safety.backups.interval == 600

    # Nothing changed: reopening takes no second backup; a label after the interval does.
    window.close()
    window = open_window(qtbot, Project.open(project_path, created_by="tester"))
    qtbot.waitUntil(lambda: window.safety.backups is not None)
    assert len(list_backups(project_path)) == 1
    window.safety.backups.interval = 0
    label_first_word(qtbot, window)
    window.safety.backups.wait()  # the copy runs on a thread, so the window never waits for it
    assert list_backups(project_path)[0].events == window.project.event_count()


def test_a_failing_backup_never_blocks_annotating(qtbot, project, project_path, monkeypatch):
    window = open_window(qtbot, project)
    qtbot.waitUntil(lambda: window.safety.backups is not None)
    window.safety.backups.wait()  # the opening backup is copied on a thread: let it finish
    folder = backup_folder(project_path)
    for old in folder.iterdir():
        old.unlink()
    folder.rmdir()
    folder.write_text("a file where the backup folder should be")  # mkdir now fails for real
    window.safety.backups.interval = 0

    label_first_word(qtbot, window)
    assert len(stored_spans(project_path, project.ids["sample"])) == 1
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Automatic backup failed")
    )
    assert window.desk.span_model.rowCount() == 1


def test_in_memory_projects_have_no_lock_or_backup(qtbot):
    window = open_window(qtbot, Project.open(None, created_by="x"))
    assert window.safety.lock is None and window.safety.backups is None
