"""CSV and Parquet tables of spans and documents, read back with pandas and pyarrow."""

from __future__ import annotations

import csv
import json
import sys

import pytest

from claimmark.core.export import ExportError, ExportOptions, export_project

from .conftest import run_export


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def check_tables(project, spans, documents):
    """Every span and document of the project, exactly, in the rows given."""
    texts = {row["document_id"]: row["text"] for row in documents}
    assert texts == {d.id: d.text for d in project.iter_documents()}
    by_id = {row["span_id"]: row for row in spans}
    assert set(by_id) == {s.id for s in project.spans()}
    names = {label.key: label.name for label in project.labels()}
    for span in project.spans():
        row = by_id[span.id]
        start, end = int(row["start"]), int(row["end"])
        assert (row["document_id"], start, end, row["label"]) == (
            span.document_id,
            span.start,
            span.end,
            span.label,
        )
        assert row["text"] == span.text == texts[span.document_id][start:end]
        assert (row["annotator"], row["note"] or None) == (span.annotator, span.note)
        assert row["label_name"] == names[span.label]
        assert row["created_at"] == span.created_at and row["updated_at"] == span.updated_at
    for row in documents:
        document = project.document(row["document_id"])
        assert json.loads(row["meta"]) == document.meta
        assert json.loads(row["status"]) == project.statuses(document.id)
        assert row["sha256"] == document.sha256 and row["title"] == document.title


def test_csv_tables_hold_every_span_and_document_exactly(hostile_project, tmp_path):
    out = tmp_path / "tables"
    report = export_project(hostile_project, "csv", out)
    assert sorted(p.name for p in out.iterdir()) == [
        "documents.csv",
        "losses.jsonl",
        "provenance.json",
        "spans.csv",
    ]
    spans, documents = read_csv(out / "spans.csv"), read_csv(out / "documents.csv")
    check_tables(hostile_project, spans, documents)
    assert report.losses == []
    # CRLF inside a text and a note survives the CSV quoting byte for byte
    assert any("\r\n" in row["text"] for row in documents)
    assert any(row["note"] == "check\r\nsource" for row in spans)


def test_csv_reads_in_pandas(hostile_project, tmp_path):
    import pandas

    out = tmp_path / "tables"
    export_project(hostile_project, "csv", out)
    frame = pandas.read_csv(out / "spans.csv", keep_default_na=False)
    assert len(frame) == len(hostile_project.spans())
    assert frame["start"].dtype.kind == "i"


def test_parquet_tables_hold_every_span_and_document_exactly(hostile_project, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "tables"
    report = export_project(hostile_project, "parquet", out)
    spans = pq.read_table(out / "spans.parquet")
    documents = pq.read_table(out / "documents.parquet")
    assert str(spans.schema.field("start").type) == "int64"
    check_tables(hostile_project, spans.to_pylist(), documents.to_pylist())
    assert report.losses == []
    notes = spans.column("note").to_pylist()
    assert None in notes  # a missing note is null, not ""


def test_tables_follow_filters_and_splits(many_db, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "tables"
    result = run_export(many_db, "--format", "parquet", "-o", str(out), "--split", "a=0.5,b=0.5")
    assert result.exit_code == 0, result.output
    assert "Losses: none" in result.stderr
    assert {p.name for p in out.iterdir()} >= {
        "a.spans.parquet",
        "a.documents.parquet",
        "b.spans.parquet",
        "b.documents.parquet",
    }
    a = pq.read_table(out / "a.documents.parquet").column("document_id").to_pylist()
    b = pq.read_table(out / "b.documents.parquet").column("document_id").to_pylist()
    assert len(a) == len(b) == 20 and not set(a) & set(b)


def test_csv_with_label_and_annotator_filters(hostile_project, tmp_path):
    out = tmp_path / "tables"
    export_project(
        hostile_project, "csv", out, ExportOptions(labels=("claim",), annotators=("bob",))
    )
    spans = read_csv(out / "spans.csv")
    assert {(row["label"], row["annotator"]) for row in spans} == {("claim", "bob")}


def test_parquet_without_pyarrow_says_how_to_install(hostile_project, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ExportError, match=r"claimmark\[parquet\]"):
        export_project(hostile_project, "parquet", tmp_path / "tables")
    assert not (tmp_path / "tables").exists()
