"""The doccano export in both layouts: offsets index the record's own text."""

from __future__ import annotations

import json

import pytest

from claimmark.core.export import ExportOptions, export_project


def records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n")[:-1]]


def test_entities_layout(hostile_project, tmp_path):
    out = tmp_path / "doccano.jsonl"
    report = export_project(hostile_project, "doccano", out)
    rows = records(out)
    assert [r["doc_id"] for r in rows] == [d.id for d in hostile_project.documents()]
    ids = [e["id"] for r in rows for e in r["entities"]]
    assert len(ids) == len(set(ids)) == len(hostile_project.spans())
    for row in rows:
        assert set(row) == {"text", "entities", "relations", "doc_id", "title"}
        assert row["relations"] == []
        spans = {(s.start, s.end, s.label, s.text) for s in hostile_project.spans(row["doc_id"])}
        got = {
            (
                e["start_offset"],
                e["end_offset"],
                e["label"],
                row["text"][e["start_offset"] : e["end_offset"]],
            )
            for e in row["entities"]
        }
        assert got == spans
    assert report.losses_by_reason() == {"annotators_merged": 1, "note_not_carried": 2}


def test_label_layout(hostile_project, tmp_path):
    out = tmp_path / "doccano.jsonl"
    export_project(hostile_project, "doccano", out, ExportOptions(doccano_layout="label"))
    for row in records(out):
        assert set(row) == {"text", "label", "doc_id", "title"}
        spans = {(s.start, s.end, s.label, s.text) for s in hostile_project.spans(row["doc_id"])}
        assert {(s, e, lab, row["text"][s:e]) for s, e, lab in row["label"]} == spans


def test_unknown_layout_is_refused():
    from claimmark.core.export import ExportError

    with pytest.raises(ExportError, match="doccano layout"):
        ExportOptions(doccano_layout="labels")
