"""Making a link from the keyboard or the mouse: R, then the target span, then the type's key.

With a span of one's own current, ``R`` starts a link from it (the status bar says so; Esc
cancels). The next span chosen is the target: clicked in the article, or made current with the
span keys (Ctrl+. and Ctrl+, or Tab and Shift+Tab while linking, or the span table's arrows)
and confirmed with Enter. A small menu then lists only the relation types the two spans'
labels allow, each with its key; pressing the key (or clicking) makes the link. A target no
type allows is refused with the types' rules, and linking goes on so another can be chosen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import QMenu, QWidget

from claimmark.core.model import ClaimmarkError, RelationType, Span

from .plain_text import one_line, plain_tooltip

if TYPE_CHECKING:
    from .annotation_desk import AnnotationDesk

#: How much of a span's text the status bar quotes.
_QUOTED = 40


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class RelationTypePicker(QMenu):
    """The allowed types for one link, each chosen by its key (or a click)."""

    sig_chosen = Signal(str)

    def __init__(self, types: list[RelationType], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relationTypePicker")
        self.setToolTipsVisible(True)
        self._by_key: dict[str, str] = {}
        for relation_type in types:
            key = relation_type.hotkey or ""
            # "&" would be read as a mnemonic marker: doubled, it is shown as itself.
            name = relation_type.name.replace("&", "&&")
            action = self.addAction(_swatch(relation_type.color), f"{name}\t{key}")
            action.setToolTip(plain_tooltip(relation_type.description))
            action.setData(relation_type.key)
            action.triggered.connect(lambda _=False, k=relation_type.key: self.sig_chosen.emit(k))
            if key:
                self._by_key[key] = relation_type.key
                self._by_key[key.lower()] = relation_type.key

    def keyPressEvent(self, event: QKeyEvent) -> None:
        chosen = self._by_key.get(event.text())
        if chosen is not None:
            self.close()
            self.sig_chosen.emit(chosen)
            return
        super().keyPressEvent(event)


class RelationLinker(QObject):
    """The link being made, if any: its source span, and the menu offering its types."""

    def __init__(self, desk: AnnotationDesk) -> None:
        super().__init__(desk)
        self.desk = desk
        self.source: Span | None = None
        self.picker: RelationTypePicker | None = None
        desk.article.installEventFilter(self)
        desk.span_table.installEventFilter(self)
        desk.article.sig_clicked.connect(self._on_click)

    @property
    def active(self) -> bool:
        return self.source is not None

    # ------------------------------------------------------------------ steps
    def start(self) -> None:
        desk = self.desk
        span = desk.require_own_span()
        if span is None:
            return
        types = desk.session.project.relation_types()
        if not types:
            desk.sig_message.emit(
                "This project has no relation types: add some with 'claimmark labels'"
            )
            return
        if not any(t.allows_from(span.label) for t in types):
            rules = "; ".join(t.rule for t in types)
            desk.sig_message.emit(f"No relation type goes from {span.label} ({rules})")
            return
        self.source = span
        desk.sig_message.emit(
            f"Linking from {span.label} “{one_line(span.text, _QUOTED)}”: click the target span,"
            " or move to it (Tab, Shift+Tab) and press Enter; Esc cancels"
        )

    def cancel(self) -> None:
        if self.source is not None:
            self.source = None
            self.desk.sig_message.emit("Link cancelled")

    def complete(self, target_id: str | None) -> None:
        """Link the source to ``target_id``: offer the types its labels allow."""
        source, desk = self.source, self.desk
        if source is None:
            return
        target = desk.full_span(target_id) if target_id else None
        if target is None or target.id == source.id:
            desk.sig_message.emit("Choose another span as the link's target (Esc cancels)")
            return
        project = desk.session.project
        try:
            allowed = project.allowed_relation_types(source.id, target.id)
        except ClaimmarkError as exc:
            desk.sig_message.emit(str(exc))
            return
        if not allowed:
            desk.sig_message.emit(self._why_not(source, target))
            return
        self.source = None
        desk.sig_message.emit(f"Link {source.label} to {target.label}: press the type's key")
        picker = RelationTypePicker(allowed, desk)
        picker.sig_chosen.connect(lambda key: self._link(source, target, key))
        self.picker = picker
        rect = desk.article.span_rect(target.start)
        picker.popup(desk.article.viewport().mapToGlobal(QPoint(rect.left(), rect.bottom() + 2)))

    def _why_not(self, source: Span, target: Span) -> str:
        if source.document_id != target.document_id:
            return "A link joins two spans of one document"
        if source.annotator != target.annotator:
            return f"That span is in {target.annotator}'s layer: a link joins two spans of your own"
        rules = "; ".join(t.rule for t in self.desk.session.project.relation_types())
        return f"No relation type goes from {source.label} to {target.label} ({rules})"

    def _link(self, source: Span, target: Span, key: str) -> None:
        self.picker = None
        desk = self.desk
        desk.session.perform(
            lambda: desk.session.project.add_relation(
                source.id, target.id, key, annotator=desk.session.annotator
            )
        )

    # ------------------------------------------------------------------ input
    def _on_click(self, offset: int) -> None:
        if self.active:
            self.complete(self.desk.span_at(offset))

    def eventFilter(self, watched, event) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if not self.active:
            if (
                key == Qt.Key.Key_R
                and not modifiers & ~Qt.KeyboardModifier.ShiftModifier
                and not self.desk.is_label_hotkey(event.text())
            ):
                self.start()
                return True
            return False
        if key == Qt.Key.Key_Escape:
            self.cancel()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers:
            self.complete(self.desk.model.current_id)
            return True
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            backwards = key == Qt.Key.Key_Backtab or bool(
                modifiers & Qt.KeyboardModifier.ShiftModifier
            )
            self.desk.step_span(-1 if backwards else 1)
            return True
        return False
