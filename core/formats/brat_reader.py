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

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..import_errors import Problem
from ..project import NewDocument, NewSpan
from ..text_checks import string_problem, title_from_text
from .decoding import DecodeProblem, decode
from .foreign_spans import dedupe_spans, span_offset_problem
from .jsonl_reader import ParsedFile

_FRAGMENT = re.compile(r"(\d+) (\d+)\Z")
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
    bounds: dict[str, _TextBound] = {}
    others: list[tuple[int, str, str]] = []
    for number, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        ident = line.split("\t", 1)[0]
        if ident.startswith("T"):
            bound = _text_bound(line, number, text, name, parsed)
            if bound is None:
                continue
            if ident in bounds:
                parsed.problems.append(
                    Problem(
                        name,
                        number,
                        f"{ident} is defined twice (first on line {bounds[ident].line})",
                    )
                )
                continue
            bounds[ident] = bound
        else:
            others.append((number, ident, line))
    for number, ident, line in others:
        _attach(number, ident, line, bounds, name, parsed)
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
    line: str, number: int, text: str, name: str, parsed: ParsedFile
) -> _TextBound | None:
    parts = line.split("\t")
    ident = parts[0]
    if len(parts) < 2 or not parts[1].strip():
        parsed.problems.append(
            Problem(name, number, f"{ident}: expected 'ID<TAB>Label start end<TAB>text'")
        )
        return None
    label, _, offsets = parts[1].strip().partition(" ")
    fragments = []
    for chunk in offsets.split(";"):
        match = _FRAGMENT.match(chunk.strip())
        if not match:
            parsed.problems.append(
                Problem(
                    name, number, f"{ident}: offsets {offsets!r} are not 'start end[;start end]'"
                )
            )
            return None
        fragments.append((int(match[1]), int(match[2])))
    span_text = "\t".join(parts[2:]) if len(parts) > 2 else None
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
    number: int, ident: str, line: str, bounds: dict[str, _TextBound], name: str, parsed: ParsedFile
) -> None:
    """Keep an annotation that refers to text-bound annotations as a note on them."""
    parts = line.split("\t")
    fields = parts[1].split() if len(parts) > 1 else []
    rest = "\t".join(parts[2:]).strip()

    def warn(message: str) -> None:
        parsed.warnings.append(Problem(name, number, f"{ident}: {message}; not imported"))

    def describe(target: str) -> str:
        # By label and text, never by id: ids are renumbered on export, so a note quoting T3
        # would point at another annotation in the file claimmark writes.
        bound = bounds[target]
        return f"{bound.label} {bound.text!r}"

    if not fields:
        warn("no annotation after the id")
        return
    kind = ident[:1]
    if kind == "#" and len(fields) >= 2:
        target = fields[1]
        if target in bounds:
            bounds[target].notes.append(
                rest if fields[0] == "AnnotatorNotes" else f"{fields[0]}: {rest}"
            )
        else:
            warn(f"note on {target}, which is not a text span")
    elif kind in "AM" and len(fields) >= 2:
        target = fields[1]
        value = f"{fields[0]}={' '.join(fields[2:])}" if len(fields) > 2 else fields[0]
        if target in bounds:
            bounds[target].notes.append(f"attribute {value}")
        else:
            warn(f"attribute {value} of {target}, which is not a text span")
    elif kind == "N" and len(fields) >= 3:
        target = fields[1]
        if target in bounds:
            bounds[target].notes.append(f"{fields[0]} {fields[2]}" + (f" ({rest})" if rest else ""))
        else:
            warn(f"normalisation of {target}, which is not a text span")
    elif kind in "RE":
        roles = [field.partition(":") for field in fields[1 if kind == "R" else 0 :]]
        targets = [target for _, _, target in roles]
        missing = [t for t in targets if t not in bounds]
        if missing or not targets:
            warn(
                f"{'relation' if kind == 'R' else 'event'} refers to"
                f" {', '.join(missing) or 'nothing'}, which is not a text span"
            )
            return
        if kind == "R":
            summary = f"relation {fields[0]}: " + ", ".join(
                f"{role} {describe(t)}" for role, _, t in roles
            )
            for target in dict.fromkeys(targets):
                bounds[target].notes.append(summary)
        else:
            trigger_type, _, trigger = roles[0]
            args = ", ".join(f"{role} {describe(t)}" for role, _, t in roles[1:])
            bounds[trigger].notes.append(f"event {trigger_type}" + (f": {args}" if args else ""))
    elif kind == "*" and fields[0] == "Equiv" and all(t in bounds for t in fields[1:]):
        for target in fields[1:]:
            others = [describe(t) for t in fields[1:] if t != target]
            bounds[target].notes.append(f"Equiv with {', '.join(others)}")
    else:
        warn(f"unsupported brat annotation {parts[1] if len(parts) > 1 else ''!r}")
