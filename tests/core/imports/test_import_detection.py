"""Which reader a path gets, --format to choose one, and the `claimmark import` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import DocBin

from claimmark.core.cli import cli
from claimmark.core.importing import import_paths
from claimmark.core.project import Project


def build_mixed_folder(root: Path) -> Path:
    """One file of every format, plus things that are not documents."""
    root.mkdir()
    (root / "a-plain.txt").write_text("Plain article\nBody.", encoding="utf-8")
    (root / "b-claimmark.jsonl").write_text(
        json.dumps({"id": "cm", "text": "Claimmark line.", "spans": []}) + "\n", "utf-8"
    )
    (root / "c-doccano.jsonl").write_text(
        json.dumps({"id": "dc", "text": "Doccano line.", "label": [[0, 7, "claim"]]}) + "\n",
        "utf-8",
    )
    task = {"id": "ls", "data": {"text": "Label Studio task."}, "annotations": []}
    (root / "d-labelstudio.json").write_text(json.dumps([task]), encoding="utf-8")
    (root / "e-config.json").write_text(json.dumps({"theme": "dark"}), encoding="utf-8")
    (root / "f-tokens.conll").write_text("CoNLL B-claim\ntokens O\n", encoding="utf-8")
    nlp = spacy.blank("en")
    DocBin(docs=[nlp("A spaCy document.")]).to_disk(root / "g-docs.spacy")
    (root / "h-notes.md").write_text("# not a document", encoding="utf-8")
    brat = root / "i-brat"
    brat.mkdir()
    (brat / "b1.txt").write_text("A brat document.", encoding="utf-8")
    (brat / "b1.ann").write_text("T1\tclaim 2 6\tbrat\n", encoding="utf-8")
    (brat / "b2.txt").write_text("A brat document without annotations.", encoding="utf-8")
    (brat / "visual.conf").write_text("[labels]\n", encoding="utf-8")
    return root


def test_every_format_detected_in_one_folder(project, tmp_path):
    folder = build_mixed_folder(tmp_path / "mixed")
    summary = import_paths(project, [folder], annotator="tester")
    assert summary.ok, [str(p) for f in summary.files for p in f.problems]
    imported = {Path(f.path).name: f.imported for f in summary.files}
    assert imported == {
        "a-plain.txt": [imported["a-plain.txt"][0]],
        "b-claimmark.jsonl": ["cm"],
        "c-doccano.jsonl": ["dc"],
        "d-labelstudio.json": ["ls"],
        "e-config.json": [],
        "f-tokens.conll": [imported["f-tokens.conll"][0]],
        "g-docs.spacy": [imported["g-docs.spacy"][0]],
        "h-notes.md": [],
        "b1.ann": ["b1"],
        "b2.txt": ["b2"],
    }
    skipped = {Path(f.path).name: str(f.warnings[0].message) for f in summary.files if f.warnings}
    assert skipped == {
        "e-config.json": "skipped: JSON file that is not a Label Studio export (a JSON list of"
        " tasks, each with 'data')",
        "h-notes.md": "skipped: claimmark does not import .md files",
    }
    assert [s.text for s in project.spans("dc")] == ["Doccano"]
    assert [s.text for s in project.spans("b1")] == ["brat"]
    conll = project.document(imported["f-tokens.conll"][0])
    assert conll.text == "CoNLL tokens" and [s.text for s in project.spans(conll.id)] == ["CoNLL"]


def test_forced_format_in_a_folder_takes_only_its_files(project, tmp_path):
    folder = build_mixed_folder(tmp_path / "mixed")
    summary = import_paths(project, [folder], format="conll", annotator="tester")
    read = sorted(Path(f.path).name for f in summary.files if f.imported)
    assert read == ["f-tokens.conll"]
    refused = sorted(Path(f.path).name for f in summary.files if f.refused)
    assert refused == ["a-plain.txt", "b1.txt", "b2.txt"]  # prose is not CoNLL
    skipped = [str(f.warnings[0].message) for f in summary.files if not f.imported and f.warnings]
    assert "skipped: not a conll file (.bio, .conll, .iob, .iob2, .tsv, .txt)" in skipped


def test_forced_brat_on_a_folder_without_ann(project, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "only.txt").write_text("Only text.", encoding="utf-8")
    summary = import_paths(project, [folder], format="brat", annotator="tester")
    assert summary.ok and project.document("only").text == "Only text."  # brat names the id


def test_forced_doccano_and_labelstudio(project, tmp_path, snapshot):
    lines = tmp_path / "export.jsonl"
    lines.write_text(json.dumps({"text": "Plain line."}) + "\n", encoding="utf-8")
    assert import_paths(project, [lines], format="doccano", annotator="tester").ok
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"text": "not a task"}), encoding="utf-8")
    before = snapshot(project)
    [problem] = (
        import_paths(project, [other], format="labelstudio", annotator="tester").files[0].problems
    )
    assert str(problem) == (
        f"{other}: not a Label Studio export (a JSON list of tasks, each with 'data')"
    )
    [problem] = import_paths(project, [other], annotator="tester").files[0].problems
    assert str(problem).startswith(f"{other}: unsupported file type: not a Label Studio export")
    assert snapshot(project) == before


def test_unknown_format_is_a_programming_error(project, tmp_path):
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        import_paths(project, [tmp_path], format="xml", annotator="tester")


# ------------------------------------------------------------------ the command line
def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(db), "--annotator", "tester", *args])


def write_brat(folder: Path, ann: str) -> Path:
    folder.mkdir()
    (folder / "report.txt").write_bytes("Rebels 😀 claimed\r\nthe bridge.".encode())
    (folder / "report.ann").write_text(ann, encoding="utf-8", newline="")
    return folder


def test_cli_brat_with_format_option(tmp_path):
    db = tmp_path / "p.db"
    folder = write_brat(tmp_path / "brat", "T1\tClaim 9 16\tclaimed\nT2\tSOURCE 0 6\tRebels\n")
    result = run(db, "import", "--format", "brat", str(folder))
    assert result.exit_code == 0, result.output
    assert "Imported 1 documents, skipped 0 already present, refused 0 files." in result.stdout
    assert "New labels added to the schema: source" in result.stdout
    assert "warning: " in result.stderr and "label 'SOURCE' stored as key 'source'" in result.stderr
    with Project.open(db, created_by="tester") as project:
        assert sorted((s.label, s.text) for s in project.spans("report")) == [
            ("claim", "claimed"),
            ("source", "Rebels"),
        ]


def test_cli_detects_brat_folder_and_reports_utf16_offsets(tmp_path):
    db = tmp_path / "p.db"
    folder = write_brat(tmp_path / "brat", "T1\tclaim 10 17\tclaimed\n")
    with Project.open(db, created_by="tester") as project:
        before = (project.document_count(), len(project.events()))
    result = run(db, "import", str(folder))
    assert result.exit_code == 1
    ann = folder / "report.ann"
    assert (
        f"error: {ann}:1: T1 (claim 10-17): text 'claimed' does not match the document at 10-17"
        " ('laimed\\r'); offsets must be code points into the text; offsets look like UTF-16"
        " units (read that way they give 9-16, 'claimed')"
    ) in result.stderr
    assert f"{ann}: not imported" in result.stderr
    with Project.open(db, created_by="tester") as project:
        assert (project.document_count(), len(project.events())) == before


def test_cli_text_key_and_bad_format(tmp_path):
    db = tmp_path / "p.db"
    path = tmp_path / "tasks.json"
    text = "Officials denied it."
    result_item = {
        "type": "labels",
        "value": {"start": 10, "end": 16, "text": "denied", "labels": ["denial"]},
    }
    tasks = [
        {
            "id": 4,
            "data": {"title": "T", "body": text},
            "annotations": [{"completed_by": {"id": 8}, "result": [result_item]}],
        }
    ]
    path.write_text(json.dumps(tasks), encoding="utf-8")
    result = run(db, "import", "--text-key", "body", str(path))
    assert result.exit_code == 0, result.output
    with Project.open(db, created_by="tester") as project:
        [span] = project.spans("4")
        assert (span.text, span.annotator) == ("denied", "labelstudio-user-8")
    bad = run(db, "import", "--format", "xml", str(path))
    assert bad.exit_code == 2 and "'xml' is not one of" in bad.stderr
