"""Which backups to keep: a spread over time, so that a burst of backups never evicts older
restore points.

Keeping "the newest ten" meant that ten backups in an afternoon left nothing from yesterday.
Instead, as borg and restic prune: the newest few, then the newest backup of each of the last
days that have one, then of each of the last weeks. At most ``recent + daily + weekly`` files
(16 by default), usually fewer, since one backup often counts for all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def taken_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Retention:
    recent: int = 5  #: the newest backups, whenever they were taken
    daily: int = 7  #: the newest backup of each of this many days (UTC) that have one
    weekly: int = 4  #: the newest backup of each of this many ISO weeks that have one

    @property
    def most(self) -> int:
        return self.recent + self.daily + self.weekly


RETENTION = Retention()

_B = TypeVar("_B", bound=Dated)


def to_keep(backups: Sequence[_B], retention: Retention = RETENTION) -> list[_B]:
    """The backups ``retention`` keeps, newest first; ``backups`` must be newest first."""
    days: set[object] = set()
    weeks: set[object] = set()
    kept = []
    for index, backup in enumerate(backups):
        day = backup.taken_at.date()
        week = backup.taken_at.isocalendar()[:2]
        keep = index < retention.recent
        if day not in days and len(days) < retention.daily:
            days.add(day)
            keep = True
        if week not in weeks and len(weeks) < retention.weekly:
            weeks.add(week)
            keep = True
        if keep:
            kept.append(backup)
    return kept
