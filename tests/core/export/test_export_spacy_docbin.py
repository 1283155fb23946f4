"""The spaCy export, read back with spaCy's own DocBin."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import DocBin

from claimmark.core.export import ExportOptions, export_project

from .conftest import DROPPING, expected_spans, read_losses


def load_docs(path, lang="xx"):
    return list(DocBin().from_disk(path).get_docs(spacy.blank(lang).vocab))


def test_docbin_holds_texts_and_every_span_in_doc_spans(hostile_project, tmp_path):
    out = tmp_path / "train.spacy"
    report = export_project(hostile_project, "spacy", out, ExportOptions(span_key="claims"))
    docs = load_docs(out)
    ids = [doc.user_data["claimmark_document_id"] for doc in docs]
    assert ids == [d.id for d in hostile_project.documents("tester")]
    for doc, document in zip(docs, hostile_project.iter_documents(), strict=True):
        assert doc.text == document.text  # emoji, ZWJ, CRLF and RTL text survive unchanged
        assert doc.user_data["claimmark_title"] == document.title
        assert "sc" not in doc.spans
    losses = read_losses(report.loss_report)
    expected = expected_spans(hostile_project, losses, dropping=DROPPING - {"overlap_not_in_ents"})
    found = {
        (doc.user_data["claimmark_document_id"], s.start_char, s.end_char, s.label_)
        for doc in docs
        for s in doc.spans["claims"]
    }
    assert found == expected
    # every span made it (expand mode), overlapping ones included, and keeps its claimmark id
    assert sum(len(doc.spans["claims"]) for doc in docs) == len(hostile_project.spans())
    span_ids = {s.id_ for doc in docs for s in doc.spans["claims"]}
    assert span_ids == {s.id for s in hostile_project.spans()}
    for doc in docs:
        for s in doc.spans["claims"]:
            assert s.text == doc.text[s.start_char : s.end_char]


def test_ents_keep_the_longest_non_overlapping_spans(hostile_project, tmp_path):
    out = tmp_path / "train.spacy"
    report = export_project(hostile_project, "spacy", out)
    docs = {doc.user_data["claimmark_document_id"]: doc for doc in load_docs(out)}
    losses = read_losses(report.loss_report)
    expected = expected_spans(hostile_project, losses)
    found = {
        (doc_id, e.start_char, e.end_char, e.label_)
        for doc_id, doc in docs.items()
        for e in doc.ents
    }
    assert found == expected
    # an overlap no longer empties doc.ents: the longest spans stay, the ones they cover go
    assert [(e.label_, e.text) for e in docs["news/1?x"].ents] == [
        ("claim", "Officials said 👨🏻\u200d🚒 firemen died"),
        ("denial", "The ministry denied it"),
    ]
    assert [e.text for e in docs["emoji"].ents] == ["👩\u200d👩\u200d👧", "Rebels claimed victory"]
    assert [e.text for e in docs["ar:2"].ents] == ["المتحدث", "ثلاثة جنود قتلوا", "שלום"]
    assert [e.text for e in docs["crlf"].ents] == ["Two soldiers were\r\nkilled"]
    not_in_ents = {
        (row["document_id"], row["start"], row["end"], row["label"])
        for row in losses
        if row["reason"] == "overlap_not_in_ents"
    }
    news, emoji = docs["news/1?x"].text, docs["emoji"].text
    assert not_in_ents == {
        ("news/1?x", 0, 9, "attribution"),
        ("news/1?x", news.index("👨"), news.index(" died") + 5, "casualty_report"),
        ("emoji", emoji.index("ebels"), emoji.index(" victory"), "claim"),
    }
    # and every one of them is still in doc.spans
    for doc_id, start, end, label in not_in_ents:
        assert any(
            (s.label_, s.start_char <= start, s.end_char >= end) == (label, True, True)
            for s in docs[doc_id].spans["sc"]
        )


def test_misaligned_span_is_expanded_and_reported(hostile_project, tmp_path):
    report = export_project(hostile_project, "spacy", tmp_path / "a.spacy")
    [moved] = [
        row for row in read_losses(report.loss_report) if row["reason"] == "boundaries_changed"
    ]
    text = hostile_project.document("emoji").text
    assert text[moved["start"] : moved["end"]] == "ebels claimed"
    assert text[moved["written_start"] : moved["written_end"]] == "Rebels claimed"


@pytest.mark.parametrize(("align", "expected"), [("contract", "claimed"), ("strict", None)])
def test_align_modes(hostile_project, tmp_path, align, expected):
    out = tmp_path / "a.spacy"
    report = export_project(
        hostile_project, "spacy", out, ExportOptions(align=align, documents=("emoji",))
    )
    [doc] = load_docs(out)
    alice = [s.text for s in doc.spans["sc"] if s.text != "Rebels claimed victory"]
    losses = {row["reason"]: row for row in read_losses(report.loss_report)}
    if expected is None:
        assert losses["not_token_aligned"]["start"] == doc.text.index("ebels claimed")
        assert len(alice) == 1  # only bob's attribution
    else:
        assert expected in alice
        assert losses["boundaries_changed"]["detail"].startswith("written as")


def test_notes_and_annotator_merge_are_losses(hostile_project, tmp_path):
    report = export_project(hostile_project, "spacy", tmp_path / "a.spacy")
    by_reason = report.losses_by_reason()
    assert by_reason["note_not_carried"] == 2
    merged = [
        row for row in read_losses(report.loss_report) if row["reason"] == "annotators_merged"
    ]
    assert [row["document_id"] for row in merged] == ["emoji"]
    assert merged[0]["span_id"] is None


def test_other_language_pipeline(hostile_project, tmp_path):
    out = tmp_path / "ar.spacy"
    export_project(hostile_project, "spacy", out, ExportOptions(lang="ar", documents=("ar:2",)))
    [doc] = load_docs(out, "ar")
    assert [s.text for s in doc.spans["sc"]] == ["المتحدث", "ثلاثة جنود قتلوا", "שלום"]
