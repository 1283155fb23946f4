"""Span-level F1 between two annotators in the four MUC/SemEval-2013 modes.

Counting follows ``nervaluate`` (1.x), the implementation the field cites, so that a number
printed here can be recomputed there: annotator ``a`` plays its "true" side and ``b`` its
"predicted" side; each span of ``b`` (in text order) is matched to one not yet matched span of
``a`` that it overlaps (an exact twin when there is one, see ``_match``), and that match
decides its outcome. Counts are pooled
over documents before precision and recall are taken (micro), as nervaluate pools sentences.

One difference, on purpose: any shared character is an overlap. nervaluate also asks the overlap
to cover 1% of the true span, which only matters for spans over 100 characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: (start, end, label), end exclusive.
Unit = tuple[int, int, str]

MODES = ("strict", "exact", "partial", "type")


@dataclass(slots=True)
class Counts:
    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def add(self, other: Counts) -> None:
        self.correct += other.correct
        self.incorrect += other.incorrect
        self.partial += other.partial
        self.missed += other.missed
        self.spurious += other.spurious

    @property
    def possible(self) -> int:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.incorrect + self.partial + self.spurious

    def f1(self) -> float | None:
        """F1 with a partial match worth half (only the partial mode has any); None without spans.

        As in nervaluate, precision (recall) is 0 when one side has no spans at all: one annotator
        marking what the other left unmarked is a disagreement, not a gap in the data.
        """
        if self.possible == 0 and self.actual == 0:
            return None
        hits = self.correct + 0.5 * self.partial
        precision = hits / self.actual if self.actual else 0.0
        recall = hits / self.possible if self.possible else 0.0
        if precision + recall == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)

    def as_dict(self) -> dict[str, int]:
        return {
            "correct": self.correct,
            "incorrect": self.incorrect,
            "partial": self.partial,
            "missed": self.missed,
            "spurious": self.spurious,
        }


def overlaps(x: Unit, y: Unit) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def _match(mode: str, pred: Unit, candidates: list[tuple[int, Unit]]) -> tuple[int, str]:
    """Which overlapping span of ``a`` ``pred`` is matched to, and the outcome.

    ``candidates`` are the not yet matched spans of ``a`` that overlap ``pred``, in text order.
    A twin the mode counts as correct is preferred to the first overlapping span (in the type
    mode, the same-label span with the closest boundaries).
    """
    if mode == "type":
        same = [
            (abs(t[0] - pred[0]) + abs(t[1] - pred[1]), i) for i, t in candidates if t[2] == pred[2]
        ]
        if same:
            return min(same)[1], "correct"
        return candidates[0][0], "incorrect"
    for index, true in candidates:
        if true[0] == pred[0] and true[1] == pred[1] and (mode != "strict" or true[2] == pred[2]):
            return index, "correct"
    return candidates[0][0], "partial" if mode == "partial" else "incorrect"


def count(a: Sequence[Unit], b: Sequence[Unit], mode: str) -> Counts:
    """Outcomes of ``b``'s spans against ``a``'s within one document."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    true = sorted(a)
    counts = Counts()
    matched: set[int] = set()
    for pred in sorted(b):
        candidates = [(i, t) for i, t in enumerate(true) if i not in matched and overlaps(t, pred)]
        if not candidates:
            counts.spurious += 1
            continue
        index, outcome = _match(mode, pred, candidates)
        matched.add(index)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    counts.missed += len(true) - len(matched)
    return counts
