"""The doccano export in both layouts: offsets index the record's own text as doccano's editor
does (a JavaScript string: UTF-16 units), or as Python does with --doccano-offsets codepoints."""

from __future__ import annotations

import json

import pytest

from claimmark.core.export import ExportOptions, export_project

from .conftest import span_losses


def records(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n")[:-1]]


def js_slice(text: str, start: int, end: int) -> str:
    """``text.slice(start, end)`` in JavaScript: indexes count UTF-16 units."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def test_entities_layout(hostile_project, tmp_path):
    out = tmp_path / "doccano.jsonl"
    report = export_project(hostile_project, "doccano", out)
    rows = records(out)
    assert [r["doc_id"] for r in rows] == [d.id for d in hostile_project.documents("tester")]
    ids = [e["id"] for r in rows for e in r["entities"]]
    assert len(ids) == len(set(ids)) == len(hostile_project.spans())
    for row in rows:
        assert set(row) == {"text", "entities", "relations", "doc_id", "title"}
        assert row["relations"] == []
        spans = {(s.start, s.end, s.label, s.text) for s in hostile_project.spans(row["doc_id"])}
        assert {(s, e, lab) for s, e, lab, _ in spans} != {
            (e["start_offset"], e["end_offset"], e["label"]) for e in row["entities"]
        } or not any(ord(c) > 0xFFFF for c in row["text"])
        got = {
            (
                e["start_offset"],
                e["end_offset"],
                e["label"],
                js_slice(row["text"], e["start_offset"], e["end_offset"]),
            )
            for e in row["entities"]
        }
        assert {(lab, text) for _, _, lab, text in got} == {(s[2], s[3]) for s in spans}
    assert span_losses(report) == {
        "annotators_merged": 1,
        "note_not_carried": 2,
        "overlap_needs_setting": 2,
    }


def test_label_layout(hostile_project, tmp_path):
    out = tmp_path / "doccano.jsonl"
    export_project(hostile_project, "doccano", out, ExportOptions(doccano_layout="label"))
    for row in records(out):
        assert set(row) == {"text", "label", "doc_id", "title"}
        spans = {(s.start, s.end, s.label, s.text) for s in hostile_project.spans(row["doc_id"])}
        assert {(lab, js_slice(row["text"], s, e)) for s, e, lab in row["label"]} == {
            (lab, text) for _, _, lab, text in spans
        }


def test_unknown_layout_is_refused():
    from claimmark.core.export import ExportError

    with pytest.raises(ExportError, match="doccano layout"):
        ExportOptions(doccano_layout="labels")


def test_code_point_offsets_on_request(hostile_project, tmp_path):
    out = tmp_path / "doccano.jsonl"
    options = ExportOptions(doccano_layout="label", doccano_offsets="codepoints")
    report = export_project(hostile_project, "doccano", out, options)
    assert report.provenance["options"]["doccano_offsets"] == "codepoints"
    for row in records(out):
        spans = {(s.start, s.end, s.label, s.text) for s in hostile_project.spans(row["doc_id"])}
        assert {(s, e, lab, row["text"][s:e]) for s, e, lab in row["label"]} == spans


def test_issue_example_lands_on_the_helicopter_in_doccano(tmp_path):
    from claimmark.core.project import NewDocument, NewSpan, Project

    text = "Rebels said 🚁 downed near Hama."
    with Project.open(None, created_by="alice") as project:
        project.import_document(
            NewDocument(text, "t", "d", spans=[NewSpan(12, 20, "claim")]), annotator="alice"
        )
        export_project(project, "doccano", tmp_path / "d.jsonl")
    [row] = records(tmp_path / "d.jsonl")
    [entity] = row["entities"]
    assert (entity["start_offset"], entity["end_offset"]) == (12, 21)
    assert js_slice(text, 12, 21) == "🚁 downed"


def doccano_default_project_keeps(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """What doccano 1.8's import keeps without "Allow overlapping spans" (its Spans.clean):
    spans stably sorted by start, each kept when it starts at or after the last kept end."""
    kept, last_end = [], -1
    for start, end in sorted(spans, key=lambda span: span[0]):
        if start >= last_end:
            kept.append((start, end))
            last_end = end
    return kept


def test_overlaps_are_reported_as_doccano_drops_them(hostile_project, tmp_path):
    out = tmp_path / "doccano.jsonl"
    report = export_project(hostile_project, "doccano", out)
    reported = {loss.span_id for loss in report.losses if loss.reason == "overlap_needs_setting"}
    assert all("Allow overlapping spans" in loss.detail for loss in report.losses
               if loss.reason == "overlap_needs_setting")  # fmt: skip
    for row in records(out):
        spans = hostile_project.spans(row["doc_id"])
        by_offsets = {}
        units = [(e["start_offset"], e["end_offset"]) for e in row["entities"]]
        for span, where in zip(
            sorted(spans, key=lambda s: (s.start, s.end)), sorted(units), strict=True
        ):
            by_offsets[where] = span.id
        kept = doccano_default_project_keeps(units)
        dropped = {by_offsets[where] for where in units if where not in kept}
        assert dropped == {s.id for s in spans} & reported


def test_cli_option_and_help(hostile_db, tmp_path):
    from click.testing import CliRunner

    from claimmark.core.cli import cli

    from .conftest import run_export

    out = tmp_path / "cp.jsonl"
    result = run_export(hostile_db, "--format", "doccano", "--doccano-offsets", "codepoints",
                        "--doccano-layout", "label", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    for row in records(out):
        assert all(row["text"][s:e] for s, e, _ in row["label"])
    assert "overlap_needs_setting: 2" in result.output
    for command in ("export", "import"):
        help_text = CliRunner().invoke(cli, [command, "--help"]).output
        assert "--doccano-offsets [utf16|codepoints]" in help_text
