"""Files, settings, find, zoom, help and errors around the desk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QTableWidget, QToolButton

from claimmark.core.project import Project
from claimmark.gui.import_dialog import ImportDialog
from claimmark.gui.main_window import MainWindow
from claimmark.gui.settings import app_settings, recent_projects
from tests.gui.helpers import article, select_with_keys, wait_for_runner

CTRL = Qt.KeyboardModifier.ControlModifier


def make_window(qtbot, project):
    window = MainWindow(project, annotator="tester")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_zoom_geometry_and_snap_are_remembered(qtbot, project, isolated_settings):
    window = make_window(qtbot, project)
    size = article(window).font().pointSizeF()
    qtbot.keyClick(article(window), Qt.Key.Key_Plus, CTRL)
    qtbot.keyClick(article(window), Qt.Key.Key_Plus, CTRL)
    assert article(window).font().pointSizeF() > size
    window.snap_action.trigger()
    window.resize(750, 577)  # the offscreen screen is 800x600
    window.desk.setSizes([100, 500, 150])
    saved_sizes = window.desk.sizes()
    saved_size = window.size()
    assert saved_size.height() == 577
    window.close()
    assert list(isolated_settings.rglob("*.ini")), "settings must go to the redirected folder"

    again = make_window(qtbot, project)
    assert again.settings.value("zoom") in (2, "2")
    assert article(again).font().pointSizeF() == article(window).font().pointSizeF()
    assert again.size() == saved_size
    assert again.desk.sizes() == saved_sizes
    assert not again.desk.snap_enabled and not again.snap_action.isChecked()
    qtbot.keyClick(article(again), Qt.Key.Key_0, CTRL)
    assert article(again).font().pointSizeF() == size


def test_recent_projects_and_opening_another_project(qtbot, window, tmp_path):
    other_path = tmp_path / "other.db"
    Project.open(other_path, created_by="someone").close()
    assert window.open_project(other_path)
    assert window.windowTitle() == "claimmark — other.db"
    assert window.session.annotator == "tester"  # the annotator carries over
    assert window.desk.document is None and window.desk.document_model.rowCount() == 0
    recent = recent_projects(app_settings())
    assert recent[0] == str(other_path.resolve())
    assert str((tmp_path / "p.db").resolve()) in recent
    entries = [a.text() for a in window.recent_menu.actions()]
    assert entries == recent
    window.recent_menu.actions()[1].trigger()
    assert window.windowTitle() == "claimmark — p.db"
    assert window.desk.document_model.rowCount() == 3


def test_opening_a_file_that_is_not_a_project_shows_plain_text_error(
    qtbot, window, tmp_path, monkeypatch
):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"<b>not sqlite</b>" * 100)
    shown = []

    def fake_exec(box):
        shown.append((box.textFormat(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert not window.open_project(bad)
    assert shown and shown[0][0] == Qt.TextFormat.PlainText
    assert window.windowTitle() == "claimmark — p.db"
    select_with_keys(qtbot, window, 0, 4)  # the old project still works
    qtbot.keyClick(article(window), Qt.Key.Key_1)
    assert window.project.spans(window.ids["sample"])


def test_new_project_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "fresh.db"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    window.new_project()
    assert target.exists()
    assert window.windowTitle() == "claimmark — fresh.db"
    buttons = window.desk.label_bar.findChildren(QToolButton)
    assert len(buttons) == 4  # the new project has the default schema


def test_import_one_file_with_add_files(qtbot, window, tmp_path, monkeypatch):
    source = tmp_path / "new-article.txt"
    source.write_text("A brand new article about a denial.\n", encoding="utf-8")
    filters = []

    def pick(_parent, _caption, _folder, file_filter, *a, **k):
        filters.append(file_filter)
        return [str(source)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(pick))
    qtbot.keyClick(article(window), Qt.Key.Key_I, CTRL)
    dialog = window.findChild(ImportDialog, "importDialog")
    qtbot.mouseClick(dialog.add_files_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_for_runner(qtbot, window)
    [file_filter] = filters
    patterns = file_filter.split(";;")[0]
    for ext in ("txt", "jsonl", "json", "conll", "iob", "iob2", "bio", "spacy", "ann"):
        assert f"*.{ext} " in patterns or f"*.{ext})" in patterns
    assert window.desk.document_model.rowCount() == 4
    assert window._progress_label.text() == "0 / 4 documents done"
    assert window.desk.document.id == window.ids["sample"]  # still the document being read
    assert window.report_dialog.text() == f"Imported files:\n  {source}: 1 imported, 0 skipped"


def test_find_bar(qtbot, window):
    qtbot.keyClick(article(window), Qt.Key.Key_F, CTRL)
    bar = window.desk.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "Palmyra")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    cursor = article(window).textCursor()
    assert cursor.selectedText() == "Palmyra"
    first = cursor.selectionStart()
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert article(window).textCursor().selectionStart() > first
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.focusWidget() is article(window)


def test_shortcuts_dialog_lists_the_keys(qtbot, window, monkeypatch):
    seen = []
    monkeypatch.setattr(QDialog, "exec", lambda dialog: seen.append(dialog) or 0)
    qtbot.keyClick(article(window), Qt.Key.Key_F1)
    [dialog] = seen
    table = dialog.findChild(QTableWidget)
    rows = {table.item(r, 1).text(): table.item(r, 0).text() for r in range(table.rowCount())}
    assert rows["Delete span"] == "Del"
    assert "Ctrl+Z" in rows["Undo"]
    assert "Ctrl+Y" in rows["Redo"]
    assert rows["Grow end (move end right)"] == "Alt+Right"
    assert "1" in rows.values() and "Alt+1" in rows.values()


def test_quit_closes_the_window(qtbot, window):
    qtbot.keyClick(article(window), Qt.Key.Key_Q, CTRL)
    assert not window.isVisible()
