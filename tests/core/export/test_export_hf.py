"""The Hugging Face export, loaded offline with ``datasets.load_dataset("json")``."""

from __future__ import annotations

import json

import pytest

from claimmark.core.export import ExportOptions, export_project

from .conftest import expected_spans, read_losses, span_losses


@pytest.fixture
def load_json(tmp_path, monkeypatch):
    cache = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(cache))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache / "datasets"))
    import datasets

    def load(path, **kwargs):
        return datasets.load_dataset(
            "json",
            data_files=str(path),
            split="train",
            cache_dir=str(cache / "datasets"),
            **kwargs,
        )

    return load


def decode_bio(tags: list[str], offsets: list[list[int]]) -> list[tuple[int, int, str]]:
    spans, current = [], None
    for tag, (start, end) in zip(tags, offsets, strict=True):
        if tag.startswith("I-") and current and current[2] == tag[2:]:
            current[1] = end
            continue
        if current:
            spans.append(tuple(current))
        current = [start, end, tag[2:]] if tag != "O" else None
    if current:
        spans.append(tuple(current))
    return spans


def test_dataset_loads_and_tags_decode_to_the_projects_spans(hostile_project, tmp_path, load_json):
    out = tmp_path / "ner"
    report = export_project(hostile_project, "hf", out)
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    names = labels["ner_tags"]
    assert names[:3] == ["O", "B-claim", "I-claim"]
    assert labels["labels"] == [label.key for label in hostile_project.labels()]
    dataset = load_json(out / "train.jsonl")
    assert len(dataset) == 5
    assert dataset["id"] == [d.id for d in hostile_project.documents("tester")]
    expected = expected_spans(hostile_project, read_losses(report.loss_report))
    found = set()
    for row in dataset:
        assert len(row["tokens"]) == len(row["ner_tags"]) == len(row["token_offsets"])
        text = hostile_project.document(row["id"]).text
        assert row["text"] == text
        for token, (start, end) in zip(row["tokens"], row["token_offsets"], strict=True):
            assert text[start:end] == token and not token.isspace()
        tags = [names[i] for i in row["ner_tags"]]
        found |= {(row["id"], *span) for span in decode_bio(tags, row["token_offsets"])}
        # the character spans carry every selected span as it is in the project
        assert {(s["id"], s["start"], s["end"], s["label"], s["text"]) for s in row["spans"]} == {
            (s.id, s.start, s.end, s.label, s.text) for s in hostile_project.spans(row["id"])
        }
    assert found == expected
    # notes and annotators are in the spans column; only the tags lose the overlaps
    assert span_losses(report) == {"overlap": 3}
    notes = {s["id"]: s["note"] for row in dataset for s in row["spans"]}
    assert notes == {s.id: s.note for s in hostile_project.spans()}


def test_features_description_gives_class_labels(hostile_project, tmp_path, load_json):
    import datasets

    out = tmp_path / "ner"
    export_project(hostile_project, "hf", out, ExportOptions(labels=("claim", "denial")))
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    assert labels["ner_tags"] == ["O", "B-claim", "I-claim", "B-denial", "I-denial"]
    features = datasets.Features.from_dict(labels["features"])
    dataset = load_json(out / "train.jsonl", features=features)
    tag_feature = dataset.features["ner_tags"].feature
    assert tag_feature.names == labels["ner_tags"]
    row = dataset[0]
    assert [tag_feature.int2str(i) for i in row["ner_tags"]].count("B-denial") == 1


def test_split_parts_share_one_labels_file(many_db, tmp_path, load_json):
    from .conftest import run_export

    out = tmp_path / "hf"
    result = run_export(many_db, "--format", "hf", "-o", str(out), "--split", "train=0.5,test=0.5")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "README.md",
        "labels.json",
        "losses.jsonl",
        "provenance.json",
        "test.jsonl",
        "train.jsonl",
    ]
    assert len(load_json(out / "train.jsonl")) == len(load_json(out / "test.jsonl")) == 20


@pytest.fixture
def load_folder(tmp_path, monkeypatch):
    """``datasets.load_dataset(folder)`` offline, as a user would call it."""
    cache = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(cache))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache / "datasets"))
    import datasets

    return lambda folder: datasets.load_dataset(str(folder), cache_dir=str(cache / "datasets"))


def test_load_dataset_on_the_folder_gives_named_tags(hostile_project, tmp_path, load_folder):
    out = tmp_path / "ner"
    export_project(hostile_project, "hf", out)
    dataset = load_folder(out)
    assert list(dataset) == ["train"] and len(dataset["train"]) == 5
    tags = dataset["train"].features["ner_tags"].feature
    assert tags.names[:3] == ["O", "B-claim", "I-claim"]
    assert len(tags.names) == 1 + 2 * len(hostile_project.labels())
    row = next(r for r in dataset["train"] if r["id"] == "ar:2")
    named = [tags.int2str(i) for i in row["ner_tags"]]
    assert named.count("B-attribution") == 1 and named.count("B-claim") == 1
    assert dataset["train"].features["spans"].feature["start"].dtype == "int64"


def test_card_names_splits_and_provenance(many_db, tmp_path, load_folder):
    from claimmark.core.project import Project

    from .conftest import run_export

    out = tmp_path / "hf"
    result = run_export(
        many_db, "--format", "hf", "-o", str(out), "--split", "train=0.5,dev=0.25,test=0.25"
    )
    assert result.exit_code == 0, result.output
    dataset = load_folder(out)
    assert {name: len(part) for name, part in dataset.items()} == {
        "train": 20,
        "dev": 10,
        "test": 10,
    }
    assert dataset["dev"].features["ner_tags"].feature.names[1] == "B-claim"
    assert dataset["dev"][0]["ner_tags"][3:6] == [1, 2, 0]  # "rebels claimed" town
    card = (out / "README.md").read_text(encoding="utf-8")
    project = Project.open(many_db, created_by="alice")
    try:
        assert f"hash `{project.latest_event_hash()}`" in card
    finally:
        project.close()
    assert "num_examples: 10" in card and "many.claimmark.db" in card
