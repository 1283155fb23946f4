"""Label names from other tools: never merged, never renamed on the way back out.

Names that are not valid keys (any case, punctuation or script) get a key derived from them and
keep the original as display name and source name; an export to a format that carries names
writes the original back. Two names that would share a key are refused, naming both.
"""

from __future__ import annotations

import json

import pytest

from claimmark.core.export import export_project
from claimmark.core.foreign_labels import key_for_name
from claimmark.core.importing import import_paths
from claimmark.core.project import Project

NAMES = ["人名", "地名", "ПЕРСОНА", "МЕСТО", "PER", "Merge-org", "Weapon Type"]
TEXT = "Ann met Bo in Rome and Oslo while the firm merged; an AK-47 fired."
WORDS = ["Ann", "Bo", "Rome", "Oslo", "met", "firm", "AK-47"]


def spans() -> list[tuple[int, int, str]]:
    return [
        (TEXT.index(word), TEXT.index(word) + len(word), name)
        for word, name in zip(WORDS, NAMES, strict=True)
    ]


def doccano_file(path):
    path.write_text(json.dumps({"text": TEXT, "label": spans()}, ensure_ascii=False) + "\n")
    return path


def labelstudio_file(path):
    result = [
        {"id": f"r{i}", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": s, "end": e, "text": TEXT[s:e], "labels": [name]}}
        for i, (s, e, name) in enumerate(spans())
    ]  # fmt: skip
    tasks = [
        {"id": 1, "data": {"text": TEXT}, "annotations": [{"completed_by": 1, "result": result}]}
    ]
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def brat_folder(folder):
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    names = [name.replace(" ", "_") for name in NAMES]  # brat types have no spaces
    lines = [f"T{i + 1}\t{names[i]} {s} {e}\t{TEXT[s:e]}" for i, (s, e, _) in enumerate(spans())]
    (folder / "a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def doccano_names(out) -> set[str]:
    return {e["label"] for line in out.read_text("utf-8").splitlines()
            for e in json.loads(line)["entities"]}  # fmt: skip


def labelstudio_names(out) -> set[str]:
    return {name for task in json.loads(out.read_text("utf-8"))
            for a in task["annotations"] for r in a["result"] if r["type"] == "labels"
            for name in r["value"]["labels"]}  # fmt: skip


def brat_names(out) -> set[str]:
    return {line.split("\t")[1].split(" ")[0] for path in out.glob("*.ann")
            for line in path.read_text("utf-8").splitlines() if line.startswith("T")}  # fmt: skip


CASES = {
    "doccano": (doccano_file, "in.jsonl", "out.jsonl", doccano_names, NAMES),
    "labelstudio": (labelstudio_file, "in.json", "out.json", labelstudio_names, NAMES),
    "brat": (brat_folder, "in", "out", brat_names, [n.replace(" ", "_") for n in NAMES]),
}


@pytest.mark.parametrize("fmt", CASES)
def test_names_stay_distinct_and_come_back_unchanged(tmp_path, fmt):
    write, name_in, name_out, read_names, expected = CASES[fmt]
    source = write(tmp_path / name_in)
    with Project.open(None, created_by="importer") as project:
        summary = import_paths(project, [source], format=fmt, annotator="importer")
        assert summary.ok, [str(p) for f in summary.files for p in f.problems]
        by_key = {label.key: label for label in project.labels()}
        stored = {by_key[s.label].name for s in project.spans()}
        assert stored == set(expected)  # seven names, seven labels, shown as they came
        assert len({s.label for s in project.spans()}) == len(expected)
        out = tmp_path / name_out
        report = export_project(project, fmt, out)
        assert read_names(out) == set(expected)
        if fmt == "labelstudio":
            config = out.with_name("out.config.xml").read_text("utf-8")
            assert all(f'value="{name}"' in config for name in expected)
        if fmt == "brat":
            conf = (out / "annotation.conf").read_text("utf-8")
            assert all(f"\n{name}\n" in conf for name in expected)
        assert report.documents == 1
        # and back again: the same labels, nothing new
        summary = import_paths(project, [out], format=fmt, annotator="importer")
        assert summary.ok and summary.new_labels == []


def test_a_second_import_reuses_the_labels(tmp_path):
    with Project.open(None, created_by="importer") as project:
        assert import_paths(project, [doccano_file(tmp_path / "a.jsonl")], annotator="importer").ok
        keys = {label.key for label in project.labels()}
        other = tmp_path / "b.jsonl"
        other.write_text(json.dumps({"text": "Zed.", "label": [[0, 3, "人名"]]}) + "\n")
        summary = import_paths(project, [other], annotator="importer")
        assert summary.ok and summary.new_labels == []
        assert {label.key for label in project.labels()} == keys


@pytest.mark.parametrize(
    ("first", "second"),
    [("PER", "per"), ("per", "PER"), ("Merge-org", "merge_org"), ("Café", "Cafe"), ("A.B", "A-B")],
)
def test_two_names_that_would_share_a_key_are_refused_naming_both(tmp_path, first, second):
    path = tmp_path / "c.jsonl"
    lines = [{"text": "Ann and Bo.", "label": [[0, 3, first]]},
             {"text": "Cy and Di.", "label": [[0, 2, second]]}]  # fmt: skip
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with Project.open(None, created_by="importer") as project:
        result = import_paths(project, [path], annotator="importer").files[0]
        [problem] = result.problems
        assert problem.line == 2
        assert repr(first) in problem.message and repr(second) in problem.message
        assert "two different names, one label" in problem.message
        assert project.document_count() == 0 and project.spans() == []


def test_a_name_that_lands_on_a_project_label_standing_for_another_is_refused(tmp_path):
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"text": "Ann.", "label": [[0, 3, "PER"]]}) + "\n")
    second = tmp_path / "b.jsonl"
    second.write_text(json.dumps({"text": "Bo.", "label": [[0, 2, "Per"]]}) + "\n")
    with Project.open(None, created_by="importer") as project:
        assert import_paths(project, [first], annotator="importer").ok
        [problem] = import_paths(project, [second], annotator="importer").files[0].problems
        assert "'Per' and the project's label 'PER'" in problem.message


def test_claimmark_jsonl_keys_are_keys(tmp_path):
    """Native files name labels by key: 'per' is the project's per, whatever it stands for."""
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"text": "Ann.", "label": [[0, 3, "PER"]]}) + "\n")
    native = tmp_path / "n.jsonl"
    native.write_text(
        json.dumps({"text": "Bo.", "spans": [{"start": 0, "end": 2, "label": "per"}]}) + "\n"
    )
    with Project.open(None, created_by="importer") as project:
        assert import_paths(project, [first], annotator="importer").ok
        assert import_paths(project, [native], annotator="importer").ok
        assert {s.label for s in project.spans()} == {"per"}


def test_keys_for_names_in_other_scripts_are_distinct_and_valid():
    keys = [key_for_name(name) for name in NAMES]
    assert len(set(keys)) == len(keys)
    assert keys[:2] == ["u4eba_u540d", "u5730_u540d"]
    assert keys[4:] == ["per", "merge_org", "weapon_type"]
