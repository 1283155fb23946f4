"""The open document as every view sees it: its text, the shown layers' spans, the current span.

The article, its highlighter, the span table, the layers panel and the history all observe this
one model instead of each keeping a copy of the spans in step by hand. It changes in two ways:
``open`` (a document, or another set of shown layers: read from the project) and
``apply_events`` (the audit events committed since it last looked, whoever wrote them: this
window, its undo, an import, another window or a CLI command). Every write appends its event in
the same transaction, so the event log is a complete, ordered feed of changes, and replaying its
tail is one path for all of them. A batch of events becomes one notification.

Layers: the spans of the annotator at the keyboard (``annotator``) are the editable layer; other
annotators' layers can be shown beside it, read-only. Spans are held as ``ShownSpan`` tuples in
``SpanIntervals``, what the highlighter and hit-testing need, so a document of 20,000 spans opens
without building an object per span.

Other layers can be read in parts (``open(..., defer_others=True)``): reading 40,000 rows of two
other layers took longer than laying out the 2M-character article itself, while the first page
shows a few dozen of them. ``load_others(until)`` reads every shown span starting before
``until`` (the article asks for what it is about to paint, the desk for the rest a part per
turn of the event loop); whatever needs them all (the table, finding a span by id, applying
events) reads the rest first, so nothing is answered from a partial read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .event_kinds import Effect, EventKind
from .highlight_segments import SpanIntervals
from .model import AttributeValues, Document, Event, Fragments, ShownSpan, SpanId

if TYPE_CHECKING:
    from .project import Project

#: Events that create, change or remove one span; their ``before``/``after`` hold its fields.
SPAN_EVENT_KINDS = frozenset(
    kind
    for kind in EventKind
    if kind.effect in (Effect.SPAN_INSERT, Effect.SPAN_DELETE, Effect.SPAN_UPDATE)
)
#: Events that create or remove one relation; their ``before``/``after`` hold its fields.
RELATION_EVENT_KINDS = frozenset(
    kind for kind in EventKind if kind.effect in (Effect.RELATION_INSERT, Effect.RELATION_DELETE)
)
#: Events about a document that leave its spans as they are (a status, an import, an
#: adjudication decision, a merge's record of a conflict, a relation).
_SPANLESS_KINDS = frozenset(
    kind
    for kind in EventKind
    if kind.effect in (Effect.STATUS, Effect.DOCUMENT, Effect.DECISION, Effect.RECORD)
    or kind in RELATION_EVENT_KINDS
)

#: A span and the layer (annotator) it belongs to.
LayerSpan = tuple[str, ShownSpan]
#: Another layer's span as ``others`` holds it: a ``ShownSpan`` with its annotator appended.
OtherSpan = tuple


class Listeners:
    """Callbacks run in the order they were added (a Qt-free signal)."""

    __slots__ = ("_callbacks",)

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)


def initials(name: str) -> str:
    """Up to two letters that tell annotators apart in a tooltip ("ana_lima" -> "AL")."""
    parts = name.replace("_", " ").replace("-", " ").replace(".", " ").split()
    if len(parts) >= 2:
        return (parts[0][0] + parts[1][0]).upper()
    return name[:2].upper()


def shown_from_fields(span_id: str, fields: dict[str, Any]) -> ShownSpan:
    """An event's span fields as the tuple views hold."""
    return (fields["start"], fields["end"], fields["label"], SpanId(span_id), fields.get("note"))


class OpenDocument:
    def __init__(self, project: Project, annotator: str, label_order: Sequence[str] = ()) -> None:
        self.project = project
        self.annotator = annotator
        self.label_order: tuple[str, ...] = tuple(label_order)
        self.document: Document | None = None
        #: other annotators whose layers are shown beside the editable one
        self.shown_layers: frozenset[str] = frozenset()
        self.own = SpanIntervals()
        self.others = SpanIntervals()
        #: the own layer's spans as read, until ``_own_index`` indexes them by id on first use
        self._opened: list[ShownSpan] = []
        self._own_index: dict[str, ShownSpan] | None = {}
        #: the other layers' spans as read, until ``_other_index`` indexes them by id
        self._opened_others: list[OtherSpan] = []
        self._other_index: dict[str, OtherSpan] | None = {}
        #: every shown other layer's span starting before this offset is in ``others``
        self.others_loaded_to = 0
        #: spans per layer in this document, every layer (shown or not)
        self.layer_counts: dict[str, int] = {}
        self.current_id: SpanId | None = None
        #: span id -> (fragments, attributes) of the shown spans that have either (few do);
        #: the fragments are also ``own.pieces`` and ``others.pieces`` (one dict for both)
        self.structure: dict[str, tuple[Fragments | None, AttributeValues]] = {}
        self._pieces: dict[str, Fragments] = {}
        #: a new document or new shown layers: every view re-reads the model
        self.sig_reset = Listeners()
        #: (removed, added) lists of ``LayerSpan`` after a batch of events, and the code-point
        #: range they touch
        self.sig_spans_changed = Listeners()
        #: the current span's id (or None)
        self.sig_current_changed = Listeners()
        #: ``layer_counts`` changed
        self.sig_counts_changed = Listeners()
        #: the shown other layers, opened with ``defer_others``, have now been read whole
        self.sig_others_loaded = Listeners()

    # ------------------------------------------------------------------ reading
    @property
    def text(self) -> str:
        return self.document.text if self.document is not None else ""

    def _own(self) -> dict[str, ShownSpan]:
        if self._own_index is None:
            self._own_index = {row[3]: row for row in self._opened}
            self._opened = []
        return self._own_index

    def own_rows(self) -> list[ShownSpan]:
        """The editable layer's spans in text order (as read, when nothing changed since)."""
        if self._own_index is None:
            return list(self._opened)
        return sorted(self._own_index.values())

    @property
    def others_complete(self) -> bool:
        return self.others_loaded_to >= len(self.text)

    def _others(self) -> dict[str, OtherSpan]:
        if self._other_index is None:
            self._other_index = {row[3]: row for row in self._opened_others}
            self._opened_others = []
        return self._other_index

    def other_spans(self) -> list[OtherSpan]:
        """The shown other layers' spans as ``others`` holds them (each layer's in text order)."""
        self.load_others()
        return self.loaded_other_spans()

    def loaded_other_spans(self) -> list[OtherSpan]:
        """The shown other layers' spans read so far (all of them once ``others_complete``)."""
        if self._other_index is None:
            return list(self._opened_others)
        return list(self._other_index.values())

    def other_rows(self) -> list[LayerSpan]:
        """The shown other layers' spans, in text order."""
        self.load_others()
        rows = self._opened_others if self._other_index is None else self._other_index.values()
        return [(row[5], row[:5]) for row in sorted(rows)]

    def find(self, span_id: str | None) -> LayerSpan | None:
        if span_id is None:
            return None
        own = self._own().get(span_id)
        if own is not None:
            return self.annotator, own
        other = self._others().get(span_id)
        if other is None and not self.others_complete:
            self.load_others()
            other = self._others().get(span_id)
        return None if other is None else (other[5], other[:5])

    def fragments_of(self, span_id: str) -> Fragments | None:
        """A shown discontinuous span's pieces; None for a one-piece span."""
        return self._pieces.get(span_id)

    def attributes_of(self, span_id: str) -> AttributeValues:
        found = self.structure.get(span_id)
        return found[1] if found is not None else AttributeValues()

    def is_own(self, span_id: str) -> bool:
        return span_id in self._own()

    def layers(self) -> list[str]:
        """Every layer of the project (annotators), the editable one first."""
        names = set(self.project.annotators()) | set(self.layer_counts) | {self.annotator}
        return [self.annotator, *sorted(names - {self.annotator})]

    def span_at(self, offset: int, tie_break: Callable[[str], int] | None = None) -> str | None:
        """The innermost span holding ``offset`` (a caret just after a span's end counts too);
        the editable layer's spans win over other layers' at the same place."""
        self.load_others(offset + 1)
        for intervals in (self.own, self.others):
            near = intervals.overlapping(max(0, offset - 1), offset + 1)
            inside = [row for row in near if row[0] <= offset < row[1]]
            if not inside:
                inside = [row for row in near if row[0] < offset <= row[1]]
            if inside:
                order = tie_break or (lambda _id: 0)
                return min(inside, key=lambda r: (r[1] - r[0], r[0], order(r[3])))[3]
        return None

    # ------------------------------------------------------------------ changing
    def open(
        self,
        document_id: str | None,
        *,
        annotator: str | None = None,
        shown_layers: Iterable[str] | None = None,
        defer_others: bool = False,
    ) -> None:
        """Read a document (None: nothing open) with the given layers, and tell every view.

        ``defer_others``: read the shown other layers later, as ``load_others`` is asked to
        (their counts too, once they are read whole)."""
        project = self.project
        if annotator is not None:
            self.annotator = annotator
        if shown_layers is not None:
            self.shown_layers = frozenset(shown_layers)
        self.shown_layers = self.shown_layers - {self.annotator}
        self.current_id = None
        self._opened_others, self._other_index = [], {}
        if document_id is None:
            self.document = None
            self._opened, self._own_index = [], {}
            self.own, self.others = SpanIntervals(), SpanIntervals()
            self.layer_counts = {}
        else:
            if self.document is None or self.document.id != document_id:
                self.document = project.document(document_id)
            rows = project.span_extents(document_id, self.annotator)
            self._opened, self._own_index = rows, None
            self.own = SpanIntervals(rows, self.label_order)
            self._opened_others, self._other_index = [], None
            self.others = SpanIntervals((), self.label_order)
            self.others_loaded_to = 0
            if defer_others and self.shown_layers and self.document.text:
                # Counted with the other layers once they are read: until then, your own.
                self.layer_counts = {self.annotator: len(rows)} if rows else {}
            else:
                others = project.layer_extents(document_id, sorted(self.shown_layers))
                self._opened_others, self._other_index = others, None
                self.others = SpanIntervals(others, self.label_order)
                self.others_loaded_to = len(self.document.text)
                self.layer_counts = project.layer_span_counts(document_id)
            self.structure = project.span_structure(
                document_id, [self.annotator, *sorted(self.shown_layers)]
            )
        self._pieces = {i: f for i, (f, _a) in self.structure.items() if f is not None}
        if document_id is None:
            self.structure = {}
            self._pieces = {}
        self.own.pieces = self.others.pieces = self._pieces
        self.sig_reset.emit()

    def load_others(self, until: int | None = None) -> bool:
        """Read the shown other layers' spans starting before ``until`` (None: all of them)
        that are not read yet; True once every one is. Tells ``sig_others_loaded`` when this
        read the last of them."""
        document = self.document
        if document is None or self.others_complete:
            return True
        end = len(document.text)
        stop = end if until is None else min(until, end)
        if stop <= self.others_loaded_to:
            return False
        rows = self.project.layer_extents(
            document.id,
            sorted(self.shown_layers),
            (self.others_loaded_to, None if stop >= end else stop),
        )
        self.others_loaded_to = end if stop >= end else stop
        if self._other_index is None:
            self._opened_others.extend(rows)
        else:
            self._other_index.update((row[3], row) for row in rows)
        self.others.extend(rows)
        if not self.others_complete:
            return False
        counts = self.project.layer_span_counts(document.id)
        counts[self.annotator] = len(self._opened if self._own_index is None else self._own_index)
        for layer in self.shown_layers:
            counts[layer] = 0
        for row in self.loaded_other_spans():
            counts[row[5]] += 1
        self.layer_counts = {k: v for k, v in counts.items() if v > 0}
        self.sig_others_loaded.emit()
        self.sig_counts_changed.emit()
        return True

    def show_layers(self, layers: Iterable[str]) -> None:
        """Show these other layers beside the editable one (read again from the project)."""
        wanted = frozenset(layers) - {self.annotator}
        if wanted != self.shown_layers and self.document is not None:
            current = self.current_id
            self.open(self.document.id, shown_layers=wanted)
            if current is not None and self.find(current) is not None:
                self.set_current(current)
        else:
            self.shown_layers = wanted

    def set_current(self, span_id: str | None) -> None:
        found = self.find(span_id)
        new = SpanId(span_id) if found is not None and span_id is not None else None
        if new != self.current_id:
            self.current_id = new
            self.sig_current_changed.emit(new)

    def apply_events(self, events: Sequence[Event]) -> bool:
        """Bring the spans up to date with events committed since the last look.

        Returns False when an event concerned this document in a way the model cannot follow
        span by span (a kind it does not know): it then re-read the document instead.
        """
        document = self.document
        if document is None:
            return True
        if not self.others_complete and any(e.document_id == document.id for e in events):
            self.load_others()  # applied to a partial read, a later part could hold a span twice
        removed: list[LayerSpan] = []
        added: list[LayerSpan] = []
        counts_changed = False
        for event in events:
            if event.document_id != document.id:
                continue
            if event.kind not in SPAN_EVENT_KINDS:
                if event.kind not in _SPANLESS_KINDS:
                    self._reread()
                    return False
                continue
            span_id = event.subject or (event.after or event.before or {}).get("id")
            if span_id is None:
                continue
            if event.before is not None:
                gone = self._forget(span_id)
                if gone is not None:
                    removed.append(gone)
                layer = event.before.get("annotator", self.annotator)
                self.layer_counts[layer] = self.layer_counts.get(layer, 1) - 1
                counts_changed = True
            if event.after is not None:
                layer = event.after.get("annotator", self.annotator)
                self.layer_counts[layer] = self.layer_counts.get(layer, 0) + 1
                counts_changed = True
                self._forget(span_id)  # seen twice: never hold a span twice
                self._remember_structure(span_id, event.after)
                row = shown_from_fields(span_id, event.after)
                if layer == self.annotator:
                    self._own()[span_id] = row
                    self.own.add(row)
                elif layer in self.shown_layers:
                    self._others()[span_id] = (*row, layer)
                    self.others.add((*row, layer))
                else:
                    continue
                added.append((layer, row))
        if removed or added:
            touched = [row for _, row in removed + added]
            start = min(row[0] for row in touched)
            end = max(row[1] for row in touched)
            self.sig_spans_changed.emit(removed, added, start, end)
            if self.current_id is not None and self.find(self.current_id) is None:
                self.current_id = None
                self.sig_current_changed.emit(None)
        if counts_changed:
            self.layer_counts = {k: v for k, v in self.layer_counts.items() if v > 0}
            self.sig_counts_changed.emit()
        return True

    def _remember_structure(self, span_id: str, fields: dict[str, Any]) -> None:
        fragments = fields.get("fragments")
        attributes = fields.get("attributes")
        if fragments or attributes:
            pieces = tuple((s, e) for s, e in fragments) if fragments else None
            self.structure[span_id] = (pieces, AttributeValues(attributes))
            if pieces is not None:
                self._pieces[span_id] = pieces

    def _forget(self, span_id: str) -> LayerSpan | None:
        self.structure.pop(span_id, None)
        self._pieces.pop(span_id, None)
        own = self._own().pop(span_id, None)
        if own is not None:
            self.own.remove(own)
            return self.annotator, own
        other = self._others().pop(span_id, None)
        if other is None:
            return None
        self.others.remove(other)
        return other[5], other[:5]

    def _reread(self) -> None:
        assert self.document is not None
        current = self.current_id
        self.open(self.document.id)
        if current is not None:
            self.set_current(current)
