"""Persistent span colours, painted per paragraph from pre-merged segments.

The segments come from ``claimmark.core.highlight_segments`` in stored code points; this class
only converts the few touching a block to Qt positions, once per block, and caches that list.
A change to one span re-highlights just the blocks its old and new extents touch. Extra
selections are kept for the transient current-span overlay: they are re-laid out on every
repaint and get slow with thousands of spans.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import (
    QColor,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from claimmark.core.highlight_segments import SegmentIndex
from claimmark.core.offsets import OffsetMap

from .label_colors import background_for

#: (start in block, length, labels) in Qt positions relative to the block.
BlockSegment = tuple[int, int, tuple[str, ...]]


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._index = SegmentIndex()
        self._offsets = OffsetMap("")
        self._colors: dict[str, QColor] = {}
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}
        #: block number -> (block position, block length, segments); position and length are
        #: checked because setPlainText highlights the emptied first block before filling it.
        self._cache: dict[int, tuple[int, int, list[BlockSegment]]] = {}
        self.highlighted_blocks = 0  # how many blocks were (re)painted: lets tests see the cost

    def set_label_colors(self, colors: Mapping[str, str]) -> None:
        self._colors = {key: QColor(color) for key, color in colors.items()}
        self._formats.clear()

    def label_color(self, key: str) -> QColor:
        return self._colors.get(key, QColor("#888888"))

    def set_content(self, offsets: OffsetMap, index: SegmentIndex) -> None:
        """For a new text: call before ``setPlainText``, which highlights every block anyway."""
        self._offsets = offsets
        self._index = index
        self._cache.clear()

    def set_index(self, index: SegmentIndex) -> None:
        """Same text, new spans everywhere (e.g. labels recoloured): repaint all blocks."""
        self._index = index
        self._cache.clear()
        self.rehighlight()

    def update_range(self, index: SegmentIndex, start: int, end: int) -> None:
        """Same text, spans changed only inside ``[start, end)`` (code points)."""
        self._index = index
        document = self.document()
        block = document.findBlock(self._offsets.to_qt(start))
        last = document.findBlock(self._offsets.to_qt(end)).blockNumber()
        while block.isValid() and block.blockNumber() <= last:
            self._cache.pop(block.blockNumber(), None)
            self.rehighlightBlock(block)
            block = block.next()

    def block_segments(self, block: QTextBlock) -> list[BlockSegment]:
        number = block.blockNumber()
        qt_start = block.position()
        cached = self._cache.get(number)
        if cached is not None and cached[0] == qt_start and cached[1] == block.length():
            return cached[2]
        offsets = self._offsets
        qt_end = qt_start + block.length() - 1  # without the paragraph break
        if qt_end > offsets.qt_length or qt_start > qt_end:
            return []
        cp_start = offsets.from_qt(qt_start, round="down")
        cp_end = offsets.from_qt(qt_end, round="up")
        result: list[BlockSegment] = []
        for seg in self._index.touching(cp_start, cp_end):
            a = offsets.to_qt(max(seg.start, cp_start)) - qt_start
            b = offsets.to_qt(min(seg.end, cp_end)) - qt_start
            b = min(b, qt_end - qt_start)
            if b > a:
                result.append((a, b - a, seg.labels))
        self._cache[number] = (qt_start, block.length(), result)
        return result

    def labels_at(self, offset: int) -> tuple[str, ...]:
        return self._index.labels_at(offset)

    def _format(self, labels: tuple[str, ...]) -> QTextCharFormat:
        fmt = self._formats.get(labels)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(background_for([self.label_color(k) for k in labels]))
            self._formats[labels] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:
        self.highlighted_blocks += 1
        for start, length, labels in self.block_segments(self.currentBlock()):
            self.setFormat(start, length, self._format(labels))
