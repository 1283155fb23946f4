"""Audit events in words, for ``claimmark audit log`` and the GUI's history panel.

Quoted text is shown as text: an emoji ZWJ sequence is one emoji and Hebrew stays Hebrew
(``repr`` would print ``\\u200d`` and friends). Only what could forge or reorder a line is
escaped: control characters (line breaks, tabs, terminal escapes), line and paragraph
separators, bidirectional embedding/override/isolate controls and lone surrogates, plus the
backslash itself so an escape can always be told from text that reads like one.
"""

from __future__ import annotations

import unicodedata

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


def describe_event(event: Event, *, with_document: bool = True) -> str:
    """One line; ``with_document=False`` leaves out the document id (a span's own history)."""
    before, after, kind = event.before, event.after, event.kind
    where = f" in {event.document_id}" if with_document else ""
    if kind == "document_imported":
        spans = len(after["spans"])
        return f"imported document {event.document_id} {quoted(after['title'])} ({spans} spans)"
    if kind == "label_added":
        return f"added label {after['key']} ({after['name']}, {after['color']})"
    if kind == "annotator_added":
        return f"annotator {event.subject} joined"
    if kind == "status_changed":
        return (
            f"document {event.document_id} status {before['status'] or 'not started'}"
            f" -> {after['status'] or 'not started'}"
        )
    if kind in ("span_created", "span_restored"):
        verb = "created" if kind == "span_created" else "restored"
        origin = after.get("copied_from")
        copied = f" (copied from {origin['annotator']}'s layer)" if origin else ""
        return f"{verb} span {_span(after)}{where}{copied}"
    if kind == "span_deleted":
        return f"deleted span {_span(before)}{where}"
    if kind == "span_relabelled":
        return f"relabelled span {before['label']} -> {after['label']} {quoted(after['text'])}"
    if kind == "span_resized":
        moved = f"{after['start']}-{after['end']} {quoted(after['text'])}"
        return f"resized span {_span(before)} -> {moved}"
    if kind == "span_noted":
        return f"note on {_span(after)}: {quoted(before['note'])} -> {quoted(after['note'])}"
    if kind == "span_updated":
        return f"changed span {_span(before)} -> {_span(after)} note {quoted(after['note'])}"
    return kind
