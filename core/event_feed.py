"""Which committed changes a window has not seen yet, whoever made them.

Every write appends its audit event in the same transaction, so the events after the last one a
window saw are exactly what changed since: its own edits and undos, an import, another window or
a CLI command on the same file. ``PRAGMA data_version`` tells cheaply whether another connection
committed at all, so a window can poll it often and read events only when something happened.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import ClaimmarkError, Event

if TYPE_CHECKING:
    from .project import Project

#: More new events than this (a large import) are not handed over one by one: views re-read.
MAX_EVENTS = 2000


@dataclass(frozen=True, slots=True)
class FeedBatch:
    events: list[Event]
    #: too many events arrived at once: the views should re-read instead of following them
    overflow: bool = False


class EventFeed:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.seen = project.last_event_seq()
        self._version = project.data_version()

    def written_elsewhere(self) -> bool:
        """Whether another connection committed since the last call (a few microseconds)."""
        try:
            version = self.project.data_version()
        except sqlite3.Error as exc:  # closed, or kept busy by another process: look again later
            raise ClaimmarkError(f"cannot read the project: {exc}") from exc
        changed = version != self._version
        self._version = version
        return changed

    def take(self, limit: int = MAX_EVENTS) -> FeedBatch:
        """The events committed since the last call, oldest first."""
        try:
            events = self.project.events_after(self.seen, limit=limit + 1)
        except sqlite3.Error as exc:
            raise ClaimmarkError(f"cannot read the project: {exc}") from exc
        if len(events) > limit:
            self.seen = self.project.last_event_seq()
            return FeedBatch([], overflow=True)
        if events:
            self.seen = events[-1].seq
        return FeedBatch(events)
