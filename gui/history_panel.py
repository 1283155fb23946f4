"""Who changed what, and when: the audit history of the current span and of its document.

The events come from the project's audit log and are worded by core's ``describe_event``, the same
sentences ``claimmark audit log`` prints, so the panel and the CLI never disagree. The document's
events are read once (one indexed query) when it is shown; after that the panel follows the
session's ``updates`` like every other view: new events are appended to the rows it holds, so
labelling in a document with a long history never re-reads it. The span's history is the subset
whose subject is the span, kept by subject. Everything is shown as plain text: event texts quote
article text, which may hold markup.

Reading is skipped while the panel is hidden and done when it is shown again, so annotators
who keep it closed pay nothing per keystroke. While it is open, new events and the change of
current span are shown ``FOLLOW_DELAY_MS`` after the last of a burst, not on the key press
itself: repainting its two tables cost as much again as the labelled article's own repaint.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.history import describe_event
from claimmark.core.model import Document, Event, Span

from .annotation_session import AnnotationSession
from .plain_text import one_line, plain_tooltip
from .tables import fit_column

#: A document's history can run to thousands of events; the newest this many are listed.
MAX_ROWS = 500
#: How long after a change (the last of a burst) the open panel shows it.
FOLLOW_DELAY_MS = 120

Index = QModelIndex | QPersistentModelIndex


def local_time(at: str) -> str:
    """A stored UTC timestamp as the annotator's local wall-clock time."""
    return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _row(event: Event) -> tuple[str, str, str]:
    return (local_time(event.at), event.annotator, describe_event(event, with_document=False))


class HistoryModel(QAbstractTableModel):
    COLUMNS = ("When", "Who", "What")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str]] = []

    def set_events(self, events: Sequence[Event]) -> None:
        self.beginResetModel()
        self._rows = [_row(e) for e in events]
        self.endResetModel()

    def append_events(self, events: Sequence[Event], keep: int = MAX_ROWS) -> None:
        """Add rows at the bottom, dropping the oldest beyond ``keep``."""
        if not events:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(events) - 1)
        self._rows.extend(_row(e) for e in events)
        self.endInsertRows()
        extra = len(self._rows) - keep
        if extra > 0:
            self.beginRemoveRows(QModelIndex(), 0, extra - 1)
            del self._rows[:extra]
            self.endRemoveRows()

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
        header.setStretchLastSection(True)
        # Sized once for what they hold, not ResizeToContents: that measures every row again
        # on each appended event, a repaint's worth of work per label action.
        fit_column(self.table, 0, ["When", "2026-12-31 23:59:59"])
        fit_column(self.table, 1, ["Who", "an annotator name"])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)

    def show_events(self, heading: str, events: Sequence[Event]) -> None:
        shown = events[-MAX_ROWS:]
        self._heading = heading
        self.heading.setText(_counted(heading, len(shown), len(events)))
        self.model.set_events(shown)
        self.table.scrollToBottom()

    def add_events(self, events: Sequence[Event], total: int) -> None:
        """``events`` happened after those shown; ``total`` is how many there are now."""
        self.model.append_events(events)
        self.heading.setText(_counted(self._heading, self.model.rowCount(), total))
        self.table.scrollToBottom()


def _counted(heading: str, shown: int, total: int) -> str:
    return heading if shown >= total else f"{heading} — newest {shown} of {total} changes"


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
        #: the shown document's events, oldest first, and the same by subject; what they are of
        self._events: list[Event] = []
        self._by_subject: dict[str, list[Event]] = {}
        self._loaded: tuple | None = None
        self._span_shown: tuple | None = None
        self.reads = 0  # how often a document's whole history was read: lets tests see the cost
        #: events not shown yet, and whether the subject changed since the last refresh
        self._pending: list[Event] = []
        self._subject_changed = False
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self.flush)
        session.updates.sig_events_arrived.connect(self._on_events)
        session.updates.sig_reload_requested.connect(self._forget)

    def show_subject(self, document: Document | None, span: Span | None) -> None:
        """Follow the desk's current document and span (shown after ``FOLLOW_DELAY_MS``)."""
        self._document, self._span = document, span
        self._subject_changed = True
        if self.isVisible():
            self._follow.start()

    def has_pending(self) -> bool:
        """Something happened that the panel shows on its next turn."""
        return bool(self._pending) or (self._subject_changed and self.isVisible())

    def flush(self) -> None:
        """Show what is pending now."""
        self._follow.stop()
        events, self._pending = self._pending, []
        if events:
            self._append(events)
        self._subject_changed = False
        self.refresh()

    def _forget(self) -> None:
        self._loaded = None
        self._pending = []
        self.refresh()

    def _on_events(self, events: list[Event]) -> None:
        if self._loaded is None or self._document is None or not self.isVisible():
            return
        self._pending.extend(events)
        self._follow.start()

    def _append(self, events: list[Event]) -> None:
        """New events: appended to the document's history when they are about it."""
        if self._loaded is None or self._document is None:
            return
        if self._loaded != self._key():
            self._loaded = None  # another project: read again when shown
            return
        document_id = self._document.id
        new = [e for e in events if e.document_id == document_id]
        if not new:
            return
        self._events.extend(new)
        for event in new:
            if event.subject is not None:
                self._by_subject.setdefault(event.subject, []).append(event)
        self.document_section.add_events(new, len(self._events))
        span = self._span
        if span is not None and any(e.subject == span.id for e in new):
            self._span_shown = None  # its history grew
            self.refresh()

    def _key(self) -> tuple:
        return (id(self.session.project), self._document and self._document.id)

    def refresh(self) -> None:
        if not self.isVisible():
            return
        document, span = self._document, self._span
        if self._loaded != self._key():
            self._loaded = self._key()
            self._events = []
            self._by_subject = {}
            if document is not None:
                self._events = self.session.project.events(document_id=document.id)
                self.reads += 1
                for event in self._events:
                    if event.subject is not None:
                        self._by_subject.setdefault(event.subject, []).append(event)
            title = one_line(document.title, 80) if document is not None else "none open"
            self.document_section.show_events(f"Document: {title}", self._events)
            self._span_shown = None
        span_key = (self._loaded, span and span.id, span and (span.label, span.start, span.end))
        if span_key == self._span_shown:
            return
        self._span_shown = span_key
        if span is None:
            self.span_section.show_events("Span: none selected — click a span", [])
        else:
            self.span_section.show_events(
                f"Span: {span.label} “{one_line(span.text, 60)}”",
                self._by_subject.get(span.id, []),
            )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._loaded = None  # what happened while hidden was not followed
        self._pending = []
        self.flush()
