"""Label Studio tasks with pre-made annotations (JSON), and the labelling config they need.

The data file is a JSON list of tasks::

    {"id": 1, "data": {"text": ..., <meta fields>..., "doc_id": ..., "title": ...},
     "annotations": [{"completed_by": {"email": ...}, "created_username": "alice",
                      "ground_truth": false, "result": [...]}],
     "drafts": [{"user": ..., "created_username": "bob", "result": [...]}],
     "predictions": [{"model_version": ..., "score": ..., "result": [...]}]}

What Label Studio's importer reads is what decides the layout:

* Annotators: Label Studio credits an imported annotation to the member whose email is
  ``completed_by.email`` and ignores ``created_username`` (everything else lands on the importing
  user). An annotator whose name is an email, or who is mapped to one
  (``--labelstudio-user NAME=EMAIL``), gets ``completed_by``; anyone else is reported as
  ``annotator_not_carried``. ``created_username`` still names them for claimmark's import.
* Status: a submitted annotation counts towards a finished task. An annotator whose document is
  done gets an annotation; unfinished work becomes a draft (``drafts``, by member email), which
  Label Studio imports without finishing the task, reported as ``status_as_draft`` because older
  servers drop drafts. ``ground_truth`` is false: claimmark has no such mark.
* Predictions: spans of ``labelstudio-prediction`` (imported Label Studio predictions) are written
  back as predictions, with the model version and score their note recorded.
* ``data`` holds the text, the document's meta fields (a Label Studio import kept the other
  ``data`` fields there), ``doc_id`` and ``title``.

Each span is a ``labels`` result whose ``id`` is the claimmark span id; a note is a ``textarea``
result with the same ``id`` (a per-region note). ``value.start``/``end`` are code points, as Label
Studio counts them; label names are the names a label was imported with. The config
(``<stem>.config.xml``, ``config.xml`` inside a folder) declares the labels with their colours,
the text and the per-region note box.
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from itertools import groupby

from ..formats.jsonl_writer import json_line
from ..formats.labelstudio_reader import PREDICTION_ANNOTATOR
from . import losses as L
from .context import ExportContext, ExportFormat
from .options import EMAIL_RE


def config_xml(labels, relation_types=(), definitions=()) -> str:
    """The labelling config: labels, relation types, and per label its attributes as per-region
    controls shown when a region of that label is selected (choices, number, text)."""
    view = ET.Element("View")
    choices = ET.SubElement(view, "Labels", name="label", toName="text")
    names = {}
    for label in labels:
        ET.SubElement(choices, "Label", value=label.exported_name, background=label.color)
        names[label.key] = label.exported_name
    ET.SubElement(view, "Text", name="text", value="$text")
    if relation_types:
        relations = ET.SubElement(view, "Relations")
        for relation_type in relation_types:
            ET.SubElement(relations, "Relation", value=relation_type.exported_name)
    for definition in definitions:
        if definition.label not in names:
            continue
        where = {
            "name": control_name(definition.label, definition.name),
            "toName": "text",
            "perRegion": "true",
            "whenLabelValue": names[definition.label],
        }
        if definition.kind in ("choice", "boolean"):
            control = ET.SubElement(view, "Choices", where, choice="single")
            for value in definition.choices if definition.kind == "choice" else _YES_NO:
                ET.SubElement(control, "Choice", value=value)
        elif definition.kind == "integer":
            bounds = {
                k: str(v)
                for k, v in (("min", definition.minimum), ("max", definition.maximum))
                if v is not None
            }
            ET.SubElement(view, "Number", {**where, **bounds})
        else:
            ET.SubElement(view, "TextArea", where, editable="true", maxSubmissions="1")
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


def task(number: int, selected, ctx: ExportContext) -> dict:
    document = selected.document
    names = ctx.label_names()
    emails = dict(ctx.options.labelstudio_users)
    annotations, drafts, predictions = [], [], []
    by_annotator = {
        annotator: list(spans)
        for annotator, spans in groupby(
            sorted(selected.spans, key=lambda s: s.annotator), key=lambda s: s.annotator
        )
    }
    relations_of: dict[str, list] = {}
    for relation in selected.relations:
        relations_of.setdefault(relation.annotator, []).append(relation)
    for annotator in sorted(by_annotator.keys() | selected.statuses.keys()):
        spans = by_annotator.get(annotator, [])
        if annotator == PREDICTION_ANNOTATOR:
            predictions.extend(_predictions(spans, names, relations_of.get(annotator, []), ctx))
            continue
        email = emails.get(annotator) or (annotator if EMAIL_RE.fullmatch(annotator) else None)
        result = _results(spans, names, relations_of.get(annotator, []), ctx)
        if email is None:
            ctx.losses.document(
                document.id,
                L.ANNOTATOR_NOT_CARRIED,
                f"{annotator}'s annotation will be credited to the Label Studio user who imports"
                " it (Label Studio matches annotators by member email: use"
                f" --labelstudio-user {annotator}=EMAIL)",
            )
        if selected.statuses.get(annotator) == "done":
            annotation: dict = {"created_username": annotator, "ground_truth": False}
            if email:
                annotation["completed_by"] = {"email": email}
            annotations.append({**annotation, "result": result})
        else:
            status = selected.statuses.get(annotator, "not started")
            ctx.losses.document(
                document.id,
                L.STATUS_AS_DRAFT,
                f"{annotator}'s work is {status.replace('_', ' ')}: written as a Label Studio"
                " draft, which does not finish the task (servers that do not import drafts drop"
                " it)",
            )
            draft: dict = {"created_username": annotator}
            if email:
                draft["user"] = email
            drafts.append({**draft, "result": result})
    data = {"text": document.text}
    data.update((k, v) for k, v in document.meta.items() if k not in _OWN_DATA_KEYS)
    data.update(doc_id=document.id, title=document.title)
    clashing = sorted(k for k in document.meta if k in _OWN_DATA_KEYS)
    if clashing:
        ctx.losses.document(
            document.id,
            L.DOCUMENT_FIELDS_NOT_CARRIED,
            f"meta ({', '.join(clashing)}): data has these keys for the text, id and title",
        )
    out = {"id": number, "data": data, "annotations": annotations}
    if drafts:
        out["drafts"] = drafts
    if predictions:
        out["predictions"] = predictions
    return out


_OWN_DATA_KEYS = ("text", "doc_id", "title")
#: The note claimmark's import gives a predicted span: "[region note; ]Label Studio prediction
#: (model_version 'v2', score 0.8)".
_PREDICTION_NOTE = re.compile(
    r"(?:(?P<note>.*); )?Label Studio prediction(?: \((?P<details>.*)\))?\Z", re.DOTALL
)
_DETAIL = re.compile(r"(model_version|score) ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^,]+)")


def _predictions(spans, names: dict[str, str], relations=(), ctx=None) -> list[dict]:
    """Predicted spans grouped back into the predictions they came from."""
    groups: dict[tuple, list] = {}
    for span in spans:
        match = _PREDICTION_NOTE.fullmatch(span.note or "")
        details: dict = {}
        note = span.note
        if match:
            note = match["note"]
            for key, value in _DETAIL.findall(match["details"] or ""):
                try:
                    details[key] = ast.literal_eval(value)
                except (ValueError, SyntaxError):
                    details[key] = value
        key = tuple(sorted(details.items(), key=lambda kv: kv[0]))
        groups.setdefault(key, []).append(span if note == span.note else replace(span, note=note))
    group_of = {span.id: key for key, group in groups.items() for span in group}
    for relation in relations:
        if ctx is not None and group_of.get(relation.from_span) != group_of.get(relation.to_span):
            ctx.losses.relation(
                relation,
                L.RELATION_NOT_CARRIED,
                f"{relation.type} links spans of two predictions (model versions or scores);"
                " a Label Studio relation stays inside one",
            )
    return [
        {**dict(key), "result": _results(group, names, relations, ctx)}
        for key, group in groups.items()
    ]


#: Where an attribute lives in the labelling config: one per-region control per label and
#: attribute, named so that the import finds both again.
CONTROL_PREFIX = "attribute"
_YES_NO = ("yes", "no")


def control_name(label: str, attribute: str) -> str:
    """``attribute-casualty_report-killed`` ('-' is in no key, so it splits back unambiguously)."""
    return f"{CONTROL_PREFIX}-{label}-{attribute}"


def _attribute_results(span, where: dict, kinds: dict, ctx: ExportContext | None) -> list[dict]:
    """A span's attributes as per-region results of their controls (see ``config_xml``)."""
    results = []
    for name, value in span.attributes.items():
        kind = kinds.get((span.label, name), "text")
        base = {
            "id": span.id,
            "from_name": control_name(span.label, name),
            "to_name": "text",
        }
        if kind in ("choice", "boolean"):
            shown = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            results.append({**base, "type": "choices", "value": {**where, "choices": [shown]}})
        elif kind == "integer" and type(value) is int:
            results.append({**base, "type": "number", "value": {**where, "number": value}})
        elif kind == "integer":
            if ctx is not None:
                shown = "-".join(map(str, value)) if isinstance(value, tuple) else str(value)
                ctx.losses.span(
                    span,
                    L.ATTRIBUTE_NOT_CARRIED,
                    f"{name}={shown}: Label Studio's number control holds one number",
                )
        else:
            results.append({**base, "type": "textarea", "value": {**where, "text": [str(value)]}})
    return results


def _relation_results(relations, written: set[str], type_names: dict[str, str]) -> list[dict]:
    return [
        {
            "from_id": r.from_span,
            "to_id": r.to_span,
            "type": "relation",
            "direction": "right",
            "labels": [type_names.get(r.type, r.type)],
        }
        for r in relations
        if r.from_span in written and r.to_span in written
    ]


def _results(
    spans,
    names: dict[str, str],
    relations=(),
    ctx: ExportContext | None = None,
) -> list[dict]:
    kinds, type_names = {}, {}
    if ctx is not None:
        kinds = {(d.label, d.name): d.kind for d in ctx.project.attribute_definitions()}
        type_names = {t.key: t.exported_name for t in ctx.project.relation_types()}
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
        result.extend(_attribute_results(s, where, kinds, ctx))
    result.extend(_relation_results(relations, {s.id for s in spans}, type_names))
    return result


def write(ctx: ExportContext) -> None:
    for part in ctx.parts:
        with ctx.staging.text(ctx.staging.data_name(part, ".json")) as out:
            out.write("[")
            for number, selected in enumerate(ctx.documents(part), start=1):
                out.write(",\n" if number > 1 else "\n")
                out.write(json_line(task(number, selected, ctx)).rstrip("\n"))
            out.write("\n]\n")
    with ctx.staging.text(ctx.staging.schema_name(".config.xml")) as out:
        out.write(
            config_xml(
                ctx.labels, ctx.project.relation_types(), ctx.project.attribute_definitions()
            )
        )


FORMAT = ExportFormat(
    "labelstudio",
    ".json",
    write,
    description="Label Studio task list (JSON): annotations, drafts and predictions; config.xml",
)
