"""Flatten possibly overlapping spans into the non-overlapping pieces a text view can paint.

A character can lie inside several spans (a casualty report nested in a claim, two annotators'
spans side by side). A painter wants one answer per character, so the spans are cut at every
start and end into segments, each carrying every label active over it. Doing this once, in pure
code, keeps the per-paragraph work of the view to a bisect and a slice, even for a document with
tens of thousands of spans.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import NamedTuple

__all__ = ["Segment", "SegmentIndex", "merge_segments"]


class Segment(NamedTuple):
    start: int
    end: int
    #: Distinct labels active over the whole segment, in the caller's label order.
    labels: tuple[str, ...]


def merge_segments(
    spans: Iterable[tuple[int, int, str]], label_order: Sequence[str] = ()
) -> list[Segment]:
    """Sorted, non-overlapping segments covering exactly the characters inside some span.

    Segments are cut at every span boundary, so two adjacent spans with the same label stay
    two segments. Labels in ``label_order`` come first in that order, others alphabetically.
    Empty or inverted spans are ignored.
    """
    rank = {key: i for i, key in enumerate(label_order)}
    events = sorted(
        (point, step, label)
        for start, end, label in spans
        if start < end
        for point, step in ((start, 1), (end, -1))
    )
    active: dict[str, int] = {}
    ordered: dict[frozenset[str], tuple[str, ...]] = {}
    segments: list[Segment] = []
    labels: tuple[str, ...] = ()
    previous = 0
    for i, (point, step, label) in enumerate(events):
        if labels and point > previous:
            segments.append(Segment(previous, point, labels))
        previous = point
        count = active.get(label, 0) + step
        if count:
            active[label] = count
        else:
            del active[label]
        if i + 1 < len(events) and events[i + 1][0] == point:
            continue  # settle every event at this point before naming the next segment
        key = frozenset(active)
        labels = ordered.get(key) or ordered.setdefault(
            key, tuple(sorted(key, key=lambda k: (rank.get(k, len(rank)), k)))
        )
    return segments


class SegmentIndex:
    """Segments plus the bisect keys to find those touching a range without a scan."""

    __slots__ = ("_ends", "_starts", "segments")

    def __init__(self, segments: Sequence[Segment] = ()) -> None:
        self.segments = list(segments)
        self._starts = [s.start for s in self.segments]
        self._ends = [s.end for s in self.segments]

    @classmethod
    def from_spans(
        cls, spans: Iterable[tuple[int, int, str]], label_order: Sequence[str] = ()
    ) -> SegmentIndex:
        return cls(merge_segments(spans, label_order))

    def touching(self, start: int, end: int) -> list[Segment]:
        """Segments sharing at least one character with ``[start, end)``, unclipped."""
        first = bisect_right(self._ends, start)
        last = bisect_left(self._starts, end)
        return self.segments[first:last]

    def labels_at(self, offset: int) -> tuple[str, ...]:
        """Labels of the character starting at ``offset`` (empty outside every span)."""
        i = bisect_right(self._ends, offset)
        if i < len(self.segments) and self.segments[i].start <= offset:
            return self.segments[i].labels
        return ()

    def replace_range(
        self,
        start: int,
        end: int,
        spans: Iterable[tuple[int, int, str]],
        label_order: Sequence[str] = (),
    ) -> SegmentIndex:
        """A new index where ``[start, end)`` is re-merged from ``spans``, the rest kept.

        ``spans`` must be every span that overlaps the range now; pieces outside it are ignored.
        This is what makes one added or resized span cost a bisect and a splice instead of
        re-merging a whole document.
        """
        first = bisect_right(self._ends, start)
        last = bisect_left(self._starts, end)
        head = self.segments[:first]
        tail = self.segments[last:]
        middle: list[Segment] = []
        for seg in self.segments[first:last]:
            if seg.start < start:
                head.append(seg._replace(end=start))
            if seg.end > end:
                tail.insert(0, seg._replace(start=end))
        clipped = (
            (max(s, start), min(e, end), label) for s, e, label in spans if s < end and e > start
        )
        middle = merge_segments(clipped, label_order)
        return SegmentIndex(head + middle + tail)
