"""Token formats give back the label names that came in: CoNLL tags, spaCy labels, HF tag names.

A name that is not a valid key (``PER``, ``Merge-org``, ``人名``) is stored under a derived key;
an export to CoNLL, spaCy or Hugging Face must write the name, not the key, so a file imported
and exported again carries the same tags.
"""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, DocBin

from claimmark.core.export import export_project
from claimmark.core.importing import import_paths
from claimmark.core.project import Project

CONLL = """\
-DOCSTART- -X- O O

Ann _ _ B-PER
Smith _ _ I-PER
joined _ _ O
Acme _ _ B-ORG
Corp. _ _ I-ORG
after _ _ O
the _ _ O
Merge _ _ B-Merge-org
deal _ _ I-Merge-org
. _ _ O

王 _ _ B-人名
说 _ _ O
"""

NAMES = ["PER", "ORG", "Merge-org", "人名"]


def tags_of(text: str) -> list[str]:
    return [line.split()[-1] for line in text.splitlines() if line and not line.startswith("-DOC")]


def imported(tmp_path, project: Project) -> None:
    source = tmp_path / "in.conll"
    source.write_text(CONLL, encoding="utf-8")
    summary = import_paths(project, [source], format="conll", annotator="importer")
    assert summary.ok, [str(p) for f in summary.files for p in f.problems]
    keys = {label.key for label in project.labels() if label.source_name in NAMES}
    assert len(keys) == len(NAMES)  # four names, four labels, none stored under its own name


def test_conll_import_exported_gives_back_the_same_tags(tmp_path):
    with Project.open(None, created_by="importer") as project:
        imported(tmp_path, project)
        out = tmp_path / "out.conll"
        export_project(project, "conll", out)
        written = out.read_text("utf-8")
        assert tags_of(written) == tags_of(CONLL)
        # and imported again: the same four labels, no new ones
        summary = import_paths(project, [out], format="conll", annotator="importer")
        assert summary.ok and summary.new_labels == []


def test_conll_name_with_whitespace_is_written_as_its_key(tmp_path):
    with Project.open(None, created_by="importer") as project:
        source = tmp_path / "in.jsonl"
        source.write_text('{"text": "An AK-47 fired.", "label": [[3, 8, "Weapon Type"]]}\n')
        assert import_paths(project, [source], format="doccano", annotator="importer").ok
        out = tmp_path / "out.conll"
        export_project(project, "conll", out)
        assert "AK-47 -X- _ B-weapon_type" in out.read_text("utf-8").splitlines()


def test_spacy_docbin_labels_come_back_as_they_came(tmp_path):
    nlp = spacy.blank("xx")
    words = ["Ann", "met", "王", "at", "Acme", "after", "the", "Merge"]
    doc = Doc(nlp.vocab, words=words)
    doc.ents = [doc.char_span(*where, label=label) for where, label in [
        ((0, 3), "PER"), ((8, 9), "人名"), ((13, 17), "ORG")]]  # fmt: skip
    doc.spans["sc"] = [doc.char_span(0, 3, label="PER"), doc.char_span(28, 33, label="Merge-org")]
    source = tmp_path / "in.spacy"
    DocBin(docs=[doc], store_user_data=True).to_disk(source)
    with Project.open(None, created_by="importer") as project:
        summary = import_paths(project, [source], format="spacy", annotator="importer")
        assert summary.ok, [str(p) for f in summary.files for p in f.problems]
        out = tmp_path / "out.spacy"
        export_project(project, "spacy", out)
        [back] = DocBin().from_disk(out).get_docs(nlp.vocab)
        ents = [(e.start_char, e.end_char, e.label_) for e in back.ents]
        assert ents == [(0, 3, "PER"), (8, 9, "人名"), (13, 17, "ORG")]
        group = [(s.start_char, s.end_char, s.label_) for s in back.spans["sc"]]
        assert group == [(0, 3, "PER"), (28, 33, "Merge-org")]


def test_hf_tag_names_are_the_imported_names(tmp_path, monkeypatch):
    cache = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(cache))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache / "datasets"))
    import datasets

    with Project.open(None, created_by="importer") as project:
        imported(tmp_path, project)
        out = tmp_path / "hf"
        export_project(project, "hf", out)
    dataset = datasets.load_dataset(str(out), cache_dir=str(cache / "datasets"))["train"]
    names = dataset.features["ner_tags"].feature
    assert {f"B-{name}" for name in NAMES} <= set(names.names)
    [row] = list(dataset)
    assert [names.int2str(i) for i in row["ner_tags"]] == tags_of(CONLL)
    assert {span["label"] for span in row["spans"]} == set(NAMES)
