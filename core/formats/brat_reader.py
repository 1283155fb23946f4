"""brat standoff: ``NAME.txt`` holds the text, ``NAME.ann`` its annotations, one per line.

Offsets are code points into the raw ``.txt`` (CR counted, so the text is decoded as bytes and
never goes through universal newlines). ``T`` lines become spans; a discontinuous
``T1<TAB>Label 0 5;10 14<TAB>text`` becomes one span per fragment, each noting which fragment of
the whole it was (fragments with only whitespace between them, as brat writes a span across a line
break, are read back as the one span they were). Everything else that attaches to a text-bound
annotation (AnnotatorNotes, attributes, normalisations, relations, events, equivalences) is kept
in that span's note; what attaches to nothing claimmark stores is reported as a warning, never
dropped unseen. Notes name other annotations by label and text, never by their brat id: the
ids are renumbered when claimmark writes brat again, and a quoted id would then point elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..import_errors import Problem
from ..project import NewDocument, NewSpan
from ..text_checks import string_problem, title_from_text
from . import brat_standoff
from .decoding import DecodeProblem, decode
from .foreign_spans import dedupe_spans, span_offset_problem
from .jsonl_reader import ParsedFile

_BOM = "\ufeff"


@dataclass
class _TextBound:
    line: int
    label: str
    fragments: list[tuple[int, int]]
    text: str
    notes: list[str] = field(default_factory=list)


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
    spans: list[NewSpan] = []
    if ann_path is not None:
        ann = _read(ann_path, encoding, parsed, what="annotation file")
        if ann is None:
            return parsed
        spans = _spans(text, ann.lstrip(_BOM), str(ann_path), parsed)
        if parsed.problems:
            return parsed
    if bom:
        # brat reads the .txt as UTF-8 and counts a byte-order mark as a character; claimmark
        # drops it (as for every text file), so every offset moves one to the left with it.
        text = text[1:]
        spans = [
            NewSpan(max(s.start - 1, 0), s.end - 1, s.label, s.annotator, s.note)
            for s in spans
            if s.end > 1
        ]
        if ann_path is not None:
            parsed.warnings.append(
                Problem(str(txt_path), None, "byte-order mark dropped; offsets moved one left")
            )
    spans, merged = dedupe_spans(spans)
    if merged:
        parsed.warnings.append(
            Problem(
                str(ann_path), None, f"{merged} duplicate span{'s' if merged != 1 else ''} merged"
            )
        )
    document = NewDocument(
        text=text,
        title=title_from_text(text, txt_path.stem),
        id=txt_path.stem,
        source=str(txt_path),
        spans=spans,
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


def _spans(text: str, ann: str, name: str, parsed: ParsedFile) -> list[NewSpan]:
    standoff, errors = brat_standoff.parse(ann)
    parsed.problems.extend(Problem(name, e.line, str(e)) for e in errors if e.fatal)
    unread = [(e.line, str(e)) for e in errors if not e.fatal]
    bounds: dict[str, _TextBound] = {}
    for raw in standoff.textbounds.values():
        bound = _text_bound(raw, text, name, parsed)
        if bound is not None:
            bounds[raw.id] = bound
    _attach(standoff, bounds, name, parsed, unread)
    spans = []
    for bound in bounds.values():
        count = len(bound.fragments)
        for index, (start, end) in enumerate(bound.fragments, start=1):
            notes = list(bound.notes)
            if count > 1:
                notes.append(f"fragment {index} of {count} of {bound.label} {bound.text!r}")
            spans.append(NewSpan(start, end, bound.label, note="; ".join(notes) or None))
    return spans


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
    return _TextBound(number, label, _join_across_whitespace(text, fragments), span_text or joined)


def _join_across_whitespace(text: str, fragments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fragments separated only by whitespace are one span that brat had to cut.

    brat cannot show an annotation across a line break, so it (and claimmark's brat export) writes
    such a span as fragments around the break; reading them back as one span restores it exactly.
    Fragments with words between them stay separate spans.
    """
    joined = [fragments[0]]
    for start, end in fragments[1:]:
        previous_start, previous_end = joined[-1]
        if previous_end <= start and not text[previous_end:start].strip():
            joined[-1] = (previous_start, end)
        else:
            joined.append((start, end))
    return joined


def _attach(
    standoff: brat_standoff.Standoff,
    bounds: dict[str, _TextBound],
    name: str,
    parsed: ParsedFile,
    unread: list[tuple[int, str]],
) -> None:
    """Keep the annotations that refer to text-bound annotations as notes on them; warn, in line
    order, about the rest and about the lines that could not be read (``unread``)."""
    warnings: list[tuple[int, str]] = []

    def describe(target: str) -> str:
        # By label and text, never by id: ids are renumbered on export, so a note quoting T3
        # would point at another annotation in the file claimmark writes.
        bound = bounds[target]
        return f"{bound.label} {bound.text!r}"

    items: list[tuple[int, object]] = [
        (item.line, item)
        for kind in (
            standoff.notes,
            standoff.attributes,
            standoff.normalizations,
            standoff.relations,
            standoff.events,
            standoff.equivs,
        )
        for item in kind
    ]
    for line, item in sorted(items, key=lambda pair: pair[0]):
        if isinstance(item, brat_standoff.Note):
            if item.target in bounds:
                bounds[item.target].notes.append(
                    item.text if item.type == "AnnotatorNotes" else f"{item.type}: {item.text}"
                )
            else:
                warnings.append(
                    (line, f"{item.id}: note on {item.target}, which is not a text span")
                )
        elif isinstance(item, brat_standoff.Attribute):
            value = f"{item.name}={item.value}" if item.value is not None else item.name
            if item.target in bounds:
                bounds[item.target].notes.append(f"attribute {value}")
            else:
                warnings.append(
                    (
                        line,
                        f"{item.id}: attribute {value} of {item.target}, which is not a text span",
                    )
                )
        elif isinstance(item, brat_standoff.Normalization):
            if item.target in bounds:
                rest = item.text.strip()
                bounds[item.target].notes.append(
                    f"{item.type} {item.reference}" + (f" ({rest})" if rest else "")
                )
            else:
                warnings.append(
                    (line, f"{item.id}: normalisation of {item.target}, which is not a text span")
                )
        elif isinstance(item, brat_standoff.Relation | brat_standoff.Event):
            is_relation = isinstance(item, brat_standoff.Relation)
            roles = (
                item.args
                if isinstance(item, brat_standoff.Relation)
                else [(item.type, item.trigger), *item.args]
            )
            targets = [t for _, t in roles]
            missing = [t for t in targets if t not in bounds]
            if missing:
                warnings.append(
                    (
                        line,
                        f"{item.id}: {'relation' if is_relation else 'event'} refers to"
                        f" {', '.join(missing)}, which is not a text span",
                    )
                )
                continue
            if is_relation:
                summary = f"relation {item.type}: " + ", ".join(
                    f"{role} {describe(t)}" for role, t in roles
                )
                for target in dict.fromkeys(targets):
                    bounds[target].notes.append(summary)
            else:
                args = ", ".join(f"{role} {describe(t)}" for role, t in roles[1:])
                bounds[roles[0][1]].notes.append(
                    f"event {item.type}" + (f": {args}" if args else "")
                )
        elif isinstance(item, brat_standoff.Equiv):
            if item.type != "Equiv" or not all(t in bounds for t in item.targets):
                shown = " ".join([item.type, *item.targets])
                warnings.append((line, f"*: unsupported brat annotation {shown!r}"))
                continue
            for target in item.targets:
                others = [describe(t) for t in item.targets if t != target]
                bounds[target].notes.append(f"Equiv with {', '.join(others)}")
    warnings = [(line, f"{message}; not imported") for line, message in warnings]
    parsed.warnings.extend(Problem(name, line, m) for line, m in sorted([*warnings, *unread]))
