"""Audit events in words, for ``claimmark audit log`` and the GUI's history panel."""

from __future__ import annotations

from .model import Event


def _span(values: dict) -> str:
    return f"{values['label']} {values['start']}-{values['end']} {values['text']!r}"


def describe_event(event: Event, *, with_document: bool = True) -> str:
    """One line; ``with_document=False`` leaves out the document id (a span's own history)."""
    before, after, kind = event.before, event.after, event.kind
    where = f" in {event.document_id}" if with_document else ""
    if kind == "document_imported":
        spans = len(after["spans"])
        return f"imported document {event.document_id} {after['title']!r} ({spans} spans)"
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
        return f"{verb} span {_span(after)}{where}"
    if kind == "span_deleted":
        return f"deleted span {_span(before)}{where}"
    if kind == "span_relabelled":
        return f"relabelled span {before['label']} -> {after['label']} {after['text']!r}"
    if kind == "span_resized":
        return f"resized span {_span(before)} -> {after['start']}-{after['end']} {after['text']!r}"
    if kind == "span_noted":
        return f"note on {_span(after)}: {before['note']!r} -> {after['note']!r}"
    if kind == "span_updated":
        return f"changed span {_span(before)} -> {_span(after)} note {after['note']!r}"
    return kind
