"""Export with claimmark, import with claimmark: formats that can carry every span give them back.

Offsets are compared against the same text, so a shift by a UTF-16 unit, a CRLF or a byte would
show; emoji with ZWJ, CRLF, RTL text and overlapping spans are all in the project.
"""

from __future__ import annotations

import pytest

from claimmark.core.export import ExportOptions, export_project
from claimmark.core.importing import import_paths
from claimmark.core.project import Project


def _spans_by_text(project: Project, annotator: str | None = None) -> set[tuple]:
    texts = {d.id: d.text for d in project.iter_documents()}
    return {
        (texts[s.document_id], s.start, s.end, s.label)
        for s in project.spans(annotators=[annotator] if annotator else None)
    }


@pytest.mark.parametrize(
    ("fmt", "options", "out_name"),
    [
        ("brat", {}, "brat"),
        ("brat", {"annotators": ("bob",)}, "brat-bob"),  # bob's span crosses a CRLF
        ("doccano", {}, "doccano.jsonl"),
        ("doccano", {"doccano_layout": "label"}, "doccano-label.jsonl"),
        ("labelstudio", {}, "tasks.json"),
    ],
    ids=["brat", "brat-across-crlf", "doccano-entities", "doccano-label", "labelstudio"],
)
def test_round_trip_reproduces_every_span(hostile_project, tmp_path, fmt, options, out_name):
    out = tmp_path / out_name
    options = {"annotators": ("alice",), **options}
    export_project(hostile_project, fmt, out, ExportOptions(**options))
    with Project.open(None, created_by="importer") as fresh:
        summary = import_paths(fresh, [out], format=fmt, annotator="importer")
        assert summary.ok, [str(p) for f in summary.files for p in f.problems]
        assert _spans_by_text(fresh) == _spans_by_text(hostile_project, options["annotators"][0])
        for span in fresh.spans():
            assert fresh.document(span.document_id).text[span.start : span.end] == span.text


def test_labelstudio_round_trip_keeps_annotators_and_notes(hostile_project, tmp_path):
    out = tmp_path / "tasks.json"
    export_project(hostile_project, "labelstudio", out, ExportOptions())
    with Project.open(None, created_by="importer") as fresh:
        assert import_paths(fresh, [out], format="labelstudio", annotator="importer").ok
        texts = {d.id: d.text for d in fresh.iter_documents()}
        got = {
            (texts[s.document_id], s.start, s.end, s.label, s.annotator, s.note)
            for s in fresh.spans()
        }
    source = {d.id: d.text for d in hostile_project.iter_documents()}
    want = {
        (source[s.document_id], s.start, s.end, s.label, s.annotator, s.note)
        for s in hostile_project.spans()
    }
    assert got == want
