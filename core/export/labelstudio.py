"""Label Studio tasks with pre-made annotations (JSON), and the labelling config they need.

The data file is a JSON list of tasks::

    {"id": 1, "data": {"text": ..., "doc_id": ..., "title": ...},
     "annotations": [{"created_username": "alice", "result": [...]}, ...]}

One annotation per annotator (sorted by name), whose name is in ``created_username`` (the field
Label Studio's own exports use for it; ``completed_by`` is a Label Studio user id, so it is not
set). Each span is a ``labels`` result whose ``id`` is the claimmark span id; a note is a
``textarea`` result with the same ``id`` (a per-region note). ``value.start``/``end`` are code
points, as Label Studio counts them. The config (``<stem>.config.xml``, ``config.xml`` inside a
folder) declares the labels with their colours, the text and the per-region note box.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from ..formats.jsonl_writer import json_line
from .context import ExportContext, ExportFormat


def config_xml(labels) -> str:
    view = ET.Element("View")
    choices = ET.SubElement(view, "Labels", name="label", toName="text")
    for label in labels:
        ET.SubElement(choices, "Label", value=label.exported_name, background=label.color)
    ET.SubElement(view, "Text", name="text", value="$text")
    ET.SubElement(
        view,
        "TextArea",
        name="note",
        toName="text",
        perRegion="true",
        editable="true",
        placeholder="Note",
    )
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def task(number: int, selected, names: dict[str, str]) -> dict:
    document = selected.document
    annotations = []
    by_annotator = sorted(selected.spans, key=lambda s: s.annotator)
    for annotator, spans in groupby(by_annotator, key=lambda s: s.annotator):
        result = []
        for s in spans:
            where = {"start": s.start, "end": s.end, "text": s.text}
            result.append(
                {
                    "id": s.id,
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "value": {**where, "labels": [names[s.label]]},
                }
            )
            if s.note:
                result.append(
                    {
                        "id": s.id,
                        "from_name": "note",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {**where, "text": [s.note]},
                    }
                )
        annotations.append({"created_username": annotator, "result": result})
    return {
        "id": number,
        "data": {"text": document.text, "doc_id": document.id, "title": document.title},
        "annotations": annotations,
    }


def write(ctx: ExportContext) -> None:
    for part in ctx.parts:
        with ctx.staging.text(ctx.staging.data_name(part, ".json")) as out:
            out.write("[")
            for number, selected in enumerate(ctx.documents(part), start=1):
                out.write(",\n" if number > 1 else "\n")
                out.write(json_line(task(number, selected, ctx.label_names())).rstrip("\n"))
            out.write("\n]\n")
    with ctx.staging.text(ctx.staging.schema_name(".config.xml")) as out:
        out.write(config_xml(ctx.labels))


FORMAT = ExportFormat(
    "labelstudio",
    ".json",
    write,
    description="Label Studio task list (JSON) with one annotation per annotator; config.xml",
)
