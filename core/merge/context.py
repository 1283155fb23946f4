"""What merging one file needs everywhere: both projects, who merges, and how a conflict is told.

A conflict is said twice, in the same words: in the summary (with the file's path as given) and
as a ``merge_conflict`` event in the project's log (with the file's name), in the transaction
that merges the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..event_kinds import EventKind
from ..project import Project
from .source import Source
from .summary import Conflict, SourceSummary


@dataclass
class MergeContext:
    team: Project
    source: Source
    summary: SourceSummary
    #: Who runs the merge: every event's performer.
    by: str
    #: The project's name in messages ("team.db holds another text under this id").
    team_name: str
    #: What every merged record's event says about where it came from.
    merged_from: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.merged_from = {"file": self.source.name}

    def conflict(self, record: str, detail: str, subject: str, **recorded: Any) -> None:
        """Report that the file and the project disagree about ``record``; ``recorded`` goes
        into the event as well (``document`` also names the event's document)."""
        self.summary.conflicts.append(Conflict(str(self.source.path), record, detail))
        self.team.merge_store.record(
            EventKind.MERGE_CONFLICT,
            by=self.by,
            subject=subject,
            after={"file": self.source.name, "record": record, "detail": detail, **recorded},
            document_id=recorded.get("document"),
        )


def differing(mine: object, theirs: object, names: tuple[str, ...]) -> list[str]:
    """The fields, among ``names``, in which two values of one record differ."""
    return [name for name in names if getattr(mine, name) != getattr(theirs, name)]
