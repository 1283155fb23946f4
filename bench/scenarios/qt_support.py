"""Qt plumbing for the GUI scenarios: an offscreen application with throwaway settings.

Imported only inside worker processes, after ``QT_QPA_PLATFORM=offscreen`` is set.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

#: The main window's size on a first start (no saved geometry): what MainWindow picks.
WINDOW_SIZE = (1400, 860)
#: The bare editor of the baselines gets the article view's size in that window and its font
#: size, so both lay out the same number of characters per line and lines per page.
BARE_EDITOR_SIZE = (706, 763)


def application(tmp: Path) -> QApplication:
    """The process's QApplication, with every QSettings redirected into ``tmp``."""
    settings_dir = tmp / "settings"
    settings_dir.mkdir(exist_ok=True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    return QApplication.instance() or QApplication(["claimmark-bench"])


def settings(tmp: Path) -> QSettings:
    return QSettings(str(tmp / "settings" / "bench.ini"), QSettings.Format.IniFormat)


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    app = QApplication.instance()
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what or predicate}")
        app.processEvents()


def drain() -> float:
    """Process every pending event; returns how long that took (ms), for reporting leftovers."""
    t0 = time.perf_counter()
    QApplication.instance().processEvents()
    return (time.perf_counter() - t0) * 1000


def show(widget: QWidget, size: tuple[int, int] | None = None) -> None:
    if size is not None:
        widget.resize(*size)
    widget.show()
    widget.activateWindow()
    wait_until(widget.isVisible, what="the window to show")
    drain()


def open_main_window(project, tmp: Path, annotator: str = "bench"):
    """The real window, shown as ``run_gui`` shows it, once its opening backup has ended."""
    window = show_main_window(project, tmp, annotator)
    wait_for_opening_backup(window)
    return window


def show_main_window(project, tmp: Path, annotator: str = "bench"):
    from claimmark.gui.app import freeze_startup_heap
    from claimmark.gui.main_window import MainWindow

    window = MainWindow(project, annotator=annotator, settings=settings(tmp))
    show(window)
    freeze_startup_heap()  # what run_gui does once the window is shown
    return window


def wait_for_opening_backup(window) -> None:
    """The window backs the project up on a thread once painted. A person's first click comes
    after that copy ends, so no measurement shares the two CPUs with it."""
    wait_until(lambda: window.safety.backups is not None, what="the opening backup")
    window.safety.backups.wait()


def bare_editor(point_size: float | None = None) -> QPlainTextEdit:
    """A plain QPlainTextEdit, read-only and wrapping, sized like the article view."""
    edit = QPlainTextEdit()
    edit.setReadOnly(True)
    edit.setUndoRedoEnabled(False)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    font = QFont(edit.font())
    # The article view uses the UI font at 1.15x; the bare editor matches it.
    font.setPointSizeF(point_size or round(font.pointSizeF() * 1.15, 1))
    edit.setFont(font)
    edit.resize(*BARE_EDITOR_SIZE)
    return edit
