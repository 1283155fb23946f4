"""Scenario 6: the 10,000-document project (the import scenario's) in the window.

App: ``Project.open`` + ``MainWindow`` + show is one sample ("window open"); then the document
list scrolls top to bottom a page at a time (``triggerAction(SliderPageStepAdd)``,
``viewport().repaint()``, events processed so the model can fetch more rows) until the last
row is shown. ``Project.document`` and ``Project.iter_documents`` are wrapped before the window
exists, to count how many document texts the window loads: one (the document it opens) is the
budget. Peak RSS is the process's high-water mark (``VmHWM``).

Baseline: a QMainWindow with a bare QTableView over a minimal model of the same rows (id and
title from one SELECT), scrolled the same way, for time and Qt's own memory floor.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractSlider, QMainWindow, QTableView

from ..corpus import CORPUS_ANNOTATORS, copy_project
from ..measure import Stopwatch, median, peak_rss_mb
from . import qt_support as qt


def _counting(project_class) -> dict[str, int]:
    counts = {"document": 0, "iter_documents": 0, "iter_documents_yielded": 0}
    original_document = project_class.document
    original_iter = project_class.iter_documents

    @functools.wraps(original_document)
    def document(self, document_id):
        counts["document"] += 1
        return original_document(self, document_id)

    @functools.wraps(original_iter)
    def iter_documents(self, *args, **kwargs):
        counts["iter_documents"] += 1
        for item in original_iter(self, *args, **kwargs):
            counts["iter_documents_yielded"] += 1
            yield item

    project_class.document = document
    project_class.iter_documents = iter_documents
    return counts


def _scroll_to_bottom(view, model) -> tuple[float, list[float]]:
    bar = view.verticalScrollBar()
    frames = Stopwatch()
    t0 = time.perf_counter()
    for _ in range(100_000):
        if bar.value() >= bar.maximum() and not model.canFetchMore(QModelIndex()):
            break
        with frames.timed():
            bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
            view.viewport().repaint()
            qt.drain()  # the view fetches more rows from a queued call when it nears the end
    return (time.perf_counter() - t0) * 1000, frames.samples


def run(variant: str, params: dict) -> dict:
    tmp = Path(params["tmp"])
    qt.application(tmp)
    path = copy_project(Path(params["project"]), tmp)
    watch = Stopwatch()
    if variant == "app":
        from claimmark.core.project import Project

        counts = _counting(Project)
        with watch.timed():
            project = Project.open(path, created_by=CORPUS_ANNOTATORS[0])
            window = qt.show_main_window(project, tmp, CORPUS_ANNOTATORS[0])
        qt.wait_for_opening_backup(window)  # before the list is scrolled, off the clock
        view = window.desk.document_list
        source = window.desk.document_model
        at_open = dict(counts)
        total_ms, frames = _scroll_to_bottom(view, view.model())
        rows = view.model().rowCount()
        expected = project.document_count()
        extra = {
            "texts_loaded": counts["document"] + counts["iter_documents_yielded"],
            "calls": counts,
            "calls_at_open": at_open,
            "rows_shown": rows,
            "documents": expected,
            "chunked_model": source.canFetchMore(QModelIndex()) is False,
        }
        if rows != expected:
            raise AssertionError(f"the list shows {rows} rows of {expected} after scrolling")
    else:
        with watch.timed():
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            model = _TitleModel(conn.execute("SELECT id, title FROM documents ORDER BY rowid"))
            window = QMainWindow()
            view = QTableView(window)
            view.setModel(model)
            view.verticalHeader().setDefaultSectionSize(22)
            window.setCentralWidget(view)
            qt.show(window, qt.WINDOW_SIZE)
        total_ms, frames = _scroll_to_bottom(view, model)
        extra = {"rows_shown": model.rowCount()}
    extra.update(
        list_scroll_ms=total_ms,
        list_frames=len(frames),
        list_frame_ms_median=median(frames),
        peak_rss_mb=peak_rss_mb(),
    )
    return watch.result(extra)


class _TitleModel(QAbstractTableModel):
    def __init__(self, rows) -> None:
        super().__init__()
        self._rows = list(rows)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][1]
        return None
