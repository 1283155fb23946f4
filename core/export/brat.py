"""brat standoff: a folder of ``<doc>.txt`` + ``<doc>.ann`` pairs and an ``annotation.conf``.

Offsets are code points into the ``.txt`` as written (``newline=""``: CR counted, as brat reads
it). Each span is a ``T`` line; a discontinuous span's fragments are brat's (``T1<TAB>claim
0 5;12 20``), and a piece that crosses line breaks is cut around them, as brat writes one (the
fragments' texts joined by one space). Notes become ``#n<TAB>AnnotatorNotes Tn<TAB>note`` lines
(line breaks inside a note become spaces: a loss), attributes ``A`` lines (yes is brat's binary
attribute; no is brat's absent one, a loss), relations ``R`` lines with the type's imported
name. What a brat import remembered in ``meta["brat"]`` is written back: attribute names, roles,
and which labels were events, whose relations are written as the event's arguments (``E``).
Annotator names, ids and times are not carried. File names come from document ids (see
``file_names``); ``provenance.json`` maps ids to files.
"""

from __future__ import annotations

import re

from ..formats import brat_standoff
from ..formats.brat_reader import DEFAULT_ROLES, META_KEY, join_line_breaks
from ..model import Label
from . import losses as L
from .context import ExportContext, ExportFormat
from .file_names import StemAllocator
from .tokenising import LINE_BREAKS, report_annotators_merged

#: A type brat's .ann and annotation.conf parsers read back as written: no whitespace, none of
#: the characters its configuration syntax gives a meaning to.
_BRAT_TYPE = re.compile(r"[^\s|,:=;#<>!\[\]]+")
_LINE_BREAK_RUN = re.compile("[" + "".join(sorted(LINE_BREAKS)) + "]+")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of [start, end) between line-break characters."""
    result, at = [], None
    for i in range(start, end):
        if text[i] in LINE_BREAKS:
            if at is not None:
                result.append((at, i))
                at = None
        elif at is None:
            at = i
    if at is not None:
        result.append((at, end))
    return result


def annotation_conf(
    types: list[str],
    relations: dict[str, tuple[str, str]] | None = None,
    events: dict[str, list[str]] | None = None,
    attributes: dict[str, set[str]] | None = None,
    equivs: set[str] | None = None,
) -> str:
    """brat's configuration for what the export holds: every type, and the relations, events and
    attributes with their roles and values (brat's visual editor needs them declared)."""
    relations, events, attributes = relations or {}, events or {}, attributes or {}
    event_types = set(events)
    entities = "".join(f"{name}\n" for name in types if name not in event_types)
    relation_lines = "".join(
        f"{name}\t{roles[0]}:<ANY>, {roles[1]}:<ANY>\n" for name, roles in relations.items()
    ) + "".join(
        f"{name}\tArg1:<ANY>, Arg2:<ANY>, <REL-TYPE>:symmetric-transitive\n"
        for name in sorted(equivs or ())
    )
    event_lines = "".join(
        f"{name}\t" + ", ".join(f"{role}*:<ANY>" for role in roles) + "\n" if roles else f"{name}\n"
        for name, roles in events.items()
    )
    attribute_lines = "".join(
        f"{name}\tArg:<ANY>" + (f", Value:{'|'.join(sorted(values))}" if values else "") + "\n"
        for name, values in attributes.items()
    )
    return (
        f"[entities]\n{entities}\n[relations]\n{relation_lines}\n[events]\n{event_lines}"
        f"\n[attributes]\n{attribute_lines}"
    )


def brat_type(label: Label) -> str:
    """The label's imported name where brat can hold it as a type, else its key."""
    name = label.exported_name
    return name if _BRAT_TYPE.fullmatch(name) else label.key


def write(ctx: ExportContext) -> None:
    staging = ctx.staging
    files: dict[str, dict[str, str]] = {}
    for part in ctx.parts:
        folder = staging.data_name(part, "")
        prefix = f"{folder}/" if folder else ""
        stems = StemAllocator()
        part_files = files.setdefault(part or "all", {})
        declared = _Declared()
        for selected in ctx.documents(part):
            document = selected.document
            stem = stems.stem(document.id)
            part_files[document.id] = f"{prefix}{stem}.txt"
            with staging.text(f"{prefix}{stem}.txt") as out:
                out.write(document.text)
            with staging.text(f"{prefix}{stem}.ann") as out:
                out.writelines(ann_lines(document.text, selected, ctx, declared))
            report_annotators_merged(selected.spans, document.id, ctx.losses)
        with staging.text(f"{prefix}annotation.conf") as out:
            out.write(
                annotation_conf(
                    [brat_type(label) for label in ctx.labels],
                    declared.relations,
                    declared.events,
                    declared.attributes,
                    declared.equivs,
                )
            )
    ctx.provenance_extra["brat_files"] = files


class _Declared:
    """What annotation.conf must declare besides the labels."""

    def __init__(self) -> None:
        self.relations: dict[str, tuple[str, str]] = {}
        self.events: dict[str, list[str]] = {}
        self.attributes: dict[str, set[str]] = {}
        self.equivs: set[str] = set()


def ann_lines(
    text: str, selected, ctx: ExportContext, declared: _Declared | None = None
) -> list[str]:
    """The ``.ann`` lines of one document."""
    declared = declared or _Declared()
    standoff = brat_standoff.Standoff()
    remembered = selected.document.meta.get(META_KEY)
    remembered = remembered if isinstance(remembered, dict) else {}
    attribute_names = _str_map(remembered.get("attribute_names"))
    relation_roles = remembered.get("relation_roles")
    relation_roles = relation_roles if isinstance(relation_roles, dict) else {}
    event_types = set(_str_list(remembered.get("event_types")))
    event_roles = set(_str_list(remembered.get("event_roles")))
    types = {label.key: brat_type(label) for label in ctx.project.labels()}
    relation_types = _relation_type_names(ctx)

    # Text-bound annotations, and the id each span is referred to by (an event's trigger: E).
    ref: dict[str, str] = {}
    triggers: dict[str, str] = {}
    for span in selected.spans:
        parts = [piece for start, end in span.pieces for piece in fragments(text, start, end)]
        if not parts:
            ctx.losses.span(span, L.ONLY_WHITESPACE, "the span covers only line breaks")
            continue
        _report_changes(text, span, parts, ctx)
        ident = f"T{len(standoff.textbounds) + 1}"
        shown = brat_standoff.FRAGMENT_SEPARATOR.join(text[a:b] for a, b in parts)
        standoff.textbounds[ident] = brat_standoff.TextBound(ident, types[span.label], parts, shown)
        ref[span.id] = ident
        if types[span.label] in event_types:
            event_id = f"E{len(triggers) + 1}"
            triggers[span.id] = ident
            ref[span.id] = event_id
            standoff.events.append(brat_standoff.Event(event_id, types[span.label], ident, []))
    events = {e.trigger: e for e in standoff.events}

    # Relations: an event's arguments or an equivalence when the import said so, else R lines.
    equiv_types = set(_str_list(remembered.get("equiv_types")))
    equivalent: dict[str, list[str]] = {}  # type -> span ids in the order met
    joined: dict[str, str] = {}  # span id -> its group's first span id (union-find)

    def group(span_id: str) -> str:
        while joined.get(span_id, span_id) != span_id:
            span_id = joined[span_id]
        return span_id

    for relation in selected.relations:
        if relation.from_span not in ref or relation.to_span not in ref:
            ctx.losses.relation(
                relation,
                L.RELATION_NOT_CARRIED,
                f"{relation.type}: a span it links covers only line breaks and was not written",
            )
            continue
        name = relation_types.get(relation.type, relation.type)
        if name in equiv_types:
            members = equivalent.setdefault(name, [])
            for end in (relation.from_span, relation.to_span):
                if end not in members:
                    members.append(end)
            joined[group(relation.to_span)] = group(relation.from_span)
            continue
        if relation.from_span in triggers and name in event_roles:
            event = events[triggers[relation.from_span]]
            event.args.append((name, ref[relation.to_span]))
            event_roles_declared = declared.events.setdefault(event.type, [])
            if name not in event_roles_declared:
                event_roles_declared.append(name)
            continue
        given = relation_roles.get(name)
        roles = (
            list(given)
            if isinstance(given, list) and len(given) == 2 and all(map(_is_str, given))
            else list(DEFAULT_ROLES)
        )
        declared.relations.setdefault(name, (roles[0], roles[1]))
        standoff.relations.append(
            brat_standoff.Relation(
                f"R{len(standoff.relations) + 1}",
                name,
                [(roles[0], ref[relation.from_span]), (roles[1], ref[relation.to_span])],
            )
        )
    for written in standoff.events:
        declared.events.setdefault(written.type, [])
    for name, members in equivalent.items():
        groups: dict[str, list[str]] = {}
        for member in members:
            groups.setdefault(group(member), []).append(ref[member])
        standoff.equivs.extend(brat_standoff.Equiv(name, refs) for refs in groups.values())
        declared.equivs.add(name)

    # Attributes and notes, on the span's T (or its event).
    for span in selected.spans:
        if span.id not in ref:
            continue
        for key, value in span.attributes.items():
            name = attribute_names.get(key, key)
            values = declared.attributes.setdefault(name, set())
            if value is False:
                ctx.losses.span(
                    span,
                    L.ATTRIBUTE_NOT_CARRIED,
                    f"{key}=no: brat's binary attribute is yes when present and no when absent",
                )
                continue
            value_text = None if value is True else _attribute_text(value)
            if value_text is not None and (value_text != value_text.strip() or "\t" in value_text):
                # brat ends the value at a tab and strips the line's end
                ctx.losses.span(
                    span,
                    L.ATTRIBUTE_NOT_CARRIED,
                    f"{key}={value_text!r}: brat cannot hold a tab or edge spaces in a value",
                )
                continue
            if value_text is not None:
                values.add(value_text)
            standoff.attributes.append(
                brat_standoff.Attribute(
                    f"A{len(standoff.attributes) + 1}", name, ref[span.id], value_text
                )
            )
        if span.note:
            note = _LINE_BREAK_RUN.sub(" ", span.note)
            if note != span.note:
                ctx.losses.span(span, L.NOTE_CHANGED, "line breaks in the note became spaces")
            elif note.strip() != note:
                # brat's parser strips a note's text (OnelineCommentAnnotation.get_text).
                ctx.losses.span(span, L.NOTE_CHANGED, "brat drops the spaces around a note")
            kind, text_of_note = _note_type(note, remembered)
            standoff.notes.append(
                brat_standoff.Note(f"#{len(standoff.notes) + 1}", kind, ref[span.id], text_of_note)
            )
    return brat_standoff.format_lines(standoff)


def _report_changes(text: str, span, parts: list[tuple[int, int]], ctx: ExportContext) -> None:
    """What brat (and claimmark's brat import) reads back of the fragments written, if not the
    span: outer edges that were line breaks, or two fragments with only line breaks between."""
    back = join_line_breaks(text, parts)
    if (back[0][0], back[-1][1]) != (span.start, span.end):
        ctx.losses.span(
            span,
            L.BOUNDARIES_CHANGED,
            f"written as {back[0][0]}-{back[-1][1]} (brat fragments skip line breaks)",
            (back[0][0], back[-1][1]),
        )
    elif back != list(span.pieces):
        shown = ";".join(f"{a}-{b}" for a, b in back)
        ctx.losses.span(
            span,
            L.FRAGMENTS_CHANGED,
            f"fragments read back as {shown} (line breaks at a fragment's edge or between two)",
        )


def _attribute_text(value) -> str:
    if isinstance(value, tuple):
        return f"{value[0]}-{value[1]}"
    return str(value)


def _note_type(note: str, remembered: dict) -> tuple[str, str]:
    """A note a brat import made of a typed note ("Lemma: Delilah") goes back as that type."""
    for kind in _str_list(remembered.get("note_types")):
        if note.startswith(f"{kind}: "):
            return kind, note[len(kind) + 2 :]
    return "AnnotatorNotes", note


def _relation_type_names(ctx: ExportContext) -> dict[str, str]:
    """Relation type key -> the name brat gets (the imported name where brat can hold it)."""
    names = {}
    for relation_type in ctx.project.relation_types():
        name = relation_type.exported_name
        names[relation_type.key] = name if _BRAT_TYPE.fullmatch(name) else relation_type.key
    return names


def _is_str(value) -> bool:
    return isinstance(value, str) and bool(_BRAT_TYPE.fullmatch(value))


def _str_list(value) -> list[str]:
    return [v for v in value if _is_str(v)] if isinstance(value, list) else []


def _str_map(value) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and _is_str(v)}


FORMAT = ExportFormat(
    "brat",
    "",
    write,
    folder=True,
    description="brat standoff folder: .txt/.ann pairs and annotation.conf",
)
