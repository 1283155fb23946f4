"""Where the per-span underline stripes of one paragraph go, worked out once per layout.

Finding a segment's x extent on each wrapped line takes ``cursorToX`` calls; doing that for
every visible paragraph on every repaint cost more than painting the text. The rectangles only
change when the paragraph's segments or its line breaks do, so the view caches them per block
and asks again only then.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QTextBlock, QTextLayout, QTextLine

from .span_highlighter import BlockSpan

#: Stripes are stacked upward from the bottom of the line, inside the font's descent: a
#: QPlainTextEdit has no line spacing to put them in.
UNDERLINE_HEIGHT = 2
#: Pixels between two stacked stripes, so two nested spans' stripes do not merge into one.
LANE_GAP = 1
#: Pixels left out at a span's start and end, so adjacent or nested spans show their ends.
END_GAP = 1

#: A stripe relative to the block's top-left corner, and its colour.
Stripe = tuple[QRectF, QColor]


class WrappedLines:
    """A laid-out paragraph's wrapped lines, to find where a range sits on each of them.

    Underline stripes and other layers' outlines both walk a span line by line; the lines and
    their starts are read once per layout, not once per span.
    """

    def __init__(self, layout: QTextLayout) -> None:
        self.origin = layout.position()
        self._lines = [layout.lineAt(i) for i in range(layout.lineCount())]
        self._starts = [line.textStart() for line in self._lines]

    def pieces(self, start: int, end: int) -> Iterator[tuple[QTextLine, int, int, float, float]]:
        """Each wrapped line ``[start, end)`` covers: the line, the range clipped to it, and
        the clipped range's x at either end (right-to-left text gives x2 < x1)."""
        i = max(0, bisect_right(self._starts, start) - 1)
        while i < len(self._lines) and self._starts[i] < end:
            line = self._lines[i]
            a = max(start, self._starts[i])
            b = min(end, self._starts[i] + line.textLength())
            i += 1
            if a < b:
                x1 = _x(line.cursorToX(a)) + self.origin.x()
                x2 = _x(line.cursorToX(b)) + self.origin.x()
                yield line, a, b, x1, x2


def underline_stripes(
    layout: QTextLayout,
    spans: Sequence[BlockSpan],
    color_of: Callable[[str], QColor],
) -> list[Stripe]:
    """One stripe per span per wrapped line it crosses, stacked bottom-up by its lane.

    A stripe stops short of its span's own start and end by ``END_GAP``, so two spans with
    the same label side by side, or one inside the other, are told apart.
    """
    if not spans or layout.lineCount() == 0:
        return []
    lines = WrappedLines(layout)
    stripes: list[Stripe] = []
    for start, length, label, lane, starts_here, ends_here in spans:
        end = start + length
        color = color_of(label)
        for line, a, b, x1, x2 in lines.pieces(start, end):
            if abs(x2 - x1) > 3 * END_GAP:  # move the span's own ends inward
                inward = END_GAP if x2 >= x1 else -END_GAP
                if starts_here and a == start:
                    x1 += inward
                if ends_here and b == end:
                    x2 -= inward
            left, width = min(x1, x2), abs(x2 - x1)
            bottom = lines.origin.y() + line.y() + line.height()
            y = bottom - (lane + 1) * UNDERLINE_HEIGHT - lane * LANE_GAP
            stripes.append((QRectF(left, y, width, UNDERLINE_HEIGHT), color))
    return stripes


def selection_rects(
    blocks: Sequence[tuple[QTextBlock, float]], start: int, end: int
) -> list[QRectF]:
    """One rectangle per wrapped line the Qt range ``[start, end)`` covers, in viewport y
    (each block with its top) and x relative to the content's left."""
    rects: list[QRectF] = []
    for block, top in blocks:
        position = block.position()
        if position + block.length() <= start or position >= end:
            continue
        layout = block.layout()
        origin = layout.position()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            a = max(start - position, line.textStart())
            b = min(end - position, line.textStart() + line.textLength())
            if a >= b:
                continue
            x1 = _x(line.cursorToX(a)) + origin.x()
            x2 = _x(line.cursorToX(b)) + origin.x()
            rects.append(
                QRectF(min(x1, x2), top + origin.y() + line.y(), abs(x2 - x1), line.height())
            )
    return rects


def _x(result) -> float:
    """PySide returns cursorToX as a float or as (x, position) depending on the overload."""
    return result[0] if isinstance(result, tuple) else result
