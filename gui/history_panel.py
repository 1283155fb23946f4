"""Who changed what, and when: the audit history of the current span and of its document.

The events come from the project's audit log through ``Project.events`` and are worded by core's
``describe_event``, the same sentences ``claimmark audit log`` prints, so the panel and the CLI
never disagree. One indexed query per refresh (the document's events) feeds both sections; the
span's history is the subset whose subject is the span. Everything is shown as plain text:
event texts quote article text, which may hold markup.

Refreshing is skipped while the panel is hidden and done when it is shown again, so annotators
who keep it closed pay nothing per keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.history import describe_event
from claimmark.core.model import Change, Document, Event, Span

from .annotation_session import AnnotationSession
from .plain_text import one_line, plain_tooltip

#: A document's history can run to thousands of events; the newest this many are listed.
MAX_ROWS = 500

Index = QModelIndex | QPersistentModelIndex


def local_time(at: str) -> str:
    """A stored UTC timestamp as the annotator's local wall-clock time."""
    return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")


class HistoryModel(QAbstractTableModel):
    COLUMNS = ("When", "Who", "What")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_events(self, events: Sequence[Event]) -> None:
        self.beginResetModel()
        self._rows = [
            (local_time(e.at), e.annotator, describe_event(e, with_document=False)) for e in events
        ]
        self.endResetModel()

    def rows(self) -> list[tuple[str, str, str]]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return one_line(value, 300)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return plain_tooltip(value)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None


class HistorySection(QWidget):
    """A heading and the table of one subject's events, newest at the bottom."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setObjectName(f"{name}Heading")
        font = self.heading.font()
        font.setBold(True)  # a font, not <b>: the heading holds article text
        self.heading.setFont(font)
        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName(f"{name}Table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)

    def show_events(self, heading: str, events: Sequence[Event]) -> None:
        shown = events[-MAX_ROWS:]
        if len(shown) < len(events):
            heading += f" — newest {len(shown)} of {len(events)} changes"
        self.heading.setText(heading)
        self.model.set_events(shown)
        self.table.scrollToBottom()


class HistoryPanel(QSplitter):
    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("historyView")
        self.session = session
        self.span_section = HistorySection("spanHistory", self)
        self.document_section = HistorySection("documentHistory", self)
        self.setChildrenCollapsible(False)
        self._document: Document | None = None
        self._span: Span | None = None
        self._shown_key: tuple | None = None
        self._stale = True
        session.sig_change_applied.connect(self._on_change_applied)

    def show_subject(self, document: Document | None, span: Span | None) -> None:
        """Follow the desk's current document and span."""
        self._document, self._span = document, span
        key = (id(self.session.project), document and document.id, span and span.id)
        if key != self._shown_key:
            self.refresh()

    def _on_change_applied(self, _change: Change) -> None:
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        document, span = self._document, self._span
        project = self.session.project
        self._shown_key = (id(project), document and document.id, span and span.id)
        events = project.events(document_id=document.id) if document is not None else []
        if span is None:
            self.span_section.show_events("Span: none selected — click a span", [])
        else:
            self.span_section.show_events(
                f"Span: {span.label} “{one_line(span.text, 60)}”",
                [e for e in events if e.subject == span.id],
            )
        title = one_line(document.title, 80) if document is not None else "none open"
        self.document_section.show_events(f"Document: {title}", events)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
