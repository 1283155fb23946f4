"""brat standoff: ``NAME.txt`` holds the text, ``NAME.ann`` its annotations, one per line.

Offsets are code points into the raw ``.txt`` (CR counted, so the text is decoded as bytes and
never goes through universal newlines). What each kind of line becomes:

* ``T``: a span; a discontinuous ``T1<TAB>Label 0 5;12 20<TAB>text`` one span with those
  fragments (fragments with only line breaks between them, as brat writes a span across a line
  break, are the one piece they were);
* ``A``/``M``: the span's attribute (a binary one is yes/no, a valued one a choice of the values
  brat's ``annotation.conf`` beside the file lists, else short text, unless the project defines
  the attribute already, whose rule then checks the value);
* ``#`` AnnotatorNotes: the span's note;
* ``R``: a relation of the brat type, from the first argument to the second;
* ``E``: an event is its trigger span plus one relation per argument, from the trigger to the
  argument, typed by the role (an argument that is an event points at that event's trigger);
  the export writes them back as the event;
* ``*`` Equiv (or another ``*`` type): a chain of relations of that type between its spans,
  written back as one ``*`` line;
* ``N`` normalisations: kept as text in the note of their span, said in a warning (claimmark has
  no normalisations); notes of other types than AnnotatorNotes: ``Type: text`` in the note.

What claimmark's keys cannot hold of brat's names (attribute names, roles other than ``Arg1``/
``Arg2``, which labels were events, note types) is kept in the document's ``meta["brat"]``, from
which the brat export writes the file back as it came. What cannot be represented (two events on
one trigger, an annotation of something that is not there) is a warning, never dropped unseen.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..attributes import AttributeDefinition
from ..foreign_labels import key_for_name
from ..ids import new_span_ids
from ..import_errors import Problem
from ..label_schema import generated_color
from ..model import LABEL_KEY_RE, RelationType
from ..project import NewDocument, NewRelation, NewSpan
from ..text_checks import string_problem, title_from_text
from . import brat_standoff
from .brat_standoff import Standoff
from .decoding import DecodeProblem, decode
from .foreign_spans import span_offset_problem
from .jsonl_reader import ParsedFile

_BOM = "\ufeff"
#: Where claimmark's brat export cuts a span that crosses a line break (see ``export.brat``).
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: brat's usual roles of a relation's two arguments.
DEFAULT_ROLES = ("Arg1", "Arg2")
#: The key of the document meta where the import keeps brat's names.
META_KEY = "brat"


@dataclass
class _TextBound:
    id: str
    line: int
    label: str
    fragments: list[tuple[int, int]]
    text: str
    notes: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    #: The ids of the T lines this one stands for (duplicates merged into it).
    ids: list[str] = field(default_factory=list)
    span_id: str | None = None


@dataclass
class _Link:
    """A relation between two text-bound annotations, by brat id."""

    line: int
    type: str
    source: str
    target: str


@dataclass
class _Document:
    """What one .ann says, in claimmark's terms."""

    bounds: dict[str, _TextBound] = field(default_factory=dict)
    links: list[_Link] = field(default_factory=list)
    #: Attribute (label, key) -> whether every value in the file is binary, and the values.
    binary: dict[tuple[str, str], bool] = field(default_factory=dict)
    values: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    #: brat relation type (or role) -> relation type key, and the types they make.
    type_keys: dict[str, str] = field(default_factory=dict)
    relation_types: list[RelationType] = field(default_factory=list)


def read_brat(
    txt_path: Path | None, ann_path: Path | None, *, encoding: str = "utf-8"
) -> ParsedFile:
    parsed = ParsedFile()
    if txt_path is None or not txt_path.exists():
        assert ann_path is not None
        expected = ann_path.with_suffix(".txt").name
        parsed.problems.append(
            Problem(str(ann_path), None, f"no text for these annotations: {expected} is missing")
        )
        return parsed
    text = _read(txt_path, encoding, parsed, what="file")
    if text is None:
        return parsed
    bom = text.startswith(_BOM)
    if not text.lstrip(_BOM).strip():
        parsed.problems.append(
            Problem(str(txt_path), None, "empty document: no visible characters")
        )
        return parsed
    found = _Document()
    if ann_path is not None:
        ann = _read(ann_path, encoding, parsed, what="annotation file")
        if ann is None:
            return parsed
        found = _annotations(text, ann.lstrip(_BOM), str(ann_path), parsed)
        if parsed.problems:
            return parsed
    if bom:
        # brat reads the .txt as UTF-8 and counts a byte-order mark as a character; claimmark
        # drops it (as for every text file), so every offset moves one to the left with it.
        text = text[1:]
        _without_bom(found)
        if ann_path is not None:
            parsed.warnings.append(
                Problem(str(txt_path), None, "byte-order mark dropped; offsets moved one left")
            )
    name = str(ann_path)
    spans, relations = _spans_and_relations(found)
    parsed.relation_types.extend((1, t) for t in found.relation_types)
    found.warnings.sort(key=lambda pair: pair[0])
    parsed.warnings.extend(Problem(name, line or None, message) for line, message in found.warnings)
    declared = _declared_values(ann_path) if found.binary else {}
    names = {key: name for key, name in found.meta.get("attribute_names", {}).items()}
    for (label, key), binary in found.binary.items():
        seen = found.values.get((label, key), [])
        choices = declared.get(names.get(key, key), [])
        if binary:
            definition = AttributeDefinition(label, key, "boolean")
        elif choices and _plain(choices + seen):
            # brat's configuration lists the values: a choice, with any the file adds
            choices = list(dict.fromkeys(choices + seen))
            definition = AttributeDefinition(label, key, "choice", choices=tuple(choices))
        else:
            definition = AttributeDefinition(label, key, "text")
        parsed.attributes.append((1, definition))
    parsed.guessed_attributes = True
    document = NewDocument(
        text=text,
        title=title_from_text(text, txt_path.stem),
        id=txt_path.stem,
        source=str(txt_path),
        meta={META_KEY: found.meta} if found.meta else {},
        spans=spans,
        relations=relations,
    )
    parsed.documents.append((1, document))
    return parsed


def _read(path: Path, encoding: str, parsed: ParsedFile, *, what: str) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        parsed.problems.append(Problem(str(path), None, f"cannot read: {exc.strerror or exc}"))
        return None
    try:
        # decode() drops a BOM; brat counts it, so it is put back and handled by the caller.
        text = decode(data, encoding, what=what)
    except DecodeProblem as exc:
        parsed.problems.append(Problem(str(path), None, str(exc)))
        return None
    if data.startswith(b"\xef\xbb\xbf") and encoding.lower().replace("-", "") in ("utf8", "utf_8"):
        text = _BOM + text
    reason = string_problem(text)
    if reason:
        parsed.problems.append(Problem(str(path), None, reason))
        return None
    return text


def _declared_values(ann_path: Path | None) -> dict[str, list[str]]:
    """Attribute values brat's ``annotation.conf`` declares, from the .ann's folder or the one
    above it (brat looks upwards; claimmark looks no further than the parent)."""
    if ann_path is None:
        return {}
    for folder in (ann_path.parent, ann_path.parent.parent):
        conf = folder / "annotation.conf"
        try:
            if conf.is_file():
                return brat_standoff.attribute_values(
                    conf.read_bytes().decode("utf-8", errors="replace")
                )
        except OSError:
            return {}
    return {}


def _plain(values: list[str]) -> bool:
    """Values a choice can hold (plain text, as the schema requires)."""
    return all(v.strip() == v and v and not string_problem(v) for v in values)


def _annotations(text: str, ann: str, name: str, parsed: ParsedFile) -> _Document:
    standoff, errors = brat_standoff.parse(ann)
    parsed.problems.extend(Problem(name, e.line, str(e)) for e in errors if e.fatal)
    found = _Document()
    found.warnings.extend((e.line, str(e)) for e in errors if not e.fatal)
    by_place: dict[tuple, _TextBound] = {}
    merged = 0
    for raw in standoff.textbounds.values():
        bound = _text_bound(raw, text, name, parsed)
        if bound is None:
            continue
        place = (bound.label, tuple(bound.fragments))
        first = by_place.get(place)
        if first is None:
            by_place[place] = bound
        else:  # the project stores a span once; both ids now name it
            merged += 1
            first.ids.append(raw.id)
            bound = first
        found.bounds[raw.id] = bound
    if merged:
        found.warnings.append(
            (0, f"{merged} duplicate span{'s' if merged != 1 else ''} merged")  # line: none
        )
    if not parsed.problems:
        _Attacher(standoff, found).run()
    return found


def _text_bound(
    raw: brat_standoff.TextBound, text: str, name: str, parsed: ParsedFile
) -> _TextBound | None:
    ident, label, fragments, span_text, number = (
        raw.id,
        raw.type,
        raw.fragments,
        raw.text,
        raw.line,
    )
    offsets = ";".join(f"{a} {b}" for a, b in fragments)
    pieces = span_text.split(" ") if span_text is not None else []
    for index, (start, end) in enumerate(fragments):
        # With one piece per fragment each piece is checked on its own, so the message can name
        # the fragment (and a UTF-16 or CRLF explanation fits its offsets); otherwise the joined
        # text is compared below.
        expected = pieces[index] if len(pieces) == len(fragments) and len(fragments) > 1 else None
        if len(fragments) == 1:
            expected = span_text
        problem = span_offset_problem(text, start, end, expected)
        if problem:
            where = f"{ident}" + (f" fragment {index + 1}" if len(fragments) > 1 else "")
            parsed.problems.append(
                Problem(name, number, f"{where} ({label} {start}-{end}): {problem}")
            )
            return None
    joined = " ".join(text[s:e] for s, e in fragments)
    if span_text is not None and joined != span_text:
        parsed.problems.append(
            Problem(
                name,
                number,
                f"{ident} ({label} {offsets}): text {span_text!r} does not match the document"
                f" ({joined!r}, fragments joined by one space)",
            )
        )
        return None
    return _TextBound(
        ident, number, label, join_line_breaks(text, fragments), span_text or joined, ids=[ident]
    )


def join_line_breaks(text: str, fragments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fragments with only line breaks between them are one piece that brat had to cut.

    brat cannot show an annotation across a line break, so claimmark's brat export writes such a
    piece as fragments around the break; reading them back as one restores it exactly. Fragments
    with anything else between them (a space, words) stay fragments.
    """
    joined = [fragments[0]]
    for start, end in fragments[1:]:
        previous_start, previous_end = joined[-1]
        gap = text[previous_end:start]
        if previous_end <= start and gap and all(c in _LINE_BREAKS for c in gap):
            joined[-1] = (previous_start, end)
        else:
            joined.append((start, end))
    return joined


def _without_bom(found: _Document) -> None:
    for bound in _distinct(found):
        bound.fragments = [(max(a - 1, 0), b - 1) for a, b in bound.fragments if b > 1]
    for ident in [i for i, b in found.bounds.items() if not b.fragments]:
        del found.bounds[ident]


class _Attacher:
    """Turns the lines that refer to text-bound annotations into claimmark's structure."""

    def __init__(self, standoff: Standoff, found: _Document):
        self.standoff = standoff
        self.found = found
        self.bounds = found.bounds
        #: event id -> its trigger's T id.
        self.triggers: dict[str, str] = {}
        self.meta: dict[str, Any] = {}
        #: attribute key -> brat's name for it.
        self.attribute_names: dict[str, str] = {}

    def warn(self, line: int, message: str) -> None:
        self.found.warnings.append((line, f"{message}; not imported"))

    def span_of(self, ident: str) -> str | None:
        """The T id an annotation id stands for (an event: its trigger), or None."""
        if ident in self.bounds:
            return ident
        return self.triggers.get(ident)

    def describe(self, ident: str) -> str:
        bound = self.bounds[ident]
        return f"{bound.label} {bound.text!r}"

    def run(self) -> None:
        standoff = self.standoff
        self._events(standoff.events)
        for relation in standoff.relations:
            self._relation(relation)
        for attribute in standoff.attributes:
            self._attribute(attribute)
        for note in standoff.notes:
            self._note(note)
        self._folded()
        renamed = {key: name for key, name in self.attribute_names.items() if key != name}
        self.meta["attribute_names"] = renamed
        self.found.meta = {k: v for k, v in self.meta.items() if v}

    def _events(self, events: list[brat_standoff.Event]) -> None:
        by_trigger: dict[str, brat_standoff.Event] = {}
        for event in events:
            if event.trigger not in self.bounds:
                self.warn(
                    event.line, f"{event.id}: event trigger {event.trigger} is not a text span"
                )
                continue
            first = by_trigger.get(event.trigger)
            if first is not None:
                self.found.warnings.append(
                    (
                        event.line,
                        f"{event.id}: shares its trigger {event.trigger} with {first.id}; claimmark"
                        f" keeps one event per trigger, so {event.id}'s arguments join"
                        f" {first.id}'s (brat gets one event back)",
                    )
                )
            else:
                by_trigger[event.trigger] = event
            self.triggers[event.id] = event.trigger
            trigger_label = self.bounds[event.trigger].label
            if event.type != trigger_label:
                self.found.warnings.append(
                    (
                        event.line,
                        f"{event.id}: event type {event.type!r} differs from its trigger's type"
                        f" {trigger_label!r}; the export writes the trigger's",
                    )
                )
            self.meta.setdefault("event_types", set()).add(trigger_label)
        for event in events:
            if event.trigger not in self.bounds:
                continue
            for role, target in event.args:
                end = self.span_of(target)
                if end is None:
                    self.warn(
                        event.line, f"{event.id}: argument {role}:{target} is not a text span"
                    )
                    continue
                self.meta.setdefault("event_roles", set()).add(role)
                self.found.links.append(_Link(event.line, role, event.trigger, end))

    def _relation(self, relation: brat_standoff.Relation) -> None:
        ends = [self.span_of(target) for _, target in relation.args]
        missing = [t for (_, t), end in zip(relation.args, ends, strict=True) if end is None]
        if missing:
            self.warn(
                relation.line,
                f"{relation.id}: relation refers to {', '.join(missing)}, which is not a text span",
            )
            return
        roles = tuple(role for role, _ in relation.args)
        if roles != DEFAULT_ROLES:
            known = self.meta.setdefault("relation_roles", {})
            if known.setdefault(relation.type, list(roles)) != list(roles):
                self.found.warnings.append(
                    (
                        relation.line,
                        f"{relation.id}: roles {roles[0]}/{roles[1]} differ from the roles"
                        f" {'/'.join(known[relation.type])} of the first {relation.type};"
                        " the export writes those",
                    )
                )
        source, target = ends
        assert source is not None and target is not None
        self.found.links.append(_Link(relation.line, relation.type, source, target))

    def _attribute(self, attribute: brat_standoff.Attribute) -> None:
        ident = self.span_of(attribute.target)
        shown = attribute.name + (f"={attribute.value}" if attribute.value is not None else "")
        if ident is None:
            self.warn(
                attribute.line,
                f"{attribute.id}: attribute {shown} of {attribute.target},"
                " which is not a text span",
            )
            return
        bound = self.bounds[ident]
        key = attribute.name if LABEL_KEY_RE.match(attribute.name) else key_for_name(attribute.name)
        names = self.attribute_names
        if names.setdefault(key, attribute.name) != attribute.name:
            self.warn(
                attribute.line,
                f"{attribute.id}: attribute {attribute.name!r} and {names[key]!r} would both be"
                f" attribute {key!r}",
            )
            return
        if key in bound.attributes:
            self.warn(
                attribute.line, f"{attribute.id}: {ident} has attribute {attribute.name} already"
            )
            return
        binary = attribute.value is None
        place = (bound.label, key)
        self.found.binary[place] = self.found.binary.get(place, True) and binary
        bound.attributes[key] = True if binary else attribute.value
        if attribute.value is not None:
            seen = self.found.values.setdefault(place, [])
            if attribute.value not in seen:
                seen.append(attribute.value)

    def _note(self, note: brat_standoff.Note) -> None:
        ident = self.span_of(note.target)
        if ident is None:
            self.warn(note.line, f"{note.id}: note on {note.target}, which is not a text span")
            return
        if note.type == "AnnotatorNotes":
            self.bounds[ident].notes.append(note.text)
        else:
            self.meta.setdefault("note_types", set()).add(note.type)
            self.bounds[ident].notes.append(f"{note.type}: {note.text}")

    def _folded(self) -> None:
        """Normalisations: text in their spans' notes, said once. Equivalences (``*`` lines):
        a chain of relations of their type between the spans."""
        counts: Counter[str] = Counter()
        first_line: dict[str, int] = {}
        for n in self.standoff.normalizations:
            ident = self.span_of(n.target)
            if ident is None:
                self.warn(n.line, f"{n.id}: normalisation of {n.target}, which is not a text span")
                continue
            rest = n.text.strip()
            self.bounds[ident].notes.append(
                f"{n.type} {n.reference}" + (f" ({rest})" if rest else "")
            )
            counts["normalisation"] += 1
            first_line.setdefault("normalisation", n.line)
        for q in self.standoff.equivs:
            idents = [self.span_of(t) for t in q.targets]
            shown = " ".join([q.type, *q.targets])
            if None in idents:
                self.warn(q.line, f"*: {shown!r} refers to something that is not a text span")
                continue
            if len(set(idents)) < 2:
                self.warn(q.line, f"*: {shown!r} names one span only")
                continue
            # A chain of relations of the equivalence's type; the export writes the group back.
            self.meta.setdefault("equiv_types", set()).add(q.type)
            chain = list(dict.fromkeys(i for i in idents if i is not None))
            for source, target in itertools.pairwise(chain):
                self.found.links.append(_Link(q.line, q.type, source, target))
        for kind, count in counts.items():
            self.found.warnings.append(
                (
                    first_line[kind],
                    f"{count} {kind}{'s' if count != 1 else ''} kept as text in the notes of their"
                    f" spans (claimmark has no {kind}s; the brat export writes them as notes)",
                )
            )


def _distinct(found: _Document) -> list[_TextBound]:
    """Each text-bound annotation once (a merged duplicate is known by two ids)."""
    return list({id(b): b for b in found.bounds.values()}.values())


def _spans_and_relations(found: _Document) -> tuple[list[NewSpan], list[NewRelation]]:
    """The document's spans (one per distinct text-bound annotation) and relations."""
    bounds = _distinct(found)
    linked = {link.source for link in found.links} | {link.target for link in found.links}
    needs_id = [b for b in bounds if any(i in linked for i in b.ids)]
    for bound, span_id in zip(needs_id, new_span_ids(len(needs_id)), strict=True):
        bound.span_id = span_id
    spans = [
        NewSpan(
            bound.fragments[0][0],
            bound.fragments[-1][1],
            bound.label,
            note="; ".join(bound.notes) or None,
            id=bound.span_id,
            fragments=bound.fragments if len(bound.fragments) > 1 else None,
            attributes=bound.attributes or None,
        )
        for bound in bounds
    ]
    relations = []
    seen = set()
    for name in dict.fromkeys(link.type for link in found.links):
        key = name if LABEL_KEY_RE.match(name) else key_for_name(name)
        found.type_keys[name] = key
        source_name = name if name != key else None
        found.relation_types.append(
            RelationType(key, name, generated_color(key), source_name=source_name)
        )
    for link in found.links:
        if found.bounds[link.source] is found.bounds[link.target]:
            found.warnings.append(
                (
                    link.line,
                    f"{link.type} links {link.source} to itself (claimmark's relations link two"
                    " spans); not imported",
                )
            )
            continue
        source = found.bounds[link.source].span_id
        target = found.bounds[link.target].span_id
        assert source is not None and target is not None
        if (link.type, source, target) in seen:
            found.warnings.append((link.line, f"relation {link.type} repeated; imported once"))
            continue
        seen.add((link.type, source, target))
        relations.append(NewRelation(found.type_keys[link.type], source, target, line=link.line))
    for key in ("event_types", "event_roles", "note_types", "equiv_types"):
        if key in found.meta:
            found.meta[key] = sorted(found.meta[key])
    return spans, relations
