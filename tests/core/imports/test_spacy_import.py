"""spaCy DocBin files built with spaCy's own API, then imported."""

from __future__ import annotations

import re
import sys

import spacy
from spacy.tokens import Doc, DocBin, Span

from claimmark.core.importing import import_paths


def make_doc(nlp, text: str) -> Doc:
    """A Doc whose text is exactly ``text`` (CRLF and emoji included), tokens on word edges."""
    words: list[str] = []
    spaces: list[bool] = []
    for match in re.finditer(r"\s+|\w+|[^\w\s]", text):
        token = match.group()
        if token == " " and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
        else:
            words.append(token)
            spaces.append(False)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    assert doc.text == text
    return doc


def test_docbin_round_trip(project, tmp_path, corpus, stored, expected):
    nlp = spacy.blank("en")
    docbin = DocBin()
    for doc_spec in corpus:
        doc = make_doc(nlp, doc_spec.text)
        spans = [doc.char_span(s, e, label=label) for s, e, label in doc_spec.spans]
        assert all(span is not None for span in spans)
        doc.spans["sc"] = spans  # overlapping spans are fine in a span group
        doc.ents = spacy.util.filter_spans(spans)  # the same spans again, without overlap
        docbin.add(doc)
    path = tmp_path / "train.spacy"
    docbin.to_disk(path)

    summary = import_paths(project, [path], annotator="tester")

    assert summary.ok, summary.files[0].problems
    assert summary.files[0].warnings == []
    for doc_spec, document_id in zip(corpus, summary.files[0].imported, strict=True):
        assert project.document(document_id).text == doc_spec.text
        assert stored(project, document_id) == expected(doc_spec)  # ents deduplicated
        assert {s.note for s in project.spans(document_id)} == {None}


def test_other_span_groups_and_ents_only(project, tmp_path):
    nlp = spacy.blank("en")
    doc = make_doc(nlp, "Anna said Kyiv was hit.")
    doc.ents = [Span(doc, 0, 1, label="PER")]
    doc.spans["claims"] = [Span(doc, 1, 5, label="claim"), Span(doc, 0, 1, label="PER")]
    doc.spans["sc"] = [Span(doc, 1, 5, label="claim")]
    doc.spans["empty"] = [Span(doc, 2, 3)]
    path = tmp_path / "groups.spacy"
    DocBin(docs=[doc]).to_disk(path)
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok
    assert sorted((s.text, s.label, s.note) for s in project.spans()) == [
        ("Anna", "per", "spaCy span group 'claims'"),
        ("said Kyiv was hit", "claim", "spaCy span group 'claims'"),
    ]
    assert [w.message for w in summary.files[0].warnings] == [
        "doc 1: 1 span(s) without a label not imported",
        "label 'PER' stored as key 'per'",
    ]


def test_not_a_docbin(project, tmp_path, snapshot):
    path = tmp_path / "broken.spacy"
    path.write_bytes(b"not msgpack at all \x00\x01")
    before = snapshot(project)
    [problem] = import_paths(project, [path], annotator="tester").files[0].problems
    assert str(problem).startswith(f"{path}: not a spaCy DocBin file (")
    assert snapshot(project) == before


def test_missing_spacy_says_how_to_install_it(project, tmp_path, monkeypatch):
    nlp = spacy.blank("en")
    path = tmp_path / "a.spacy"
    DocBin(docs=[nlp("Some text.")]).to_disk(path)
    monkeypatch.setitem(sys.modules, "spacy", None)  # makes "import spacy" raise ImportError
    [problem] = import_paths(project, [path], annotator="tester").files[0].problems
    assert (
        str(problem) == f"{path}: reading .spacy files needs spaCy: pip install 'claimmark[spacy]'"
    )


def reexport(project, tmp_path, **options):
    from claimmark.core.export import ExportOptions, export_project

    out = tmp_path / "again.spacy"
    report = export_project(project, "spacy", out, ExportOptions(**options))
    return list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab)), report


def test_kb_ids_cats_and_ents_versus_groups_come_back_on_reexport(project, tmp_path):
    nlp = spacy.blank("en")
    doc = make_doc(nlp, "Anna said Kyiv was hit by Acme Corp drones.")
    doc.ents = [
        Span(doc, 0, 1, label="person", kb_id="Q1"),
        Span(doc, 2, 3, label="place", kb_id="Q1899"),
    ]
    doc.spans["claims"] = [Span(doc, 1, 5, label="claim")]
    doc.cats = {"conflict": 1.0, "sport": 0.0}
    path = tmp_path / "kb.spacy"
    DocBin(docs=[doc], store_user_data=True).to_disk(path)
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok, summary.files[0].problems
    [document_id] = summary.files[0].imported
    meta = project.document(document_id).meta
    assert meta["spacy"]["cats"] == {"conflict": 1.0, "sport": 0.0}

    [again], report = reexport(project, tmp_path)
    assert [(e.text, e.label_, e.kb_id_) for e in again.ents] == [
        ("Anna", "person", "Q1"),
        ("Kyiv", "place", "Q1899"),
    ]
    assert [(s.text, s.label_) for s in again.spans["claims"]] == [("said Kyiv was hit", "claim")]
    assert list(again.spans["sc"]) == []  # the entities were not merged into sc
    assert again.cats == {"conflict": 1.0, "sport": 0.0}
    assert [t.text for t in again] == [t.text for t in doc]
    assert report.losses_by_reason().get("overlap_not_in_ents") is None


def test_a_span_added_in_claimmark_goes_to_the_span_key_and_ents(project, tmp_path):
    nlp = spacy.blank("en")
    doc = make_doc(nlp, "Anna said Kyiv was hit.")
    doc.ents = [Span(doc, 0, 1, label="person")]
    path = tmp_path / "a.spacy"
    DocBin(docs=[doc]).to_disk(path)
    [document_id] = import_paths(project, [path], annotator="tester").files[0].imported
    text = project.document(document_id).text
    start = text.index("Kyiv")
    project.add_span(document_id, "person", start, start + 4, annotator="tester")
    [again], _ = reexport(project, tmp_path, span_key="new")
    assert [(e.text, e.label_) for e in again.ents] == [("Anna", "person"), ("Kyiv", "person")]
    assert [s.text for s in again.spans["new"]] == ["Kyiv"]
