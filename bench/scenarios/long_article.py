"""Shared by scenarios 2 and 3: the window (or a bare editor) with the short article shown
first, and the act of switching to the long one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from claimmark.core.project import Project
from claimmark.gui.document_list_model import DOCUMENT_ID_ROLE

from ..corpus import ANNOTATOR
from . import qt_support as qt

BIG_ID = "big"


def app_window(path: Path, tmp: Path):
    project = Project.open(path, created_by=ANNOTATOR)
    window = qt.open_main_window(project, tmp)
    if window.desk.document is None or window.desk.document.id == BIG_ID:
        raise AssertionError("the window should open on the short article first")
    return window


def click_long_article(window) -> None:
    """A user's click on the long article's row; returns once it is shown and repainted."""
    desk = window.desk
    view = desk.document_list
    model = view.model()
    row = next(
        r for r in range(model.rowCount()) if model.index(r, 0).data(DOCUMENT_ID_ROLE) == BIG_ID
    )
    rect = view.visualRect(model.index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qt.wait_until(
        lambda: desk.document is not None and desk.document.id == BIG_ID, 120, "the long article"
    )
    desk.article.viewport().repaint()
    qt.drain()


def texts(path: Path) -> tuple[str, str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    small, big = (
        conn.execute("SELECT text FROM documents WHERE id = ?", (i,)).fetchone()[0]
        for i in ("small", BIG_ID)
    )
    conn.close()
    return small, big


def bare_with_short(small: str):
    edit = qt.bare_editor()
    edit.setPlainText(small)
    qt.show(edit)
    return edit


def bare_switch(edit, big: str) -> None:
    edit.setPlainText(big)
    edit.viewport().repaint()
    qt.drain()
