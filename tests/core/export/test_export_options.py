"""What every format shares: filters, splits, folders, strictness, losses, provenance, safety."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from claimmark.core.export import (
    ExportError,
    ExportOptions,
    LossesNotAllowed,
    export_project,
    parse_split,
)
from claimmark.core.project import Project

from .conftest import read_losses, run_export

ALL_FORMATS = [
    "jsonl", "spacy", "conll", "hf", "brat", "doccano", "labelstudio", "csv", "parquet",
]  # fmt: skip
#: Formats whose output is always a folder.
FOLDER_FORMATS = {"brat", "hf", "csv", "parquet"}


def exported_ids(out) -> dict:
    provenance = (
        out / "provenance.json" if out.is_dir() else out.with_name(out.name + ".provenance.json")
    )
    return json.loads(provenance.read_text(encoding="utf-8"))["parts"]


# --------------------------------------------------------------------- split
def split_of(db, tmp_path, name, *args):
    out = tmp_path / name
    result = run_export(db, "--format", "jsonl", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return exported_ids(out)


def test_split_is_reproducible_and_sized(many_db, tmp_path):
    spec = ("--split", "train=0.8,dev=0.1,test=0.1")
    first = split_of(many_db, tmp_path, "a", *spec, "--seed", "7")
    again = split_of(many_db, tmp_path, "b", *spec, "--seed", "7")
    other = split_of(many_db, tmp_path, "c", *spec, "--seed", "8")
    assert first == again
    assert first != other
    assert {name: len(ids) for name, ids in first.items()} == {"train": 32, "dev": 4, "test": 4}
    every = [i for ids in first.values() for i in ids]
    assert len(every) == len(set(every)) == 40
    for name, ids in first.items():
        lines = (tmp_path / "a" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line)["id"] for line in lines] == ids


def test_split_parts_of_brat_are_folders(many_db, tmp_path):
    out = tmp_path / "brat"
    result = run_export(
        many_db, "--format", "brat", "-o", str(out), "--split", "train=0.75,test=0.25"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "losses.jsonl",
        "provenance.json",
        "test",
        "train",
    ]
    assert len(list((out / "train").glob("*.txt"))) == 30
    assert (out / "test" / "annotation.conf").exists()


@pytest.mark.parametrize(
    "spec",
    ["train=0.8,dev=0.1", "train=0.5,train=0.5", "../x=1", "losses=1", "train", "a=x,b=1"],
)
def test_bad_split_is_refused(spec):
    with pytest.raises(ExportError):
        parse_split(spec)


# --------------------------------------------------------------------- folders and --force
def test_non_empty_folder_needs_force_and_only_an_earlier_export_is_replaced(hostile_db, tmp_path):
    out = tmp_path / "brat"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    for force in ((), ("--force",)):  # not claimmark's: never replaced
        result = run_export(hostile_db, "--format", "brat", "-o", str(out), *force)
        assert result.exit_code != 0
        assert "claimmark did not write (keep.txt)" in result.stderr
        assert [p.name for p in out.iterdir()] == ["keep.txt"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["brat", "hostile.claimmark.db"]

    (out / "keep.txt").unlink()
    assert run_export(hostile_db, "--format", "brat", "-o", str(out)).exit_code == 0
    result = run_export(hostile_db, "--format", "brat", "-o", str(out), "--document", "emoji")
    assert result.exit_code != 0
    assert "holds an earlier export" in result.stderr and "--force" in result.stderr
    result = run_export(
        hostile_db, "--format", "brat", "-o", str(out), "--document", "emoji", "--force"
    )
    assert result.exit_code == 0, result.output
    assert {p.stem for p in out.glob("*.ann")} == {"emoji"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brat", "hostile.claimmark.db"]


def test_empty_or_missing_folder_is_used(hostile_db, tmp_path):
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        result = run_export(hostile_db, "--format", "brat", "-o", str(out))
        assert result.exit_code == 0, result.output
        assert (out / "annotation.conf").exists()


# --------------------------------------------------------------------- strict and losses
@pytest.mark.parametrize("fmt", ["spacy", "conll", "hf", "brat", "doccano"])
def test_strict_refuses_a_lossy_export_and_writes_nothing(hostile_db, tmp_path, fmt):
    out = tmp_path / "out" / ("brat" if fmt in FOLDER_FORMATS else f"data.{fmt}")
    out.parent.mkdir()
    result = run_export(hostile_db, "--format", fmt, "-o", str(out), "--strict")
    assert result.exit_code == 1
    assert "--strict" in result.stderr and "lost: " in result.stderr
    assert list(out.parent.iterdir()) == []


def test_strict_passes_when_nothing_is_lost(hostile_project, tmp_path):
    options = ExportOptions(
        strict=True, annotators=("alice",), documents=("ar:2",), labels=("claim",)
    )
    report = export_project(hostile_project, "csv", tmp_path / "x", options)
    assert report.losses == [] and read_losses(report.loss_report) == []
    # CoNLL has no place for the title, status and import time: strict refuses even this one
    with pytest.raises(LossesNotAllowed) as caught:
        export_project(hostile_project, "conll", tmp_path / "x.conll", options)
    assert {loss.reason for loss in caught.value.losses} == {
        "status_not_carried",
        "document_fields_not_carried",
        "span_fields_not_carried",
    }
    with pytest.raises(LossesNotAllowed) as caught:
        export_project(hostile_project, "conll", tmp_path / "y.conll", ExportOptions(strict=True))
    assert {loss.reason for loss in caught.value.losses} >= {"overlap", "crosses_line_break"}
    assert not (tmp_path / "y.conll").exists()


def test_loss_report_rows_and_summary(hostile_db, tmp_path):
    out = tmp_path / "ner.conll"
    result = run_export(hostile_db, "--format", "conll", "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = read_losses(tmp_path / "ner.conll.losses.jsonl")
    assert {tuple(sorted(row)) for row in rows} == {
        (
            "detail", "document_id", "end", "format", "label", "part", "reason",
            "relation_id", "span_id", "start", "written_end", "written_start",
        )
    }  # fmt: skip
    assert all(row["format"] == "conll" for row in rows)
    crossing = next(row for row in rows if row["reason"] == "crosses_line_break")
    assert (crossing["document_id"], crossing["start"], crossing["end"]) == ("crlf", 0, 25)
    assert "Exported 5 documents, 11 spans" in result.stderr
    assert (
        "Losses: 19 (annotators_merged: 1, crosses_line_break: 1, document_fields_not_carried: 5,"
        " note_not_carried: 2, overlap: 3, span_fields_not_carried: 4, status_not_carried: 3)"
        in result.stderr
    )
    assert str(tmp_path / "ner.conll.losses.jsonl") in result.stderr


# --------------------------------------------------------------------- filters
@pytest.mark.parametrize(
    ("args", "documents", "spans"),
    [
        (["--status", "done"], ["news/1?x", "crlf"], 5),
        (["--status", "not_started"], ["emoji", "plain"], 3),
        (["--status", "in_progress", "--status", "done"], ["news/1?x", "ar:2", "crlf"], 8),
        (["--status", "done", "--annotator", "bob"], ["crlf"], 1),
        (
            ["--status", "not_started", "--annotator", "bob"],
            ["news/1?x", "ar:2", "emoji", "plain"],
            2,
        ),
        (["--annotator", "bob", "--label", "claim"], None, 1),
        (["--document", "emoji", "--document", "crlf"], ["emoji", "crlf"], 4),
    ],
)
def test_filters(hostile_db, tmp_path, args, documents, spans):
    out = tmp_path / "tasks.json"
    result = run_export(hostile_db, "--format", "labelstudio", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    if documents is not None:
        assert [t["data"]["doc_id"] for t in tasks] == documents
    assert (
        sum(
            len(
                [
                    r
                    for a in t["annotations"] + t.get("drafts", [])
                    for r in a["result"]
                    if r["type"] == "labels"
                ]
            )
            for t in tasks
        )
        == spans
    )
    provenance = json.loads(out.with_name("tasks.json.provenance.json").read_text(encoding="utf-8"))
    assert provenance["filters"]["statuses"] == [
        a for i, a in enumerate(args) if i and args[i - 1] == "--status"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label", "nope"], "no label 'nope'"),
        (["--annotator", "carol"], "no annotator 'carol'"),
        (["--document", "nope"], "no document with id 'nope'"),
        (["--status", "finished"], "Invalid value"),
        (["--split", "train=2"], "not between 0 and 1"),
    ],
)
def test_bad_filters_are_errors(hostile_db, tmp_path, args, message):
    result = run_export(hostile_db, "--format", "doccano", "-o", str(tmp_path / "x.jsonl"), *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.claimmark.db"]


# --------------------------------------------------------------------- provenance
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_provenance_names_the_project_state(hostile_db, tmp_path, fmt):
    out = tmp_path / ("folder" if fmt in FOLDER_FORMATS else "data.out")
    result = run_export(hostile_db, "--format", fmt, "-o", str(out), "--label", "claim")
    assert result.exit_code == 0, result.output
    provenance_file = (
        out / "provenance.json" if fmt in FOLDER_FORMATS else tmp_path / "data.out.provenance.json"
    )
    provenance = json.loads(provenance_file.read_text(encoding="utf-8"))
    with Project.open(hostile_db, created_by="reader") as project:
        latest, count = project.latest_event_hash(), project.event_count()
    assert provenance["project"] == {
        "file": "hostile.claimmark.db",
        "latest_event_hash": latest,
        "event_count": count,
    }
    from claimmark.core.version import APP_VERSION

    assert provenance["claimmark_version"] == APP_VERSION
    assert provenance["format"] == fmt
    assert provenance["filters"]["labels"] == ["claim"]
    assert provenance["exported_at"].endswith("Z")
    assert latest in result.stderr


def test_stdout_is_jsonl_only_and_provenance_goes_to_stderr(hostile_db):
    result = run_export(hostile_db, "-o", "-", "--status", "done")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["news/1?x", "crlf"]
    assert '"latest_event_hash"' in result.stderr
    result = run_export(hostile_db, "--format", "conll", "-o", "-")
    assert result.exit_code != 0 and "standard output" in result.stderr


# --------------------------------------------------------------------- failure midway
@pytest.mark.parametrize("fmt", ["brat", "hf", "spacy", "labelstudio"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "overwrite"])
def test_failure_midway_leaves_no_partial_output(
    hostile_project, tmp_path, monkeypatch, fmt, existing
):
    from claimmark.core.export.context import ExportContext

    real = ExportContext.count
    calls = []

    def failing(self, spans):
        calls.append(spans)
        if len(calls) == 3:  # two documents written, then the disk fills up
            raise OSError(28, "No space left on device")
        return real(self, spans)

    monkeypatch.setattr(ExportContext, "count", failing)
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    out = out_dir / ("brat" if fmt in FOLDER_FORMATS else "data.out")
    if existing:
        if fmt in FOLDER_FORMATS:
            out.mkdir()  # an earlier export: only that may be replaced
            (out / "old.txt").write_text("old", encoding="utf-8")
            provenance = {"files": ["old.txt"]}
            (out / "provenance.json").write_text(json.dumps(provenance), encoding="utf-8")
        else:
            out.write_text("old", encoding="utf-8")
    before = sorted(p.relative_to(out_dir) for p in out_dir.rglob("*"))
    with pytest.raises(OSError, match="No space"):
        export_project(hostile_project, fmt, out, ExportOptions(force=True))
    assert len(calls) == 3
    assert sorted(p.relative_to(out_dir) for p in out_dir.rglob("*")) == before


# --------------------------------------------------------------------- progress, spaCy import
@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "conll"])
def test_progress_callback_counts_documents(hostile_project, tmp_path, fmt):
    calls = []
    export_project(hostile_project, fmt, tmp_path / "out", on_document=lambda *a: calls.append(a))
    assert calls == [(i, 5) for i in range(1, 6)]


def test_spacy_is_imported_only_by_formats_that_tokenise(hostile_db, tmp_path):
    script = f"""
import sys
from click.testing import CliRunner
from claimmark.core.cli import cli
for fmt in ("jsonl", "brat", "doccano", "labelstudio"):
    out = {str(tmp_path)!r} + "/" + fmt
    args = ["--project", {str(hostile_db)!r}, "export", "--format", fmt, "-o", out]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
print("spacy" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_missing_spacy_gives_install_hint(hostile_project, tmp_path, monkeypatch):
    from claimmark.core.export.tokenising import blank_pipeline

    blank_pipeline.cache_clear()
    monkeypatch.setitem(sys.modules, "spacy", None)
    try:
        with pytest.raises(ExportError, match=r"pip install 'claimmark\[spacy\]'"):
            export_project(hostile_project, "hf", tmp_path / "x.jsonl")
    finally:
        blank_pipeline.cache_clear()
    assert list(tmp_path.iterdir()) == []


def test_unknown_language_is_an_error_before_writing(hostile_project, tmp_path):
    with pytest.raises(ExportError, match="language 'zz'"):
        export_project(hostile_project, "spacy", tmp_path / "x.spacy", ExportOptions(lang="zz"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "member",
    [("maria", "maria at example"), ("maria", "maria@"), ("maria", "a b@c.org"), ("", "x@y.org")],
)
def test_a_label_studio_member_must_be_an_annotator_and_an_email(member):
    with pytest.raises(ExportError):
        ExportOptions(labelstudio_users=(member,))
    assert ExportOptions(labelstudio_users=(("maria", "maria@example.org"),)).labelstudio_users
