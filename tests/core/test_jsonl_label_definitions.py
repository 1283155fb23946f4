"""Native JSONL keeps a label's source name: ``人名`` stays ``人名`` through export and import.

Labels imported from other tools live under derived keys; the JSONL export describes them in
``label_definition`` lines, so a project rebuilt from the file writes the original names back.
"""

from __future__ import annotations

import json

from claimmark.core.export import export_project
from claimmark.core.importing import import_paths
from claimmark.core.project import Project

TEXT = "王 met Ann at Acme."
DOCCANO = {"text": TEXT, "label": [[0, 1, "人名"], [6, 9, "PER"], [13, 17, "Merge-org"]]}


def test_source_names_survive_a_jsonl_round_trip(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(DOCCANO, ensure_ascii=False) + "\n", encoding="utf-8")
    native = tmp_path / "native.jsonl"
    with Project.open(None, created_by="importer") as first:
        assert import_paths(first, [source], format="doccano", annotator="importer").ok
        before = {label.key: label for label in first.labels() if label.source_name}
        export_project(first, "jsonl", native)
    with Project.open(None, created_by="second") as second:
        summary = import_paths(second, [native], annotator="importer")
        assert summary.ok, [str(p) for f in summary.files for p in f.problems]
        after = {label.key: label for label in second.labels() if label.source_name}
        assert after == before  # same keys, names, colours and source names
        out = tmp_path / "again.jsonl"
        export_project(second, "doccano", out)
        names = [e["label"] for e in json.loads(out.read_text("utf-8"))["entities"]]
        assert sorted(names) == sorted(["人名", "PER", "Merge-org"])
        # imported twice: the labels are recognised, nothing new, nothing refused
        again = import_paths(second, [native], annotator="importer")
        assert again.ok and again.new_labels == []


def test_older_jsonl_without_definitions_still_imports(tmp_path):
    old = tmp_path / "old.jsonl"
    line = {"id": "d1", "text": TEXT, "spans": [{"start": 6, "end": 9, "label": "per"}]}
    old.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with Project.open(None, created_by="a") as project:
        summary = import_paths(project, [old], annotator="importer")
        assert summary.ok and [s.label for s in project.spans()] == ["per"]
        assert project.labels()[-1].source_name is None


def test_a_definition_that_renames_a_project_label_is_refused(tmp_path):
    path = tmp_path / "clash.jsonl"
    lines = [
        {"label_definition": {"key": "claim", "name": "CLAIM", "source_name": "CLAIM"}},
        {"id": "d1", "text": TEXT, "spans": [{"start": 6, "end": 9, "label": "claim"}]},
    ]
    path.write_text("".join(json.dumps(v) + "\n" for v in lines), encoding="utf-8")
    with Project.open(None, created_by="a") as project:
        summary = import_paths(project, [path], annotator="importer")
        assert not summary.ok and project.spans() == []
        [problem] = summary.files[0].problems
        assert problem.line == 1 and "'CLAIM'" in problem.message and "'claim'" in problem.message


def test_a_malformed_definition_names_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [{"label_definition": {"key": "Not A Key", "source_name": "X"}}, {"text": TEXT}]
    path.write_text("".join(json.dumps(v) + "\n" for v in lines), encoding="utf-8")
    with Project.open(None, created_by="a") as project:
        summary = import_paths(project, [path], annotator="importer")
        assert not summary.ok
        [problem] = summary.files[0].problems
        assert problem.line == 1 and "label definition" in problem.message
