"""Audit events in words, for ``claimmark audit log`` and the GUI's history panel.

One sentence per ``EventKind`` (a test checks that every kind has one).

Quoted text is shown as text: an emoji ZWJ sequence is one emoji and Hebrew stays Hebrew
(``repr`` would print ``\\u200d`` and friends). Only what could forge or reorder a line is
escaped: control characters (line breaks, tabs, terminal escapes), line and paragraph
separators, bidirectional embedding/override/isolate controls and lone surrogates, plus the
backslash itself so an escape can always be told from text that reads like one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from .event_kinds import EventKind
from .model import Event

#: Bidi controls that reorder what follows them on the line (LRE…RLO, LRI…PDI).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escaped(ch: str) -> str:
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs"):
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def quoted(text: str | None) -> str:
    """``text`` in single quotes, readable, with line-forging characters escaped."""
    if text is None:
        return "None"  # a note that is not there, as the log has always written it
    return "'" + "".join(map(_escaped, text)) + "'"


def _span(values: dict) -> str:
    return f"{values['label']} {values['start']}-{values['end']} {quoted(values['text'])}"


def _pieces(values: dict) -> str:
    """``12-20`` or, for a discontinuous span, ``12-20;25-31``."""
    fragments = values.get("fragments")
    if not fragments:
        return f"{values['start']}-{values['end']}"
    return ";".join(f"{s}-{e}" for s, e in fragments)


def _values(values: dict) -> str:
    shown = values.get("attributes") or {}
    return ", ".join(f"{k} {quoted(str(v)) if isinstance(v, str) else v}" for k, v in shown.items())


def _dropped(event: Event) -> str:
    """Attributes a relabel dropped (the new label does not have them)."""
    before = event.before.get("attributes") or {}
    after = event.after.get("attributes") or {}
    gone = [name for name in before if name not in after]
    return f" (dropped attributes {', '.join(gone)})" if gone else ""


def _layer(values: dict, event: Event) -> str:
    """Names the layer when it is not the performer's own (adjudication, say)."""
    layer = values.get("annotator")
    return f" in {layer}'s layer" if layer and layer != event.annotator else ""


def _origin(values: dict) -> str:
    origin = values.get("copied_from")
    return f" (copied from {origin['annotator']}'s layer)" if origin else " into own layer"


def _status(event: Event) -> str:
    before, after = event.before["status"], event.after["status"]
    whose = f" for {event.subject}" if event.subject != event.annotator else ""
    return (
        f"document {event.document_id} status {before or 'not started'}"
        f" -> {after or 'not started'}{whose}"
    )


def _who(sources: list[dict] | None) -> str:
    names = sorted({source["annotator"] for source in sources or ()})
    return ", ".join(names) if names else "nobody"


def _reason(values: dict | None) -> str:
    reason = (values or {}).get("reason")
    return f"; reason {quoted(reason)}" if reason else ""


def _adjudicated(event: Event, where: str) -> str:
    decided = event.after.get("adjudication") or {}
    candidate = decided.get("candidate")
    if candidate is None:
        origin = " (proposed by nobody)"
    elif decided.get("edited"):
        origin = (
            f" (edited from {candidate['label']} {candidate['start']}-{candidate['end']},"
            f" proposed by {_who(decided.get('sources'))})"
        )
    else:
        origin = f" (proposed by {_who(decided.get('sources'))})"
    return f"accepted span {_span(event.after)}{where} into gold{origin}{_reason(decided)}"


def _decision(verb: str, values: dict, where: str) -> str:
    return (
        f"{verb} candidate {_span(values)}{where}"
        f" (proposed by {_who(values.get('sources'))}){_reason(values)}"
    )


def _unquoted(text: str) -> str:
    """A sentence claimmark wrote around names from a file: escaped like quoted text, without
    the quotes (it quotes what it names itself)."""
    return "".join(map(_escaped, text))


def _merged(values: dict) -> str:
    """Where a merged record came from: the file (the event's performer merged it)."""
    origin = values.get("merged_from") or {}
    return f" from {quoted(origin.get('file'))}" if origin else ""


def _merged_span(event: Event, where: str) -> str:
    after = event.after
    return (
        f"merged span {_span(after)}{where} into {after['annotator']}'s layer"
        f" (made by {after['annotator']} at {after['created_at']}){_merged(after)}"
    )


def _project_merged(event: Event) -> str:
    after = event.after
    history = "history verified" if after["verified"] else "history NOT verified"
    if after.get("allow_unverified"):
        history += ", --allow-unverified"
    return (
        f"merged project file {quoted(after['file'])} (project {after['project_uuid']},"
        f" {after['events']} events, head {after['head_hash']}, {history}):"
        f" {after['documents_new']} new documents, {after['spans_added']} spans added,"
        f" {after['statuses_added']} statuses, {after['conflicts']} conflicts"
    )


def _relation(values: dict) -> str:
    ends = []
    for end in ("from", "to"):
        shown = values.get(f"{end}_shown")
        span_id = values[f"{end}_span"]
        ends.append(f"{shown['label']} {quoted(shown['text'])}" if shown else f"span {span_id}")
    return f"{ends[0]} -{values['type']}-> {ends[1]}"


def _label_changed(event: Event) -> str:
    before, after = event.before, event.after
    parts = []
    for name in ("name", "color", "hotkey", "description"):
        if before.get(name) != after.get(name):
            old, new = before.get(name), after.get(name)
            if name in ("name", "description"):
                old, new = quoted(old), quoted(new)
            parts.append(f"{name} {old or 'none'} -> {new or 'none'}")
    return f"changed label {event.subject}: {'; '.join(parts) or 'nothing'} (schema change)"


def _label_removed(event: Event) -> str:
    target = (event.after or {}).get("spans_moved_to")
    moved = (event.after or {}).get("spans_moved", 0)
    spans = "span" if moved == 1 else "spans"
    where = f"; its {moved} {spans} moved to {target}" if target else " (unused)"
    return f"removed label {event.subject} {quoted(event.before['name'])}{where} (schema change)"


def _span_moved(event: Event, where: str) -> str:
    return (
        f"moved {event.before['annotator']}'s span {_span(event.before)}{where}"
        f" to label {event.after['label']} (schema change)"
    )


def _span_merged(event: Event, where: str) -> str:
    return (
        f"merged {event.before['annotator']}'s span {_span(event.before)}{where}"
        f" into their identical span {event.before.get('duplicate_of')} of the label it was"
        " moved to (schema change)"
    )


def _relation_type_changed(event: Event) -> str:
    before, after = event.before, event.after
    parts = []
    for name in ("name", "color", "hotkey", "description", "from_labels", "to_labels"):
        old, new = before.get(name), after.get(name)
        if old != new:
            if name in ("name", "description"):
                old, new = quoted(old), quoted(new)
            elif name.endswith("labels"):
                old, new = ", ".join(old) or "any", ", ".join(new) or "any"
            parts.append(f"{name} {old or 'none'} -> {new or 'none'}")
    return f"changed relation type {event.subject}: {'; '.join(parts)} (schema change)"


def _attribute_changed(event: Event) -> str:
    before, after = event.before, event.after
    parts = []
    for name in ("kind", "choices", "minimum", "maximum", "allow_range", "allow_unknown"):
        if before.get(name) != after.get(name):
            parts.append(f"{name} {before.get(name)} -> {after.get(name)}")
    if before.get("description") != after.get("description"):
        parts.append(
            f"description {quoted(before.get('description'))} -> {quoted(after.get('description'))}"
        )
    return f"changed attribute {event.subject}: {'; '.join(parts)} (schema change)"


def _attribute_value_dropped(event: Event, where: str) -> str:
    gone = sorted(
        set(event.before.get("attributes") or {}) - set(event.after.get("attributes") or {})
    )
    return (
        f"dropped {', '.join(gone)} of {event.before['annotator']}'s span {_span(event.before)}"
        f"{where} (schema change: attribute removed)"
    )


_Sentence = Callable[[Event, str], str]

SENTENCES: dict[EventKind, _Sentence] = {
    EventKind.DOCUMENT_IMPORTED: lambda e, _: (
        f"imported document {e.document_id} {quoted(e.after['title'])}"
        f" ({len(e.after['spans'])} spans"
        + (f", {len(e.after['relations'])} relations)" if e.after.get("relations") else ")")
    ),
    EventKind.LABEL_ADDED: lambda e, _: (
        f"added label {e.after['key']} ({e.after['name']}, {e.after['color']})"
    ),
    EventKind.LABEL_CHANGED: lambda e, _: _label_changed(e),
    EventKind.ATTRIBUTE_CHANGED: lambda e, _: _attribute_changed(e),
    EventKind.ATTRIBUTE_REMOVED: lambda e, _: (
        f"removed attribute {e.subject}"
        + (
            f"; {e.after['values_dropped']} spans' values dropped"
            if e.after.get("values_dropped")
            else " (no span held a value)"
        )
        + " (schema change)"
    ),
    EventKind.SPAN_ATTRIBUTE_DROPPED: _attribute_value_dropped,
    EventKind.RELATION_TYPE_CHANGED: lambda e, _: _relation_type_changed(e),
    EventKind.RELATION_TYPE_REMOVED: lambda e, _: (
        f"removed relation type {e.subject} {quoted(e.before['name'])} (schema change)"
    ),
    EventKind.LABEL_REMOVED: lambda e, _: _label_removed(e),
    EventKind.LABELS_REORDERED: lambda e, _: (
        f"reordered labels: {', '.join(e.after['order'])} (schema change)"
    ),
    EventKind.SPAN_MOVED_TO_LABEL: _span_moved,
    EventKind.SPAN_MERGED_BY_SCHEMA: _span_merged,
    EventKind.ANNOTATOR_ADDED: lambda e, _: (
        f"annotator {e.subject} joined"
        if e.after.get("kind", "person") == "person"
        else f"{e.after['kind']} layer {e.subject} created"
    ),
    EventKind.STATUS_CHANGED: lambda e, _: _status(e),
    EventKind.PROJECT_MERGED: lambda e, _: _project_merged(e),
    EventKind.MERGE_CONFLICT: lambda e, _: (
        f"merge conflict with {quoted(e.after['file'])}: {_unquoted(e.after['record'])}:"
        f" {_unquoted(e.after['detail'])}"
    ),
    EventKind.LABEL_MERGED: lambda e, _: (
        f"merged label {e.after['key']} ({e.after['name']}, {e.after['color']}){_merged(e.after)}"
    ),
    EventKind.ANNOTATOR_MERGED: lambda e, _: (
        f"merged {e.after['kind']} layer {e.subject}{_merged(e.after)}"
    ),
    EventKind.DOCUMENT_MERGED: lambda e, _: (
        f"merged document {e.document_id} {quoted(e.after['title'])}"
        f" (imported {e.after['imported_at']}){_merged(e.after)}"
    ),
    EventKind.SPAN_MERGED: _merged_span,
    EventKind.STATUS_MERGED: lambda e, _: f"{_status(e)} (merged{_merged(e.after)})",
    EventKind.SPAN_CREATED: lambda e, where: (
        f"created span {_span(e.after)}{where}{_layer(e.after, e)}"
    ),
    EventKind.SPAN_COPIED: lambda e, where: (
        f"copied span {_span(e.after)}{where}{_origin(e.after)}"
    ),
    EventKind.SPAN_RESTORED: lambda e, where: (
        f"restored span {_span(e.after)}{where}{_layer(e.after, e)}"
    ),
    EventKind.SPAN_DELETED: lambda e, where: (
        f"deleted span {_span(e.before)}{where}{_layer(e.before, e)}"
    ),
    EventKind.SPAN_RELABELLED: lambda e, _: (
        f"relabelled span {e.before['label']} -> {e.after['label']} {quoted(e.after['text'])}"
        f"{_dropped(e)}"
    ),
    EventKind.SPAN_ATTRIBUTES_SET: lambda e, _: (
        f"attributes of {_span(e.after)}: {_values(e.before) or 'none'}"
        f" -> {_values(e.after) or 'none'}"
    ),
    EventKind.SPAN_EXTENDED: lambda e, _: (
        f"extended span {e.after['label']} {_pieces(e.before)} -> {_pieces(e.after)}"
        f" {quoted(e.after['text'])}"
    ),
    EventKind.SPAN_FRAGMENT_REMOVED: lambda e, _: (
        f"removed a fragment of span {e.after['label']} {_pieces(e.before)} -> {_pieces(e.after)}"
        f" {quoted(e.after['text'])}"
    ),
    EventKind.ATTRIBUTE_ADDED: lambda e, _: (
        f"added attribute {e.after['name']} ({e.after['kind']}) to label {e.after['label']}"
    ),
    EventKind.ATTRIBUTE_MERGED: lambda e, _: (
        f"merged attribute {e.after['name']} ({e.after['kind']}) of label {e.after['label']}"
        f"{_merged(e.after)}"
    ),
    EventKind.SPAN_RESIZED: lambda e, _: (
        f"resized span {_span(e.before)} -> {e.after['start']}-{e.after['end']}"
        f" {quoted(e.after['text'])}"
    ),
    EventKind.SPAN_NOTED: lambda e, _: (
        f"note on {_span(e.after)}: {quoted(e.before['note'])} -> {quoted(e.after['note'])}"
    ),
    EventKind.RELATION_TYPE_ADDED: lambda e, _: (
        f"added relation type {e.after['key']} ({e.after['name']}, {e.after['color']}):"
        f" from {', '.join(e.after['from_labels']) or 'any label'}"
        f" to {', '.join(e.after['to_labels']) or 'any label'}"
    ),
    EventKind.RELATION_TYPE_MERGED: lambda e, _: (
        f"merged relation type {e.after['key']} ({e.after['name']}, {e.after['color']})"
        f"{_merged(e.after)}"
    ),
    EventKind.RELATION_MERGED: lambda e, where: (
        f"merged link {_relation(e.after)}{where} into {e.after['annotator']}'s layer"
        f" (made by {e.after['annotator']} at {e.after['created_at']}){_merged(e.after)}"
    ),
    EventKind.RELATION_CREATED: lambda e, where: (
        f"linked {_relation(e.after)}{where}{_layer(e.after, e)}"
    ),
    EventKind.RELATION_RESTORED: lambda e, where: (
        f"restored link {_relation(e.after)}{where}{_layer(e.after, e)}"
    ),
    EventKind.RELATION_DELETED: lambda e, where: (
        f"deleted link {_relation(e.before)}{where}{_layer(e.before, e)}"
    ),
    EventKind.SPAN_UPDATED: lambda e, _: (
        f"changed span {_span(e.before)} -> {_span(e.after)} note {quoted(e.after['note'])}"
    ),
    EventKind.SPAN_ADJUDICATED: _adjudicated,
    EventKind.GOLD_SPAN_REMOVED: lambda e, where: (
        f"removed span {_span(e.before)}{where} from gold{_reason(e.before)}"
    ),
    EventKind.CANDIDATE_REJECTED: lambda e, where: _decision("rejected", e.after, where),
    EventKind.REJECTION_WITHDRAWN: lambda e, where: _decision(
        "withdrew the rejection of", e.before, where
    ),
}


def describe_event(event: Event, *, with_document: bool = True) -> str:
    """One line; ``with_document=False`` leaves out the document id (a span's own history)."""
    where = f" in {event.document_id}" if with_document else ""
    try:
        sentence = SENTENCES[EventKind.of(event.kind)]
    except ValueError:
        return event.kind
    text = sentence(event, where)
    if event.reverts is not None:
        text += " (undo or redo)"
    return text
