"""Flatten possibly overlapping spans into the non-overlapping pieces a text view can paint.

A character can lie inside several spans (a casualty report nested in a claim, two annotators'
spans side by side). A painter wants one answer per character, so the spans touching a range
are cut at every start and end into segments, each carrying every label active over it.

A long article holds tens of thousands of spans but shows a few dozen paragraphs at a time, so
nothing is merged up front: ``SpanIntervals`` keeps the spans themselves in a form that finds
those overlapping any range with a few bisects, and segments are merged for just that range when
a paragraph is about to be painted. Adding or removing one span is a bisect and a list insert.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

__all__ = ["Segment", "SpanIntervals", "merge_segments", "stacking_lanes"]

#: (start, end, label) in stored code points. ``SpanIntervals`` also holds longer tuples that
#: begin this way (a view's ``ShownSpan``: id and note follow), and hands them back whole.
Extent = tuple[int, int, str, *tuple[Any, ...]]


class Segment(NamedTuple):
    start: int
    end: int
    #: Distinct labels active over the whole segment, in the caller's label order.
    labels: tuple[str, ...]


def merge_segments(spans: Iterable[Extent], label_order: Sequence[str] = ()) -> list[Segment]:
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


def stacking_lanes(spans: Iterable[Extent]) -> list[tuple[Extent, int]]:
    """Each span with a lane: the lowest one free over its whole extent.

    Outer spans come first (earlier start, then longer), so a nested span sits a lane above
    the span holding it, and two nested spans with the same label are two lines, not one.
    Lanes are reused as soon as the span in them has ended.
    """
    lane_ends: list[int] = []
    placed: list[tuple[Extent, int]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1], s[2])):
        lane = next((k for k, end in enumerate(lane_ends) if end <= span[0]), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(span[1])
        else:
            lane_ends[lane] = span[1]
        placed.append((span, lane))
    return placed


class SpanIntervals:
    """A document's spans, answering "which overlap ``[start, end)``" without a scan.

    Spans are bucketed by length: bucket ``k`` holds spans shorter than ``2**k``, sorted by
    start. A span of that bucket overlapping ``[start, end)`` must start in
    ``(start - 2**k, end)``, two bisects away; the bucket's spans starting in that window that
    end too early are at most a few times the answer. A single article-long span therefore
    costs one comparison per query instead of making every query scan from the top, which a
    prefix maximum of ends would.
    """

    __slots__ = ("_buckets", "_count", "label_order", "pieces")

    def __init__(self, spans: Iterable[Extent] = (), label_order: Sequence[str] = ()) -> None:
        self.label_order = tuple(label_order)
        #: span id (a ``ShownSpan``'s fourth item) -> its pieces, for discontinuous spans: held
        #: by their outer extent, they are answered piece by piece, so the gaps stay unpainted
        #: and a click in a gap does not find them. Kept by the owner as spans come and go.
        self.pieces: dict[Any, tuple[tuple[int, int], ...]] = {}
        self._buckets: dict[int, list[Extent]] = {}
        buckets = self._buckets
        for span in spans:
            length = span[1] - span[0]
            if length > 0:
                bucket = buckets.get(length.bit_length())
                if bucket is None:
                    buckets[length.bit_length()] = [span]
                else:
                    bucket.append(span)
        self._count = sum(map(len, buckets.values()))
        for bucket in buckets.values():
            bucket.sort()  # spans usually arrive sorted by start: timsort makes this one pass

    def __len__(self) -> int:
        return self._count

    def add(self, span: Extent) -> None:
        start, end = span[0], span[1]
        if start < end:
            insort(self._buckets.setdefault((end - start).bit_length(), []), span)
            self._count += 1

    def extend(self, spans: Iterable[Extent]) -> None:
        """Add many spans at once: each bucket takes them in one sort (timsort merges a sorted
        bucket with sorted newcomers in one pass, as a read in text order gives)."""
        buckets = self._buckets
        touched: set[int] = set()
        for span in spans:
            length = span[1] - span[0]
            if length > 0:
                k = length.bit_length()
                buckets.setdefault(k, []).append(span)
                touched.add(k)
                self._count += 1
        for k in touched:
            buckets[k].sort()

    def remove(self, span: Extent) -> None:
        """Forget one span equal to ``span``; unknown spans are ignored."""
        bucket = self._buckets.get((span[1] - span[0]).bit_length())
        if bucket is None:
            return
        i = bisect_left(bucket, span)
        if i < len(bucket) and bucket[i] == span:
            del bucket[i]
            self._count -= 1

    def overlapping(self, start: int, end: int) -> list[Extent]:
        """Spans sharing at least one character with ``[start, end)``, unclipped; a
        discontinuous span as each of its pieces that does (its tuple with the piece's offsets)."""
        found: list[Extent] = []
        for k, bucket in self._buckets.items():
            lo = bisect_left(bucket, (start - (1 << k) + 1,))
            hi = bisect_left(bucket, (end,), lo)
            found.extend(span for span in bucket[lo:hi] if span[1] > start)
        if self.pieces:
            found = list(self._split(found, start, end))
        return found

    def _split(self, found: list[Extent], start: int, end: int) -> Iterable[Extent]:
        pieces = self.pieces
        for span in found:
            own = pieces.get(span[3]) if len(span) > 3 else None
            if own is None:
                yield span
                continue
            for piece_start, piece_end in own:
                if piece_start < end and piece_end > start:
                    yield (piece_start, piece_end, *span[2:])

    def segments(self, start: int, end: int) -> list[Segment]:
        """The merged segments inside ``[start, end)``, clipped to it."""
        clipped = [
            (max(span[0], start), min(span[1], end), span[2])
            for span in self.overlapping(start, end)
        ]
        return merge_segments(clipped, self.label_order)

    def labels_at(self, offset: int) -> tuple[str, ...]:
        """Labels of the character starting at ``offset`` (empty outside every span)."""
        segments = self.segments(offset, offset + 1)
        return segments[0].labels if segments else ()
