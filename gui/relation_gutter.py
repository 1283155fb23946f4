"""Relations drawn beside the article: a line in the left margin joining the two spans' lines.

An arc over the text would cross the words between the two spans and, with a dozen links on a
page, hide them. The margin keeps the text readable: each link is a vertical line in its own
lane (links that overlap vertically never share one), with a dot on the source span's line and
an arrow on the target's; in the text itself a small mark of the link's colour sits at each
end span's start, so two spans on one line are told apart, and the current span's own links
are also drawn as arcs from span to span over the text. Only links with an end on screen,
or passing across it, are drawn, each paint: a page shows a handful, whatever the document
holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

#: Width of the margin the links are drawn in.
GUTTER_WIDTH = 30
#: Horizontal distance between two lanes; the lane nearest the text is lane 0.
LANE_STEP = 5
#: Lanes that fit; more simultaneous links share the outermost lane.
MAX_LANES = (GUTTER_WIDTH - 8) // LANE_STEP


class ShownRelation(NamedTuple):
    """What the article needs to draw one link: where its ends start, in code points."""

    relation_id: str
    from_start: int
    to_start: int
    color: QColor
    #: a link of the current span: drawn stronger
    emphasised: bool


def assign_lanes(extents: Sequence[tuple[float, float]]) -> list[int]:
    """A lane per vertical extent (top, bottom), so that extents that overlap get different
    lanes, shorter-first from the text outward (greedy interval colouring, in top order)."""
    order = sorted(range(len(extents)), key=lambda i: (extents[i][0], extents[i][1]))
    lane_bottoms: list[float] = []
    lanes = [0] * len(extents)
    for i in order:
        top, bottom = extents[i]
        for lane, last in enumerate(lane_bottoms):
            if last < top:
                lane_bottoms[lane] = bottom
                lanes[i] = lane
                break
        else:
            lane = min(len(lane_bottoms), MAX_LANES - 1)
            if lane == len(lane_bottoms):
                lane_bottoms.append(bottom)
            else:
                lane_bottoms[lane] = max(lane_bottoms[lane], bottom)
            lanes[i] = lane
    return lanes


class RelationGutter(QWidget):
    """The margin strip left of the article's viewport (the article places and scrolls it)."""

    def __init__(
        self,
        parent: QWidget,
        ends: Callable[[], list[tuple[ShownRelation, float, float]]],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("relationGutter")
        #: the links to draw now, each with its ends' y in this widget (off-screen ends beyond
        #: the top or bottom edge)
        self._ends = ends

    def paintEvent(self, event: QPaintEvent) -> None:
        shown = self._ends()
        if not shown:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        extents = [(min(a, b) - 3, max(a, b) + 3) for _, a, b in shown]
        right = self.width() - 2
        for (relation, y_from, y_to), lane in zip(shown, assign_lanes(extents), strict=True):
            x = right - 6 - lane * LANE_STEP
            if abs(y_to - y_from) < 6:  # both ends on one line: a small bracket, not a dot
                y_from, y_to = (y_from - 3, y_to + 3) if y_from <= y_to else (y_from + 3, y_to - 3)
            pen = QPen(relation.color)
            pen.setWidthF(2.5 if relation.emphasised else 1.5)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path = QPainterPath(QPointF(right - 3, y_from))
            path.lineTo(x, y_from)
            path.lineTo(x, y_to)
            path.lineTo(right - 4, y_to)
            painter.drawPath(path)
            painter.setBrush(relation.color)
            painter.drawEllipse(QPointF(right - 2, y_from), 2.5, 2.5)
            arrow = QPainterPath(QPointF(right, y_to))
            arrow.lineTo(right - 5, y_to - 3.5)
            arrow.lineTo(right - 5, y_to + 3.5)
            arrow.closeSubpath()
            painter.drawPath(arrow)
        painter.end()


def end_marks(painter: QPainter, marks: Sequence[tuple[QRectF, QColor, bool]]) -> None:
    """In the text: a mark at each link end's start (a dot for a source, a wedge for a
    target), of the link's colour, at the top of the span's first line."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for rect, color, is_source in marks:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        x, y = rect.left(), rect.top()
        if is_source:
            painter.drawEllipse(QPointF(x + 1, y + 2), 3.0, 3.0)
        else:
            wedge = QPainterPath(QPointF(x - 2, y - 1))
            wedge.lineTo(x + 5, y - 1)
            wedge.lineTo(x - 2, y + 6)
            wedge.closeSubpath()
            painter.drawPath(wedge)


def arcs(painter: QPainter, links: Sequence[tuple[QRectF, QRectF, QColor]]) -> None:
    """The current span's links as arcs over the text, from the source's start to the
    target's, ending in an arrow: exact ends where the margin only shows lines."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for source, target, color in links:
        start = QPointF(source.left() + 1, source.top())
        end = QPointF(target.left() + 1, target.top())
        lift = max(14.0, abs(end.x() - start.x()) * 0.12)
        control = QPointF((start.x() + end.x()) / 2, min(start.y(), end.y()) - lift)
        faded = QColor(color)
        faded.setAlpha(210)
        pen = QPen(faded)
        pen.setWidthF(1.6)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath(start)
        path.quadTo(control, end)
        painter.drawPath(path)
        # the arrow follows the curve's last direction (from the control point to the end)
        dx, dy = end.x() - control.x(), end.y() - control.y()
        length = max((dx * dx + dy * dy) ** 0.5, 1e-6)
        ux, uy = dx / length, dy / length
        head = QPainterPath(end)
        head.lineTo(end.x() - 7 * ux + 3.5 * uy, end.y() - 7 * uy - 3.5 * ux)
        head.lineTo(end.x() - 7 * ux - 3.5 * uy, end.y() - 7 * uy + 3.5 * ux)
        head.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(faded)
        painter.drawPath(head)
