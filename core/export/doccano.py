"""doccano 1.x sequence labelling import files (JSON Lines).

``entities`` layout (relation-extraction projects; the default)::

    {"text": ..., "entities": [{"id", "start_offset", "end_offset", "label"}], "relations": [],
     "doc_id": ..., "title": ...}

``label`` layout (``--doccano-layout label``, plain sequence labelling projects)::

    {"text": ..., "label": [[start, end, "claim"], ...], "doc_id": ..., "title": ...}

Offsets are code points. Entity ids are unique across one file. Extra keys (``doc_id``,
``title``) become the example's metadata in doccano. Notes and annotator names are not carried;
overlapping spans are written, but doccano keeps them only in a project that allows overlap.
"""

from __future__ import annotations

from ..formats.jsonl_writer import json_line
from .context import ExportContext, ExportFormat
from .tokenising import report_document_losses


def write(ctx: ExportContext) -> None:
    layout = ctx.options.doccano_layout
    for part in ctx.parts:
        entity_id = 0
        with ctx.staging.text(ctx.staging.data_name(part, ".jsonl")) as out:
            for selected in ctx.documents(part):
                document = selected.document
                record: dict = {"text": document.text}
                if layout == "label":
                    record["label"] = [[s.start, s.end, s.label] for s in selected.spans]
                else:
                    entities = []
                    for s in selected.spans:
                        entity_id += 1
                        entities.append(
                            {
                                "id": entity_id,
                                "start_offset": s.start,
                                "end_offset": s.end,
                                "label": s.label,
                            }
                        )
                    record["entities"] = entities
                    record["relations"] = []
                record["doc_id"] = document.id
                record["title"] = document.title
                out.write(json_line(record))
                report_document_losses(selected.spans, document.id, ctx.losses)


FORMAT = ExportFormat(
    "doccano",
    ".jsonl",
    write,
    description="doccano 1.x JSONL (entities/relations, or --doccano-layout label)",
)
