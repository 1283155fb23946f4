"""Proving a project's history: the hash chain, and a replay of every event from nothing.

The chain shows that no event was edited, removed, inserted or reordered; the replay shows that the
current documents (with their titles and metadata), labels, annotators, spans and statuses are
exactly what the events produce, so a change made behind claimmark's back (without its event) is
found too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .attributes import AttributeDefinition, checked_values
from .event_kinds import Effect, EventKind
from .events import GENESIS_HASH, event_hash
from .fragments import fragments_problem
from .import_event import imported_spans
from .model import (
    RELATION_EVENT_FIELDS,
    SPAN_EVENT_FIELDS,
    SPAN_FIELD_DEFAULTS,
    Document,
    InvariantError,
    span_values,
)
from .project import Project

#: What the replay compares of a span: everything its events record except its id (the key).
_SPAN_FIELDS = tuple(name for name in SPAN_EVENT_FIELDS if name != "id")
_LABEL_FIELDS = ("name", "color", "hotkey", "description", "source_name")
_RELATION_TYPE_FIELDS = (
    "name",
    "color",
    "hotkey",
    "description",
    "from_labels",
    "to_labels",
    "source_name",
)
#: What the replay compares of a relation: everything its events record except its id.
_RELATION_FIELDS = tuple(name for name in RELATION_EVENT_FIELDS if name != "id")
#: What a document's import event records besides its text's hash: a forged title, source or
#: metadata would reach every export, so the replay compares them too.
_DOCUMENT_FIELDS = ("title", "source", "meta", "imported_at", "length")


@dataclass(frozen=True)
class Anchor:
    """A head of the chain recorded earlier (in an export's provenance, or published).

    ``events`` is how many events the chain had then; None when only the hash is known.
    """

    hash: str
    events: int | None = None
    source: str = "--head"


@dataclass
class Verification:
    events: int = 0
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    head_hash: str = GENESIS_HASH
    #: One line per anchor found in the chain.
    anchored: list[str] = field(default_factory=list)
    #: Where the anchors' hashes were met in the chain.
    seq_of_hash: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _State:
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: label keys in the label bar's order (a label is added last; a reorder sets it)
    label_order: list[str] = field(default_factory=list)
    annotators: dict[str, str] = field(default_factory=dict)  # name -> layer kind
    spans: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Standing rejections: (document, start, end, label, fragments). They live only in the
    #: log, so the replay checks that each decision follows from the ones before it.
    rejections: set[tuple[str, int, int, str, Any]] = field(default_factory=set)
    #: "label.name" -> the attribute definition as its event records it.
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    relation_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    relations: dict[str, dict[str, Any]] = field(default_factory=dict)


def verify(project: Project, anchors: Sequence[Anchor] = ()) -> Verification:
    """Check the chain, replay it, and compare with the current data, all in one snapshot.

    Each anchor must still be part of the chain: the event at its count carries its hash. The
    chain links every event to the one before, so that proves nothing up to it was truncated,
    rewritten or wiped since the anchor was recorded.
    """
    with project.read_snapshot():
        result = _verify(project, {anchor.hash for anchor in anchors})
    if result.ok:
        _check_anchors(anchors, result)
    return result


def _check_anchors(anchors: Sequence[Anchor], result: Verification) -> None:
    for anchor in anchors:
        if anchor.events == 0 or (anchor.events is None and anchor.hash == GENESIS_HASH):
            result.anchored.append(f"{anchor.source}: the empty history is part of every chain")
            continue
        found = result.seq_of_hash.get(anchor.hash)
        if anchor.events is not None and anchor.events > result.events:
            result.problems.append(
                f"{anchor.source}: recorded {anchor.events} events, but the history now has only"
                f" {result.events} (events were removed since)"
            )
        elif found is None:
            where = "" if anchor.events is None else f" as event {anchor.events}"
            result.problems.append(
                f"{anchor.source}: head {anchor.hash}{where} is not in the history"
                " (the history was rewritten or replaced since)"
            )
        elif anchor.events is not None and found != anchor.events:
            result.problems.append(
                f"{anchor.source}: head {anchor.hash} is event {found}, not event"
                f" {anchor.events} as recorded (the history was rewritten since)"
            )
        else:
            line = f"event {found} ({anchor.hash}) is in the chain"
            result.anchored.append(f"{anchor.source}: {line}")


def _verify(project: Project, wanted_hashes: set[str]) -> Verification:
    result = Verification()
    state = _State()
    previous = GENESIS_HASH
    for index, event in enumerate(project.raw_events(), start=1):
        result.events = index
        seq = event["seq"]
        if seq != index:
            result.problems.append(f"event {seq}: expected event {index} here (events missing?)")
            return result
        if event["prev_hash"] != previous:
            result.problems.append(
                f"event {seq}: its previous-hash does not match event {seq - 1}"
                " (an event was removed, inserted or edited)"
            )
            return result
        if event_hash(event) != event["hash"]:
            result.problems.append(
                f"event {seq} ({event['kind']}): content does not match its hash"
            )
            return result
        previous = event["hash"]
        if previous in wanted_hashes:
            result.seq_of_hash[previous] = seq
        try:
            event["before"], event["after"] = (
                json.loads(v) if v is not None else None for v in (event["before"], event["after"])
            )
            problem = _replay(state, event, partial(_imported_text, project, event))
        except (ValueError, KeyError, TypeError) as exc:
            problem = f"cannot be replayed ({exc!r})"
        if problem:
            result.problems.append(f"event {seq} ({event['kind']}): {problem}")
            return result
    result.head_hash = previous
    _compare(project, state, result)
    result.counts = {
        "documents": len(state.documents),
        "labels": len(state.labels),
        "spans": len(state.spans),
        "relations": len(state.relations),
    }
    return result


def _imported_text(project: Project, event: dict[str, Any]) -> str | None:
    """The text an import event names by its hash, from the project; None if it is not there."""
    if not project.has_document(event["document_id"]):
        return None
    text = project.document(event["document_id"]).text
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != event["doc_sha256"]:
        return None
    return text


def _replay(
    state: _State, event: dict[str, Any], imported_text: Callable[[], str | None]
) -> str | None:
    subject, doc = event["subject"], event["document_id"]
    before, after = event["before"], event["after"]
    try:
        effect = EventKind.of(event["kind"]).effect
    except ValueError:
        return "unknown kind of event"
    if effect is Effect.ANNOTATOR:
        state.annotators[subject] = after.get("kind", "person")  # older events knew persons only
    elif effect is Effect.LABEL:
        state.labels[subject] = {k: after.get(k) for k in _LABEL_FIELDS}
        if subject not in state.label_order:
            state.label_order.append(subject)
    elif effect in (Effect.LABEL_CHANGE, Effect.LABEL_REMOVE, Effect.LABEL_ORDER):
        return _replay_schema(state, effect, subject, before, after)
    elif effect is Effect.ATTRIBUTE:
        state.attributes[subject] = AttributeDefinition.from_json(after).as_json()
    elif effect in (Effect.ATTRIBUTE_CHANGE, Effect.ATTRIBUTE_REMOVE):
        if state.attributes.get(subject) != AttributeDefinition.from_json(before).as_json():
            return f"attribute {subject} did not exist as recorded before this change"
        if effect is Effect.ATTRIBUTE_CHANGE:
            state.attributes[subject] = AttributeDefinition.from_json(after).as_json()
        else:
            label, name = before["label"], before["name"]
            held = sum(
                1
                for span in state.spans.values()
                if span["label"] == label and name in (span.get("attributes") or {})
            )
            if held:
                return f"attribute {subject} is removed while {held} spans hold a value of it"
            del state.attributes[subject]
    elif effect is Effect.DOCUMENT:
        state.documents[doc] = {
            "sha256": event["doc_sha256"],
            **{k: after[k] for k in _DOCUMENT_FIELDS},
        }
        text = None
        for span in imported_spans(after):
            if "text" not in span and text is None:
                text = imported_text()
                if text is None:
                    return "the document whose hash it records is not in the project"
            state.spans[span["id"]] = _imported_span(span, doc, after.get("spans_at"), text)
        for relation in after.get("relations", ()):
            state.relations[relation["id"]] = _relation(
                {"created_at": after.get("spans_at")} | relation, doc
            )
    elif effect is Effect.SPAN_INSERT:
        if subject in state.spans:
            return f"span {subject} already exists"
        state.spans[subject] = _span(after, doc)
    elif effect is Effect.SPAN_DELETE:
        if state.spans.pop(subject, None) != _span(before, doc):
            return f"span {subject} did not exist as recorded before its deletion"
    elif effect is Effect.SPAN_UPDATE:
        if state.spans.get(subject) != _span(before, doc):
            return f"span {subject} did not exist as recorded before this change"
        state.spans[subject] = _span(after, doc)
    elif effect is Effect.RELATION_TYPE:
        state.relation_types[subject] = {k: after.get(k) for k in _RELATION_TYPE_FIELDS}
    elif effect in (Effect.RELATION_TYPE_CHANGE, Effect.RELATION_TYPE_REMOVE):
        if state.relation_types.get(subject) != {k: before.get(k) for k in _RELATION_TYPE_FIELDS}:
            return f"relation type {subject} did not exist as recorded before this change"
        if effect is Effect.RELATION_TYPE_CHANGE:
            state.relation_types[subject] = {k: after.get(k) for k in _RELATION_TYPE_FIELDS}
        else:
            used = sum(1 for r in state.relations.values() if r["type"] == subject)
            if used:
                return f"relation type {subject} is removed while {used} relations have it"
            del state.relation_types[subject]
    elif effect is Effect.RELATION_INSERT:
        if subject in state.relations:
            return f"relation {subject} already exists"
        state.relations[subject] = _relation(after, doc)
    elif effect is Effect.RELATION_DELETE:
        if state.relations.pop(subject, None) != _relation(before, doc):
            return f"relation {subject} did not exist as recorded before its deletion"
    elif effect is Effect.STATUS:
        if after["status"] is None:
            state.statuses.pop((doc, subject), None)
        else:
            state.statuses[(doc, subject)] = after["status"]
    elif effect is Effect.DECISION:
        return _replay_decision(state, event)
    # Effect.RECORD changes no data (a merge's source file and conflicts): nothing to replay.
    return None


def _replay_decision(state: _State, event: dict[str, Any]) -> str | None:
    """A rejection needs its document and must not already stand; a withdrawal needs one."""
    doc = event["document_id"]
    if doc not in state.documents:
        return f"document {doc} does not exist"
    rejected = EventKind.of(event["kind"]) is EventKind.CANDIDATE_REJECTED
    values = event["after"] if rejected else event["before"]
    pieces = values.get("fragments")
    key = (
        doc,
        values["start"],
        values["end"],
        values["label"],
        None if pieces is None else tuple(map(tuple, pieces)),
    )
    if rejected == (key in state.rejections):
        what = "already rejected" if rejected else "not rejected"
        return f"candidate {values['start']}-{values['end']}:{values['label']} was {what}"
    if rejected:
        state.rejections.add(key)
    else:
        state.rejections.discard(key)
    return None


def _replay_schema(
    state: _State, effect: Effect, subject: str, before: Any, after: Any
) -> str | None:
    """A label changed, removed or reordered: each records what it found, which must be what
    the events so far made."""
    if effect is Effect.LABEL_ORDER:
        if before["order"] != state.label_order:
            return "the label order it records before the change is not what the events made"
        if sorted(after["order"]) != sorted(state.label_order):
            return "the new order does not name every label once"
        state.label_order = list(after["order"])
        return None
    if state.labels.get(subject) != {k: before.get(k) for k in _LABEL_FIELDS}:
        return f"label {subject} did not exist as recorded before this change"
    if effect is Effect.LABEL_CHANGE:
        state.labels[subject] = {k: after.get(k) for k in _LABEL_FIELDS}
        return None
    used = sum(1 for span in state.spans.values() if span["label"] == subject)
    if used:
        return f"label {subject} is removed while {used} spans still carry it"
    del state.labels[subject]
    state.label_order.remove(subject)
    return None


def _cut(text: str | None, start: int, end: int) -> str:
    assert text is not None  # _replay fetches the text before a span that does not carry its own
    return text[start:end]


def _imported_span(
    values: dict[str, Any], document_id: str, spans_at: str | None, text: str | None
) -> dict[str, Any]:
    """A span as an import event records it: in full (events before 2026-12), or without what
    the event holds already (see ``document_store._span_rows`` and ``import_event``)."""
    created = values.get("created_at", spans_at)
    start, end = values["start"], values["end"]
    return {
        "document_id": document_id,
        "label": values["label"],
        "start": start,
        "end": end,
        "text": values["text"] if "text" in values else _cut(text, start, end),
        "annotator": values["annotator"],
        "note": values.get("note"),
        "created_at": created,
        "updated_at": values.get("updated_at", created),
        "fragments": values.get("fragments"),
        "attributes": values.get("attributes", {}),
    }


def _relation(values: dict[str, Any], document_id: str) -> dict[str, Any]:
    return {"document_id": document_id, **{k: values[k] for k in _RELATION_FIELDS}}


def _span(values: dict[str, Any], document_id: str) -> dict[str, Any]:
    """A span as its event records it; events from before a field existed lack it."""
    return {
        "document_id": document_id,
        **{
            k: values[k] if k not in SPAN_FIELD_DEFAULTS else values.get(k, SPAN_FIELD_DEFAULTS[k])
            for k in _SPAN_FIELDS
        },
    }


def _structure_problem(project: Project, definitions: dict[str, dict[str, Any]]) -> str | None:
    """The first span whose stored fragments or attributes are not what claimmark writes: not
    JSON, pieces out of order or outside the span, values that break their label's rules.

    Read from the raw columns: a hand edit can put anything there, and reading it as a span
    would fail before it could be reported.
    """
    by_label: dict[str, dict[str, AttributeDefinition]] = {}
    for values in definitions.values():
        definition = AttributeDefinition.from_json(values)
        by_label.setdefault(definition.label, {})[definition.name] = definition
    for span_id, label, start, end, fragments, attributes in project.span_store.structure_rows():
        try:
            pieces = json.loads(fragments) if fragments is not None else None
            values = json.loads(attributes)
        except ValueError:
            return f"span {span_id}: its fragments or attributes are not valid JSON"
        if pieces is not None and (problem := fragments_problem(pieces, start, end)):
            return f"span {span_id}: {problem}"
        if not isinstance(values, dict):
            return f"span {span_id}: its attributes are not a JSON object"
        try:
            checked_values(by_label.get(label, {}), label, values)
        except InvariantError as exc:
            return f"span {span_id}: {exc}"
    return None


#: Documents whose spans are read in one query when their texts are checked.
_TEXT_CHECK_BATCH = 200


def _span_texts_match(project: Project, documents: list[Document], result: Verification) -> bool:
    """Every span's text is its document's text at its offsets.

    The file checks this itself only when a span is updated (see schema ``_M002``); an inserted
    span is checked by claimmark before it is written, and here, after the fact, for any writer.
    """
    spans = project.spans_by_document([d.id for d in documents])
    for document in documents:
        for span in spans.get(document.id, ()):
            if document.text[span.start : span.end] != span.text:
                result.problems.append(
                    f"span {span.id}: its text is not the document's text at its offsets"
                )
                return False
    return True


def _compare(project: Project, state: _State, result: Verification) -> None:
    def mismatch(what: str, replayed: dict, current: dict) -> None:
        for key in sorted(set(replayed) | set(current), key=str):
            if replayed.get(key) != current.get(key):
                if key not in current:
                    result.problems.append(f"{what} {key}: in the history but not in the project")
                elif key not in replayed:
                    result.problems.append(f"{what} {key}: in the project but no event created it")
                else:
                    now, then = current[key], replayed[key]
                    if isinstance(now, dict) and isinstance(then, dict):
                        fields = sorted(k for k in now if now[k] != then.get(k))
                        detail = f" ({', '.join(fields)})"
                    else:
                        detail = f" ({then!r} in the history, {now!r} in the project)"
                    result.problems.append(
                        f"{what} {key}: differs from what its events record{detail}"
                    )
                return

    problem = _structure_problem(project, state.attributes)
    if problem:
        result.problems.append(problem)
        return
    current_docs = {}
    lengths = project.document_lengths()
    batch: list[Document] = []
    for document in project.iter_documents():
        actual = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        if actual != document.sha256:
            result.problems.append(f"document {document.id}: text does not match its SHA-256")
            return
        current_docs[document.id] = {
            "sha256": document.sha256,
            "title": document.title,
            "source": document.source,
            "meta": document.meta,
            "imported_at": document.imported_at,
            "length": lengths[document.id],
        }
        batch.append(document)
        if len(batch) == _TEXT_CHECK_BATCH:
            if not _span_texts_match(project, batch, result):
                return
            batch.clear()
    if not _span_texts_match(project, batch, result):
        return
    mismatch("document", state.documents, current_docs)
    labels = {
        label.key: {k: getattr(label, k) for k in _LABEL_FIELDS} for label in project.labels()
    }
    mismatch("label", state.labels, labels)
    order = [label.key for label in project.labels()]
    if not result.problems and order != state.label_order:
        result.problems.append(
            f"label order: {', '.join(order)} in the project, {', '.join(state.label_order)}"
            " in the history (the labels were reordered without an event)"
        )
    mismatch(
        "attribute",
        state.attributes,
        {f"{d.label}.{d.name}": d.as_json() for d in project.attribute_definitions()},
    )
    mismatch(
        "annotator",
        state.annotators,
        {layer.name: layer.kind for layer in project.layers()},
    )
    spans = {}
    for s in project.spans():
        values = span_values(s)
        spans[s.id] = {"document_id": s.document_id, **{k: values[k] for k in _SPAN_FIELDS}}
    mismatch("span", state.spans, spans)
    statuses = {
        (document_id, annotator): status
        for document_id in current_docs
        for annotator, status in project.statuses(document_id).items()
    }
    mismatch("status", state.statuses, statuses)
    relation_types = {
        t.key: {
            k: list(v) if isinstance(v := getattr(t, k), tuple) else v
            for k in _RELATION_TYPE_FIELDS
        }
        for t in project.relation_types()
    }
    mismatch("relation type", state.relation_types, relation_types)
    relations = {
        r.id: {"document_id": r.document_id, **{k: getattr(r, k) for k in _RELATION_FIELDS}}
        for relations_of in project.relations_by_document(list(current_docs)).values()
        for r in relations_of
    }
    mismatch("relation", state.relations, relations)
