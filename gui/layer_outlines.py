"""Other annotators' spans, drawn as dashed outlines around the text they cover.

Your own layer is painted as tinted backgrounds (the highlighter); another layer shown beside it
must read as "someone else's, not editable here" at a glance and must not muddy your colours, so
each of its spans is a dashed box in its label's colour around every wrapped line it covers.
Boxes are worked out per paragraph, like the underline stripes, and cached until the paragraph's
spans or line breaks change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextLayout

from .underlines import WrappedLines

#: (start in block, length, label) in Qt positions relative to the block.
BlockPiece = tuple[int, int, str]
#: A box relative to the block's top-left corner, and its colour.
Outline = tuple[QRectF, QColor]

#: A one-pixel, non-antialiased dashed line: Qt's fast path. A 1.5 px antialiased one cost
#: ~3 ms per repaint of a page holding ~50 outlined spans.
OUTLINE_WIDTH = 1


def outline_boxes(
    layout: QTextLayout, pieces: Sequence[BlockPiece], color_of: Callable[[str], QColor]
) -> list[Outline]:
    """One box per span per wrapped line it crosses."""
    if not pieces or layout.lineCount() == 0:
        return []
    lines = WrappedLines(layout)
    boxes: list[Outline] = []
    for start, length, label in pieces:
        for line, _a, _b, x1, x2 in lines.pieces(start, start + length):
            top = lines.origin.y() + line.y()
            rect = QRectF(min(x1, x2), top + 1, abs(x2 - x1), line.height() - 2)
            boxes.append((rect, color_of(label)))
    return boxes


def paint_outlines(painter: QPainter, boxes: Sequence[Outline], dx: float, dy: float) -> None:
    painter.setBrush(Qt.BrushStyle.NoBrush)
    pens: dict[int, QPen] = {}
    for rect, color in boxes:
        pen = pens.get(color.rgba())
        if pen is None:
            pen = pens[color.rgba()] = QPen(color, OUTLINE_WIDTH, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(rect.translated(dx, dy))
