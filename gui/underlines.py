"""Where the per-label underline stripes of one paragraph go, worked out once per layout.

Finding a segment's x extent on each wrapped line takes ``cursorToX`` calls; doing that for
every visible paragraph on every repaint cost more than painting the text. The rectangles only
change when the paragraph's segments or its line breaks do, so the view caches them per block
and asks again only then.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QTextLayout

from .span_highlighter import BlockSegment

#: Stripes are stacked upward from the bottom of the line, inside the font's descent: a
#: QPlainTextEdit has no line spacing to put them in.
UNDERLINE_HEIGHT = 2

#: A stripe relative to the block's top-left corner, and its colour.
Stripe = tuple[QRectF, QColor]


def underline_stripes(
    layout: QTextLayout,
    segments: Sequence[BlockSegment],
    color_of: Callable[[str], QColor],
) -> list[Stripe]:
    """One stripe per label per wrapped line each segment crosses, stacked bottom-up."""
    if not segments or layout.lineCount() == 0:
        return []
    origin = layout.position()
    lines = [layout.lineAt(i) for i in range(layout.lineCount())]
    line_starts = [line.textStart() for line in lines]
    stripes: list[Stripe] = []
    for start, length, labels in segments:
        end = start + length
        i = max(0, bisect_right(line_starts, start) - 1)
        while i < len(lines) and line_starts[i] < end:
            line = lines[i]
            a = max(start, line_starts[i])
            b = min(end, line_starts[i] + line.textLength())
            i += 1
            if a >= b:
                continue
            x1 = _x(line.cursorToX(a)) + origin.x()
            x2 = _x(line.cursorToX(b)) + origin.x()
            left, width = min(x1, x2), abs(x2 - x1)
            bottom = origin.y() + line.y() + line.height()
            for k, key in enumerate(labels):
                y = bottom - (k + 1) * UNDERLINE_HEIGHT
                stripes.append((QRectF(left, y, width, UNDERLINE_HEIGHT), color_of(key)))
    return stripes


def _x(result) -> float:
    """PySide returns cursorToX as a float or as (x, position) depending on the overload."""
    return result[0] if isinstance(result, tuple) else result
