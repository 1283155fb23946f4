"""The article, read-only but fully selectable from the keyboard, speaking code points outward.

Qt positions (UTF-16 units, CRLF folded) never leave this class: everything it reports or
accepts is a stored code-point offset, converted through the document's ``OffsetMap``. Span
text is always cut from the stored text, never from ``selectedText()``, which turns breaks
into U+2029 and drops what Qt cannot hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from claimmark.core.highlight_segments import SpanIntervals
from claimmark.core.model import Label
from claimmark.core.offsets import OffsetMap
from claimmark.core.open_document import initials

from .label_colors import readable_text_on
from .layer_outlines import BlockPiece, Outline, outline_boxes, paint_outlines
from .plain_text import plain_tooltip
from .relation_gutter import GUTTER_WIDTH, RelationGutter, ShownRelation, arcs, end_marks
from .span_highlighter import BlockSegment, SpanHighlighter
from .underlines import Stripe, selection_rects, underline_stripes

#: A span jumped to from the table blinks: on, off, on, off, FLASH_STEP_MS apart (~600 ms).
FLASH_STEP_MS = 150
FLASH_STEPS = 4
#: Marks the flash's extra selection (tests look for it; the current-span overlay has none).
FLASH_PROPERTY = QTextFormat.Property.UserProperty + 1


def _resolve_stripe_painting() -> None:
    """Paint one stripe, off screen, the way ``paintEvent`` paints underlines.

    PySide builds a Python enum class the first time one is needed, and choosing among
    ``QPainter.fillRect``'s overloads needs about a dozen of them: ~10 ms, paid at the first
    highlighted paint. Paying it while the window is built keeps it out of the first document's
    opening.
    """
    image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.fillRect(QRectF(0, 0, 1, 1), QColor(0, 0, 0))
    painter.end()


def _align_right_to_left(block: QTextBlock) -> None:
    """Right-align each line of a right-to-left paragraph.

    ``QPlainTextEdit`` lays every paragraph out with the document's one text option and ignores
    block formats, so Arabic and Hebrew paragraphs would start at the left edge. Moving the
    laid-out lines is all it takes: painting, hit testing and the cursor all read line
    positions. It is redone after every layout (the positions are absolute, so doing it twice
    changes nothing).
    """
    if block.textDirection() != Qt.LayoutDirection.RightToLeft:
        return
    layout = block.layout()
    margin = block.document().documentMargin()  # where the layout put every line's left
    for i in range(layout.lineCount()):
        line = layout.lineAt(i)
        x = margin + max(0.0, line.width() - line.naturalTextWidth())
        if line.x() != x:
            line.setPosition(QPointF(x, line.y()))


class ArticleView(QPlainTextEdit):
    #: label key, and whether Alt was held (snapping suspended for this one span)
    sig_label_hotkey_pressed = Signal(str, bool)
    #: the blink started by ``flash_range`` is over (or was cut short by another document)
    sig_flash_finished = Signal()
    #: E: add the selection to the current span as a fragment (True: Alt held, no snapping)
    sig_extend_requested = Signal(bool)
    #: Shift+E: take the fragment under the caret out of the current span
    sig_fragment_removal_requested = Signal()
    #: a left click that selected nothing, at this code-point offset (a link's target, say)
    sig_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        # Read-only keeps only mouse selection; keyboard users need this flag to select at all.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(12)
        # A little larger than the UI font: long reading sessions, and room for the stripes.
        self._base_point_size = round(self.font().pointSizeF() * 1.15, 1)
        self.set_zoom(0)
        self.highlighter = SpanHighlighter(self.document())
        _resolve_stripe_painting()
        self._text = ""
        self._offsets = OffsetMap("")
        self._hotkeys: dict[int, str] = {}
        self._hotkey_texts: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._current_selections: list[QTextEdit.ExtraSelection] = []
        #: a split current span's pieces (code points) and colour: framed alike, one span
        self._current_pieces: list[tuple[int, int]] = []
        self._current_color = QColor()
        #: E / Shift+E ask to extend the current span or take a fragment out (the desk's
        #: article; another window's article leaves the key to its own actions)
        self.extend_keys = False
        #: span id -> what its tooltip line adds (split span, attribute values); "" for none
        self.span_details: Callable[[str], str] = lambda _span_id: ""
        #: block number -> (line-break key, the segments they were made from, stripes)
        self._stripes: dict[int, tuple[tuple, list[BlockSegment], list[Stripe]]] = {}
        #: other annotators' spans shown beside the editable layer, and whose each one is
        self._others = SpanIntervals()
        self._owner_of: Callable[[str], str] = lambda _id: ""
        self._read_others_until: Callable[[int], object] | None = None
        #: block number -> (line-break key, block position, outline boxes)
        self._outlines: dict[int, tuple[tuple, int, list[Outline]]] = {}
        self._flash: QTextEdit.ExtraSelection | None = None
        self._flash_on = False
        self._flash_steps_left = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_STEP_MS)
        self._flash_timer.timeout.connect(self._flash_step)
        self._had_selection = False
        self.selectionChanged.connect(self._on_selection_changed)
        #: the open layer's relations, drawn in the left margin (see ``relation_gutter``)
        self._relations: list[ShownRelation] = []
        self.relation_gutter = RelationGutter(self, self.relations_on_screen)
        self.relation_gutter.hide()
        self.updateRequest.connect(self._on_update_request)

    # ------------------------------------------------------------------ content
    @property
    def text(self) -> str:
        return self._text

    @property
    def offsets(self) -> OffsetMap:
        return self._offsets

    def set_labels(self, labels: Sequence[Label]) -> None:
        self.highlighter.set_label_colors({label.key: label.color for label in labels})
        self._names = {label.key: label.name for label in labels}
        self._hotkeys = {}
        self._hotkey_texts = {}
        for label in labels:
            if label.hotkey:
                self._hotkey_texts[label.hotkey] = label.key
                if label.hotkey.isascii():
                    self._hotkeys[ord(label.hotkey.upper())] = label.key

    def show_text(self, text: str, intervals: SpanIntervals) -> None:
        self._text = text
        self._offsets = OffsetMap(text)
        self._current_selections = []
        self._current_pieces = []
        self._stop_flash()
        self._stripes.clear()
        self._outlines.clear()
        self.setPlainText(text)  # never HTML: markup in an article is shown as written
        self.highlighter.set_content(self._offsets, intervals)

    def set_other_spans(
        self,
        intervals: SpanIntervals,
        owner_of: Callable[[str], str],
        read_until: Callable[[int], object] | None = None,
    ) -> None:
        """Other layers' spans (read-only, outlined); ``owner_of`` names a span's annotator.

        ``read_until(offset)``, when the spans are still being read, fills ``intervals`` with
        every span starting before ``offset``: asked before a page is painted or a tooltip
        shown, so what is on screen is never drawn from a partial read."""
        self._others = intervals
        self._owner_of = owner_of
        self._read_others_until = read_until
        self.other_spans_changed()

    def other_spans_changed(self) -> None:
        self._outlines.clear()
        self.viewport().update()

    # ------------------------------------------------------------------ relations
    def show_relation_margin(self, shown: bool) -> None:
        """Keep room for relations left of the text (a project with relation types keeps it
        always, so the text does not reflow when the first link is made)."""
        self.setViewportMargins(GUTTER_WIDTH if shown else 0, 0, 0, 0)
        self.relation_gutter.setVisible(shown)
        self._place_gutter()

    def set_relations(self, relations: list[ShownRelation]) -> None:
        if relations == self._relations:
            return  # the current span moved where no link is: nothing to repaint
        self._relations = relations
        self.relation_gutter.update()
        self.viewport().update()

    @property
    def relations(self) -> list[ShownRelation]:
        return self._relations

    def _place_gutter(self) -> None:
        rect = self.contentsRect()
        self.relation_gutter.setGeometry(
            QRect(rect.left(), rect.top(), GUTTER_WIDTH, rect.height())
        )

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_gutter()

    def _on_update_request(self, _rect, dy: int) -> None:
        if self._relations and self.relation_gutter.isVisible():
            self.relation_gutter.update()

    def _visible_offsets(self) -> tuple[int, int] | None:
        """The code points from the first to the last character on screen."""
        if not self._text:
            return None
        first = self.firstVisibleBlock()
        if not first.isValid():
            return None
        bottom = self.cursorForPosition(QPoint(0, self.viewport().height() - 1)).block()
        qt_end = bottom.position() + bottom.length() - 1
        start = self._offsets.from_qt(first.position(), round="down")
        end = (
            self._offsets.from_qt(qt_end, round="up")
            if self._offsets.has_qt(qt_end)
            else len(self._text)
        )
        return start, end

    def span_rect(self, offset: int) -> QRect:
        """Where the gap before code point ``offset`` is drawn, in viewport pixels."""
        return self._rect_at(offset)

    def _rect_at(self, offset: int) -> QRect:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(offset))
        return self.cursorRect(cursor)

    def relations_on_screen(self) -> list[tuple[ShownRelation, float, float]]:
        """The links with an end on screen or passing across it, with their ends' y (an end
        off screen lies just beyond the top or bottom edge)."""
        visible = self._visible_offsets() if self._relations else None
        if visible is None:
            return []
        first, last = visible
        height = self.viewport().height()

        def y_of(offset: int) -> float:
            if offset < first:
                return -8.0
            if offset > last:
                return height + 8.0
            return float(self._rect_at(offset).center().y())

        shown = []
        for relation in self._relations:
            a, b = relation.from_start, relation.to_start
            if (a < first and b < first) or (a > last and b > last):
                continue
            shown.append((relation, y_of(a), y_of(b)))
        return shown

    def _paint_relation_marks(self, painter: QPainter) -> None:
        visible = self._visible_offsets()
        if visible is None:
            return
        first, last = visible
        marks = []
        current = []
        for relation in self._relations:
            ends = (relation.from_start, relation.to_start)
            rects = [QRectF(self._rect_at(o)) if first <= o <= last else None for o in ends]
            for rect, is_source in zip(rects, (True, False), strict=True):
                if rect is not None:
                    marks.append((rect, relation.color, is_source))
            if relation.emphasised and rects[0] is not None and rects[1] is not None:
                current.append((rects[0], rects[1], relation.color))
        arcs(painter, current)
        end_marks(painter, marks)

    def set_zoom(self, steps: int) -> None:
        """Zoom in whole points from the base size, so zooming back lands exactly on it."""
        font = self.font()
        font.setPointSizeF(max(6.0, self._base_point_size + steps))
        self.setFont(font)

    # ------------------------------------------------------------------ positions
    def selected_range(self) -> tuple[int, int] | None:
        """The selection in code points, widened to whole characters; None when empty."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._offsets.from_qt(cursor.selectionStart(), round="down")
        end = self._offsets.from_qt(cursor.selectionEnd(), round="up")
        return (start, end) if start < end else None

    def cursor_offset(self) -> int:
        return self._offsets.from_qt(self.textCursor().position(), round="down")

    def place_cursor(self, offset: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self._offsets.to_qt(offset))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def select_range(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self._offsets.to_qt(start))
        cursor.setPosition(self._offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def is_right_to_left(self, offset: int) -> bool:
        """The paragraph holding ``offset`` reads right to left (Arabic, Hebrew)."""
        block = self.document().findBlock(self._offsets.to_qt(offset))
        return block.textDirection() == Qt.LayoutDirection.RightToLeft

    def offset_at_point(self, point: QPoint) -> int:
        """The code-point offset of the character under a viewport point (not the gap nearest)."""
        cursor = self.cursorForPosition(point)
        pos = cursor.position()
        rtl = cursor.block().textDirection() == Qt.LayoutDirection.RightToLeft
        x = self.cursorRect(cursor).x()
        if pos > 0 and ((point.x() < x) != rtl):
            pos -= 1
        return self._offsets.from_qt(pos, round="down")

    # ------------------------------------------------------------------ current span overlay
    def show_current_span(
        self,
        pieces: Sequence[tuple[int, int]] | None,
        color: QColor,
        frame: QColor | None = None,
    ) -> None:
        """Tint the current span (each piece of a split one, the gaps left plain); a split
        span's pieces are also framed in ``frame``, so they read as one span."""
        self._current_pieces = list(pieces) if pieces and len(pieces) > 1 else []
        self._current_color = frame if frame is not None else color
        if not pieces:
            self._current_selections = []
        else:
            fmt = QTextCharFormat()
            fmt.setBackground(color)
            fmt.setForeground(readable_text_on(color))
            self._current_selections = [self._extra_selection(p, fmt) for p in pieces]
        self._show_extra_selections()
        self.viewport().update()

    def flash_range(self, start: int, end: int) -> None:
        """Blink a span a couple of times, so the eye finds where a table row jumped to.

        The current-span overlay is a pale tint of the label colour and can sit anywhere on a
        tall screen; the palette's selection colour, on and off, is seen at once in any theme.
        """
        self.place_cursor(end)  # scroll so the whole span is in view when it fits
        self.place_cursor(start)
        palette = self.palette()
        fmt = QTextCharFormat()
        fmt.setBackground(palette.color(QPalette.ColorRole.Highlight))
        fmt.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
        fmt.setProperty(FLASH_PROPERTY, True)
        self._flash = self._extra_selection((start, end), fmt)
        self._flash_on = True
        self._flash_steps_left = FLASH_STEPS
        self._flash_timer.start()
        self._show_extra_selections()

    def is_flashing(self) -> bool:
        """The flash is drawn right now (it blinks: this turns false between the blinks)."""
        return any(s.format.property(FLASH_PROPERTY) for s in self.extraSelections())

    def _flash_step(self) -> None:
        self._flash_steps_left -= 1
        if self._flash_steps_left <= 0:
            self._stop_flash()
            return
        self._flash_on = not self._flash_on
        self._show_extra_selections()

    def _stop_flash(self) -> None:
        was_flashing = self._flash is not None
        self._flash_timer.stop()
        self._flash = None
        self._flash_on = False
        self._show_extra_selections()
        if was_flashing:
            self.sig_flash_finished.emit()

    def _extra_selection(
        self, span_range: tuple[int, int], fmt: QTextCharFormat
    ) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(span_range[0]))
        cursor.setPosition(self._offsets.to_qt(span_range[1]), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        return selection

    def _show_extra_selections(self) -> None:
        """The current span, and the flash drawn over it while it is on.

        While text is selected the current span's overlay is left out: a hotkey then labels
        the selection, not the current span, and the overlay (a strong tint of the label's
        colour) could hide a selection made inside it.
        """
        flash = [self._flash] if self._flash is not None and self._flash_on else []
        current = [] if self.textCursor().hasSelection() else self._current_selections
        self.setExtraSelections(current + flash)

    def _on_selection_changed(self) -> None:
        has = self.textCursor().hasSelection()
        if has != self._had_selection:
            self._had_selection = has
            self._show_extra_selections()

    # ------------------------------------------------------------------ input
    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = not modifiers & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.MetaModifier
            | Qt.KeyboardModifier.ShiftModifier
        )
        if plain:
            key = self._hotkeys.get(event.key()) or self._hotkey_texts.get(event.text())
            if key is not None:
                alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
                self.sig_label_hotkey_pressed.emit(key, alt)
                event.accept()
                return
        if (
            self.extend_keys
            and event.key() == Qt.Key.Key_E
            and not modifiers
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier)
        ):
            if modifiers & Qt.KeyboardModifier.ShiftModifier:
                self.sig_fragment_removal_requested.emit()
            else:
                self.sig_extend_requested.emit(bool(modifiers & Qt.KeyboardModifier.AltModifier))
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            self.sig_clicked.emit(self.offset_at_point(event.position().toPoint()))

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._text:
            offset = self.offset_at_point(event.pos())
            if self._read_others_until is not None:
                self._read_others_until(offset + 1)
            labels = self.highlighter.labels_at(offset)
            own = self.highlighter.spans_at(offset)
            others = [
                f"{self._owner_of(row[3])} [{initials(self._owner_of(row[3]))}]:"
                f" {self._names.get(row[2], row[2])} (read-only)"
                for row in sorted(self._others.overlapping(offset, offset + 1))
            ]
            if labels or others:
                names = "\n".join([*self._label_lines(labels, own), *others])
                QToolTip.showText(event.globalPos(), plain_tooltip(names), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _label_lines(self, labels: Sequence[str], spans: Sequence[tuple]) -> list[str]:
        """A tooltip line per label at the point; a span with fragments or attribute values
        gets its own line saying them ("Casualty report: killed 5, group military")."""
        lines = []
        for key in labels:
            name = self._names.get(key, key)
            details = [d for row in spans if row[2] == key and (d := self.span_details(row[3]))]
            lines.extend(f"{name}: {d}" for d in details) if details else lines.append(name)
        return lines

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event) -> None:
        """Format the blocks about to be painted, paint, then one thin underline per span,
        stacked by nesting, so nesting stays visible (even of two spans with the same label)
        where blended backgrounds alone would be ambiguous; the selection's frame goes last."""
        visible = self._format_visible_blocks()
        if visible and self._read_others_until is not None:
            self._read_others_until(self._offset_after(visible[-1][0]))
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        left = self.contentOffset().x()
        key = (self.viewport().width(), self.font().pointSizeF())
        for block, top in visible:
            for rect, color in self._block_stripes(block, key):
                painter.fillRect(rect.translated(left, top), color)
        if visible and self.highlighter.has_split_spans():
            self._paint_split_links(painter, visible, left)
        if len(self._others):
            for block, top in visible:
                paint_outlines(painter, self._block_outlines(block, key), left, top)
        if self._current_pieces:
            self._paint_current_frames(painter, visible, left)
        if self._relations:
            self._paint_relation_marks(painter)
        self._paint_selection_frame(painter, visible, left)
        painter.end()

    def _paint_split_links(
        self, painter: QPainter, visible: list[tuple[QTextBlock, float]], left: float
    ) -> None:
        """A dotted line in the label's colour under each gap of a split span: its pieces are
        tinted, the words between them are not, and the line says the pieces belong together."""
        offsets = self._offsets
        first, last = visible[0][0], visible[-1][0]
        start = offsets.from_qt(first.position(), round="down")
        end = self._offset_after(last)
        for label, pieces in self.highlighter.split_spans(start, end):
            pen = QPen(self.highlighter.label_color(label), 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            for (_s, gap_start), (gap_end, _e) in pairwise(pieces):
                qt_range = offsets.to_qt(gap_start), offsets.to_qt(gap_end)
                for rect in selection_rects(visible, *qt_range):
                    y = rect.bottom() - 1.5
                    painter.drawLine(
                        QPointF(rect.left() + left, y), QPointF(rect.right() + left, y)
                    )

    def _paint_current_frames(
        self, painter: QPainter, visible: list[tuple[QTextBlock, float]], left: float
    ) -> None:
        """Frame each piece of the current split span in its label's colour, solid (other
        layers' outlines are dashed), so the pieces read as one span across the gap."""
        pen = QPen(self._current_color)
        pen.setWidthF(1.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        offsets = self._offsets
        for block, top in visible:
            qt_start = block.position()
            qt_end = qt_start + block.length() - 1
            pieces: list[BlockPiece] = []
            for start, end in self._current_pieces:
                a = max(offsets.to_qt(start), qt_start)
                b = min(offsets.to_qt(end), qt_end)
                if b > a:
                    pieces.append((a - qt_start, b - a, ""))
            for rect, _color in outline_boxes(block.layout(), pieces, lambda _k: QColor()):
                painter.drawRect(rect.translated(left, top))

    def _paint_selection_frame(
        self, painter: QPainter, visible: list[tuple[QTextBlock, float]], left: float
    ) -> None:
        """Frame the selection above every highlight, stripe and outline, so a selection is
        seen even over a span whose colour is close to the selection colour."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight).darker(180))
        pen.setWidthF(1.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect in selection_rects(visible, cursor.selectionStart(), cursor.selectionEnd()):
            painter.drawRect(rect.translated(left, 0).adjusted(0.75, 0.75, -0.75, -0.75))

    def _format_visible_blocks(self) -> list[tuple[QTextBlock, float]]:
        """Visible blocks and their tops, each formatted before it is laid out."""
        layout = self.document().documentLayout()
        bottom = self.viewport().rect().bottom()
        visible: list[tuple[QTextBlock, float]] = []
        block = self.firstVisibleBlock()
        if not block.isValid():
            return visible
        format_block = self.highlighter.format_block
        format_block(block, quiet=True)
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        while block.isValid() and top <= bottom:
            format_block(block, quiet=True)
            height = layout.blockBoundingRect(block).height()  # lays the block out
            _align_right_to_left(block)
            if block.isVisible():
                visible.append((block, top))
            top += height
            block = block.next()
        return visible

    def _offset_after(self, block: QTextBlock) -> int:
        """The code-point offset just past ``block`` (its paragraph break included)."""
        qt_end = block.position() + block.length()
        if not self._offsets.has_qt(qt_end):
            return len(self._text)
        return self._offsets.from_qt(qt_end, round="up")

    def _block_outlines(self, block: QTextBlock, key: tuple) -> list[Outline]:
        """Other layers' boxes relative to the block's top, cached until spans or lines change."""
        cached = self._outlines.get(block.blockNumber())
        if cached is not None and cached[0] == key and cached[1] == block.position():
            return cached[2]
        offsets = self._offsets
        qt_start = block.position()
        qt_end = qt_start + block.length() - 1
        pieces: list[BlockPiece] = []
        if qt_start <= qt_end and offsets.has_qt(qt_end):
            cp_start = offsets.from_qt(qt_start, round="down")
            cp_end = offsets.from_qt(qt_end, round="up")
            for row in sorted(self._others.overlapping(cp_start, cp_end)):
                a = offsets.to_qt(max(row[0], cp_start)) - qt_start
                b = min(offsets.to_qt(min(row[1], cp_end)), qt_end) - qt_start
                if b > a:
                    pieces.append((a, b - a, row[2]))
        boxes = outline_boxes(block.layout(), pieces, self.highlighter.label_color)
        self._outlines[block.blockNumber()] = (key, qt_start, boxes)
        return boxes

    def _block_stripes(self, block: QTextBlock, key: tuple) -> list[Stripe]:
        """Underlines relative to the block's top, cached until its segments or lines change."""
        segments = self.highlighter.block_segments(block)
        cached = self._stripes.get(block.blockNumber())
        if cached is not None and cached[0] == key and cached[1] is segments:
            return cached[2]
        spans = self.highlighter.block_spans(block)
        stripes = underline_stripes(block.layout(), spans, self.highlighter.label_color)
        self._stripes[block.blockNumber()] = (key, segments, stripes)
        return stripes
