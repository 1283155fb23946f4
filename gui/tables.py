"""How claimmark's list views look and size their columns."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QStyle, QTableView, QWidget


def configure_table(table: QTableView) -> None:
    """Whole rows, one at a time, never edited in place (edits go through the project)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(22)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)


def plain_table(parent: QWidget, name: str, model) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    configure_table(view)
    return view


def fit_column(table: QTableView, column: int, texts: list[str], *, icon: bool = False) -> None:
    """Size a column for the widest of ``texts`` once.

    ``ResizeToContents`` measures up to a thousand rows again after every change to any row:
    on a table of thousands of spans that cost more than painting the labelled article. The
    column's possible contents are known (label names, statuses, counts), so measure those.
    """
    metrics = table.fontMetrics()
    width = max((metrics.horizontalAdvance(text) for text in texts), default=0)
    padding = 2 * table.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 16
    if icon:
        padding += table.iconSize().width() if table.iconSize().isValid() else 16
        padding += 8
    table.horizontalHeader().resizeSection(column, width + padding)
