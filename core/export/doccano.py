"""doccano 1.x sequence labelling import files (JSON Lines).

``entities`` layout (relation-extraction projects; the default)::

    {"text": ..., "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": [],
     "doc_id": ..., "title": ...}

``label`` layout (``--doccano-layout label``, plain sequence labelling projects)::

    {"text": ..., "label": [[start, end, "claim"], ...], "doc_id": ..., "title": ...}

Offsets count UTF-16 units by default, because doccano's editor indexes JavaScript strings:
offsets in code points would show every span after an emoji shifted (doccano issue #2290).
``--doccano-offsets codepoints`` writes code points for scripts that read the file in Python.
Entity ids are unique across one file; ``relations`` link them (``{"id", "from_id", "to_id",
"type"}``, the type's imported name), in the entities layout only. Extra keys (``doc_id``,
``title``) become the example's metadata in doccano. Notes and annotator names are not
carried. Overlapping spans are written, but a doccano project keeps them only with "Allow
overlapping spans" ticked (off by default): without it doccano's import keeps, in order of
start, each span that starts at or after the end of the last one kept, so every other span is
reported as a loss.
"""

from __future__ import annotations

from ..formats.jsonl_writer import json_line
from ..formats.utf16_units import UTF16, Utf16Map
from . import losses as L
from .context import ExportContext, ExportFormat
from .tokenising import report_document_losses

OVERLAP_SETTING = "Allow overlapping spans"


def write(ctx: ExportContext) -> None:
    layout = ctx.options.doccano_layout
    type_names = {t.key: t.exported_name for t in ctx.project.relation_types()}
    for part in ctx.parts:
        entity_id = relation_id = 0
        with ctx.staging.text(ctx.staging.data_name(part, ".jsonl")) as out:
            for selected in ctx.documents(part):
                document = selected.document
                record: dict = {"text": document.text}
                offsets = _offsets(document.text, selected.spans, ctx.options.doccano_offsets)
                names = ctx.label_names()
                if layout == "label":
                    record["label"] = [
                        [*offsets[i], names[s.label]] for i, s in enumerate(selected.spans)
                    ]
                    for relation in selected.relations:
                        ctx.losses.relation(
                            relation,
                            L.RELATION_NOT_CARRIED,
                            f"the label layout has no relations ({relation.type} from span"
                            f" {relation.from_span} to span {relation.to_span}; use"
                            " --doccano-layout entities)",
                        )
                else:
                    entities = []
                    ids = {}
                    for i, s in enumerate(selected.spans):
                        entity_id += 1
                        ids[s.id] = entity_id
                        entities.append(
                            {
                                "id": entity_id,
                                "start_offset": offsets[i][0],
                                "end_offset": offsets[i][1],
                                "label": names[s.label],
                            }
                        )
                    record["entities"] = entities
                    record["relations"] = []
                    for relation in selected.relations:
                        relation_id += 1
                        record["relations"].append(
                            {
                                "id": relation_id,
                                "from_id": ids[relation.from_span],
                                "to_id": ids[relation.to_span],
                                "type": type_names.get(relation.type, relation.type),
                            }
                        )
                record["doc_id"] = document.id
                record["title"] = document.title
                out.write(json_line(record))
                report_document_losses(selected.spans, document.id, ctx.losses)
                report_overlaps(selected.spans, ctx)


def _offsets(text: str, spans, unit: str) -> list[tuple[int, int]]:
    if unit != UTF16:
        return [(s.start, s.end) for s in spans]
    units = Utf16Map(text)
    if not units.shifts:
        return [(s.start, s.end) for s in spans]
    return [(units.to_units(s.start), units.to_units(s.end)) for s in spans]


def report_overlaps(spans, ctx: ExportContext) -> None:
    """The spans a doccano project with default settings drops on import.

    doccano sorts a document's spans by start (a stable sort, so file order breaks ties) and keeps
    each one that starts at or after the end of the last span kept.
    """
    last = None
    for span in sorted(spans, key=lambda s: s.start):
        if last is None or span.start >= last.end:
            last = span
            continue
        ctx.losses.span(
            span,
            L.OVERLAP_NEEDS_SETTING,
            f"overlaps span {last.id} ({last.label} {last.start}-{last.end}); doccano drops it"
            f" unless the project has {OVERLAP_SETTING!r} ticked",
        )


FORMAT = ExportFormat(
    "doccano",
    ".jsonl",
    write,
    description="doccano 1.x JSONL (entities/relations, or --doccano-layout label)",
)
