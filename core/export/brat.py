"""brat standoff: a folder of ``<doc>.txt`` + ``<doc>.ann`` pairs and an ``annotation.conf``.

Offsets are code points into the ``.txt`` as written (``newline=""``: CR counted, as brat reads
it). A span that crosses line breaks is written as brat writes one, a discontinuous span whose
fragments skip the line-break characters (``T1<TAB>claim 0 5;7 12<TAB>first second``, the
fragments' texts joined by one space). Notes become ``#n<TAB>AnnotatorNotes Tn<TAB>note`` lines
(line breaks inside a note become spaces: a loss). Annotator names are not carried. File names
come from document ids (see ``file_names``); ``provenance.json`` maps ids to files.
"""

from __future__ import annotations

import re

from ..formats import brat_standoff
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


def annotation_conf(types: list[str]) -> str:
    entities = "".join(f"{name}\n" for name in types)
    return f"[entities]\n{entities}\n[relations]\n\n[events]\n\n[attributes]\n"


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
        for selected in ctx.documents(part):
            document = selected.document
            stem = stems.stem(document.id)
            part_files[document.id] = f"{prefix}{stem}.txt"
            with staging.text(f"{prefix}{stem}.txt") as out:
                out.write(document.text)
            with staging.text(f"{prefix}{stem}.ann") as out:
                out.writelines(ann_lines(document.text, selected.spans, ctx))
            report_annotators_merged(selected.spans, document.id, ctx.losses)
        with staging.text(f"{prefix}annotation.conf") as out:
            out.write(annotation_conf([brat_type(label) for label in ctx.labels]))
    ctx.provenance_extra["brat_files"] = files


def ann_lines(text: str, spans, ctx: ExportContext) -> list[str]:
    standoff = brat_standoff.Standoff()
    types = {label.key: brat_type(label) for label in ctx.project.labels()}
    for span in spans:
        parts = fragments(text, span.start, span.end)
        if not parts:
            ctx.losses.span(span, L.ONLY_WHITESPACE, "the span covers only line breaks")
            continue
        if (parts[0][0], parts[-1][1]) != (span.start, span.end):
            ctx.losses.span(
                span,
                L.BOUNDARIES_CHANGED,
                f"written as {parts[0][0]}-{parts[-1][1]} (brat fragments skip line breaks)",
                (parts[0][0], parts[-1][1]),
            )
        ident = f"T{len(standoff.textbounds) + 1}"
        shown = brat_standoff.FRAGMENT_SEPARATOR.join(text[a:b] for a, b in parts)
        standoff.textbounds[ident] = brat_standoff.TextBound(ident, types[span.label], parts, shown)
        if span.note:
            note = _LINE_BREAK_RUN.sub(" ", span.note)
            if note != span.note:
                ctx.losses.span(span, L.NOTE_CHANGED, "line breaks in the note became spaces")
            elif note.strip() != note:
                # brat's parser strips a note's text (OnelineCommentAnnotation.get_text).
                ctx.losses.span(span, L.NOTE_CHANGED, "brat drops the spaces around a note")
            standoff.notes.append(
                brat_standoff.Note(f"#{len(standoff.notes) + 1}", "AnnotatorNotes", ident, note)
            )
    return brat_standoff.format_lines(standoff)


FORMAT = ExportFormat(
    "brat",
    "",
    write,
    folder=True,
    description="brat standoff folder: .txt/.ann pairs and annotation.conf",
)
