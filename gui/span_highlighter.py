"""Persistent span colours, applied to a paragraph only when it is about to be painted.

A ``QSyntaxHighlighter`` highlights every block of a new text synchronously: 12,000 paragraphs
of a 2,000,000-character article for the few dozen on screen. Like calibre's editor, this class
instead sets each block's formats itself (``QTextLayout.setFormats``) when the view asks for a
block it is about to paint, and again for just the blocks a span change touches. Segments are
merged for one block's range at a time from ``SpanIntervals`` (stored code points) and converted
to Qt positions here.

``setFormats`` drops the block's line layout and records a pending document change; the
``markContentsDirty`` right after it hands exactly that block to the document layout, which
would otherwise merge the pending record with the next one and drop the layout of every block in
between. The view calls ``format_block`` before laying a block out, so each block is laid out
once. Extra selections stay for the transient current-span overlay.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QColor, QTextBlock, QTextCharFormat, QTextDocument, QTextLayout

from claimmark.core.highlight_segments import SpanIntervals, stacking_lanes
from claimmark.core.offsets import OffsetMap

from .label_colors import background_for

#: For a label missing from the schema (built once: this is asked for every stripe painted).
_UNKNOWN_LABEL_COLOR = QColor("#888888")

#: (start in block, length, labels) in Qt positions relative to the block.
BlockSegment = tuple[int, int, tuple[str, ...]]
#: One span's part in a block: (start in block, length, label, lane, starts here, ends here).
BlockSpan = tuple[int, int, str, int, bool, bool]


class SpanHighlighter:
    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._intervals = SpanIntervals()
        self._offsets = OffsetMap("")
        self._colors: dict[str, QColor] = {}
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}
        #: block number -> (block position, block length, segments); position and length are
        #: checked so a block of an earlier text is never taken for one of the current text.
        self._segments: dict[int, tuple[int, int, list[BlockSegment]]] = {}
        #: blocks whose layout holds the formats of their current segments
        self._formatted: set[int] = set()
        self.highlighted_blocks = 0  # how many blocks were (re)formatted: lets tests see the cost

    def document(self) -> QTextDocument:
        return self._document

    def set_label_colors(self, colors: Mapping[str, str]) -> None:
        self._colors = {key: QColor(color) for key, color in colors.items()}
        self._formats.clear()
        self._segments.clear()  # new lists: the view's cached underlines are redrawn too
        self._formatted.clear()  # re-formatted with the new colours as they are painted

    def label_color(self, key: str) -> QColor:
        color = self._colors.get(key)
        return _UNKNOWN_LABEL_COLOR if color is None else color

    def set_content(self, offsets: OffsetMap, intervals: SpanIntervals) -> None:
        """A new text (after ``setPlainText``): nothing is formatted until it is painted."""
        self._offsets = offsets
        self._intervals = intervals
        self._segments.clear()
        self._formatted.clear()

    def set_intervals(self, intervals: SpanIntervals) -> None:
        """Same text, new spans everywhere: blocks are re-formatted as they are painted."""
        self._intervals = intervals
        self._segments.clear()
        self._formatted.clear()

    def update_range(self, start: int, end: int) -> None:
        """Same text, spans changed only inside ``[start, end)`` (code points): re-format the
        blocks holding that range now, so the next paint shows the change."""
        document = self._document
        block = document.findBlock(self._offsets.to_qt(start))
        last = document.findBlock(self._offsets.to_qt(end)).blockNumber()
        while block.isValid() and block.blockNumber() <= last:
            self._segments.pop(block.blockNumber(), None)
            self._formatted.discard(block.blockNumber())
            self.format_block(block)
            block = block.next()

    def is_formatted(self, block: QTextBlock) -> bool:
        return block.blockNumber() in self._formatted and self._is_current(block)

    def format_block(self, block: QTextBlock, *, quiet: bool = False) -> bool:
        """Give ``block`` its span formats unless it has them; True when it was formatted now.

        ``quiet`` when called from the view's paint: the repaint the document layout asks for
        is that very paint, and asking again would paint everything twice.
        """
        if self.is_formatted(block):
            return False
        segments = self.block_segments(block)
        layout = block.layout()
        if segments or layout.formats():
            ranges = []
            for start, length, labels in segments:
                piece = QTextLayout.FormatRange()
                piece.start = start
                piece.length = length
                piece.format = self._format(labels)
                ranges.append(piece)
            layout.setFormats(ranges)
            self._mark_dirty(block, quiet)
        self._formatted.add(block.blockNumber())
        self.highlighted_blocks += 1
        return True

    def block_segments(self, block: QTextBlock) -> list[BlockSegment]:
        number = block.blockNumber()
        qt_start = block.position()
        cached = self._segments.get(number)
        if cached is not None and cached[0] == qt_start and cached[1] == block.length():
            return cached[2]
        offsets = self._offsets
        qt_end = qt_start + block.length() - 1  # without the paragraph break
        result: list[BlockSegment] = []
        if qt_start <= qt_end and offsets.has_qt(qt_end):
            cp_start = offsets.from_qt(qt_start, round="down")
            cp_end = offsets.from_qt(qt_end, round="up")
            for seg in self._intervals.segments(cp_start, cp_end):
                a = offsets.to_qt(seg.start) - qt_start
                b = min(offsets.to_qt(seg.end), qt_end) - qt_start
                if b > a:
                    result.append((a, b - a, seg.labels))
        self._segments[number] = (qt_start, block.length(), result)
        return result

    def block_spans(self, block: QTextBlock) -> list[BlockSpan]:
        """The spans crossing ``block``, clipped to it, each in its stacking lane."""
        offsets = self._offsets
        qt_start = block.position()
        qt_end = qt_start + block.length() - 1  # without the paragraph break
        if qt_start > qt_end or not offsets.has_qt(qt_end):
            return []
        cp_start = offsets.from_qt(qt_start, round="down")
        cp_end = offsets.from_qt(qt_end, round="up")
        pieces: list[BlockSpan] = []
        for span, lane in stacking_lanes(self._intervals.overlapping(cp_start, cp_end)):
            a = offsets.to_qt(max(span[0], cp_start)) - qt_start
            b = min(offsets.to_qt(min(span[1], cp_end)), qt_end) - qt_start
            if b > a:
                pieces.append((a, b - a, span[2], lane, span[0] >= cp_start, span[1] <= cp_end))
        return pieces

    def labels_at(self, offset: int) -> tuple[str, ...]:
        return self._intervals.labels_at(offset)

    def has_split_spans(self) -> bool:
        return bool(self._intervals.pieces)

    def split_spans(self, start: int, end: int) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
        """(label, pieces) of each split span reaching into ``[start, end)`` (code points):
        few spans are split, so their table is walked rather than indexed."""
        found = []
        for span_id, pieces in self._intervals.pieces.items():
            if pieces[0][0] < end and pieces[-1][1] > start:
                first = pieces[0][0]
                row = next(
                    (r for r in self._intervals.overlapping(first, first + 1) if r[3] == span_id),
                    None,
                )
                if row is not None:
                    found.append((row[2], pieces))
        return found

    def spans_at(self, offset: int) -> list:
        """The spans (``ShownSpan``s; a split span's piece) holding the character at ``offset``."""
        return self._intervals.overlapping(offset, offset + 1)

    def _mark_dirty(self, block: QTextBlock, quiet: bool) -> None:
        """Hand the block to the layout. Only this call is silenced when ``quiet``: laying
        blocks out later must still report line counts, or the scroll bar stops short."""
        layout = self._document.documentLayout()
        was_blocked = layout.blockSignals(quiet) if quiet else False
        try:
            self._document.markContentsDirty(block.position(), block.length())
        finally:
            if quiet:
                layout.blockSignals(was_blocked)

    def _is_current(self, block: QTextBlock) -> bool:
        cached = self._segments.get(block.blockNumber())
        return cached is not None and cached[0] == block.position() and cached[1] == block.length()

    def _format(self, labels: tuple[str, ...]) -> QTextCharFormat:
        fmt = self._formats.get(labels)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(background_for([self.label_color(k) for k in labels]))
            self._formats[labels] = fmt
        return fmt
