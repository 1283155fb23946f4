"""The CoNLL export, read back with spaCy's own CoNLL-2003 converter."""

from __future__ import annotations

import json

import spacy
from spacy.training.converters import conll_ner_to_docs

from claimmark.core.export import ExportOptions, export_project
from claimmark.core.export.token_doc import whole_clusters

from .conftest import expected_spans, read_losses


def export_conll(project, tmp_path, **options):
    out = tmp_path / "ner.conll"
    report = export_project(project, "conll", out, ExportOptions(**options))
    return out, report


def test_spacy_converter_reads_documents_tokens_and_entities(hostile_project, tmp_path):
    out, report = export_conll(hostile_project, tmp_path)
    data = out.read_text(encoding="utf-8")
    docs = list(conll_ner_to_docs(data, no_print=True))
    provenance = json.loads(report.provenance_file.read_text(encoding="utf-8"))
    ids = provenance["parts"]["all"]
    assert len(docs) == len(ids) == 5
    nlp = spacy.blank("xx")
    expected = expected_spans(hostile_project, read_losses(report.loss_report))
    found = set()
    for doc, document_id in zip(docs, ids, strict=True):
        original = whole_clusters(nlp.make_doc(hostile_project.document(document_id).text))
        assert [t.text for t in doc] == [t.text for t in original if not t.text.isspace()]
        for ent in doc.ents:
            matches = [
                e
                for e in expected
                if e[0] == document_id
                and e[3] == ent.label_
                and [t.text for t in original.char_span(e[1], e[2]) if not t.is_space]
                == [t.text for t in ent]
            ]
            assert matches, (document_id, ent.text, ent.label_)
            found.add(matches[0])
    assert found == expected


def test_docstart_separates_every_document(hostile_project, tmp_path):
    out, _ = export_conll(hostile_project, tmp_path)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "-DOCSTART- -X- O O"
    assert lines.count("-DOCSTART- -X- O O") == 5
    for i, line in enumerate(lines):
        if line.startswith("-DOCSTART-"):
            assert line == "-DOCSTART- -X- O O" and lines[i + 1] == ""
        elif line:
            _token, x, underscore, tag = line.split(" ")
            assert (x, underscore) == ("-X-", "_") and (tag == "O" or tag[:2] in ("B-", "I-"))
    assert "\r" not in out.read_text(encoding="utf-8")


def test_sentences_are_lines_and_crossing_spans_are_losses(hostile_project, tmp_path):
    out, report = export_conll(hostile_project, tmp_path, documents=("crlf",))
    docs = list(conll_ner_to_docs(out.read_text(encoding="utf-8"), no_print=True))
    assert [s.text for s in docs[0].sents] == ["Two soldiers were", "killed today ."]
    assert docs[0].ents == ()
    [loss] = [row for row in read_losses(report.loss_report) if row["span_id"]]
    assert (loss["document_id"], loss["reason"], loss["label"]) == (
        "crlf",
        "crosses_line_break",
        "casualty_report",
    )


def test_overlaps_keep_the_longest_then_earliest(hostile_project, tmp_path):
    out, report = export_conll(hostile_project, tmp_path, documents=("news/1?x",))
    [doc] = conll_ner_to_docs(out.read_text(encoding="utf-8"), no_print=True)
    assert [(e.label_, e.text) for e in doc.ents] == [
        ("claim", "Officials said 👨🏻\u200d🚒 firemen died"),
        ("denial", "The ministry denied it"),
    ]
    overlaps = [row for row in read_losses(report.loss_report) if row["reason"] == "overlap"]
    assert sorted(row["label"] for row in overlaps) == ["attribution", "casualty_report"]
    assert all("which was kept" in row["detail"] for row in overlaps)


def test_token_with_whitespace_inside_is_dropped_with_its_spans():
    # spacy.blank splits at every str.isspace() character, so such a token only comes from
    # another tokenizer; the rule is checked on a Doc built with one.
    from spacy.tokens import Doc

    from claimmark.core.export.losses import LossLog
    from claimmark.core.export.selection import SelectedDocument
    from claimmark.core.export.token_sequence import label_sequence
    from claimmark.core.model import Document, Span

    text = "odd\x1ftoken here now"
    doc = Doc(
        spacy.blank("xx").vocab, words=["odd\x1ftoken", "here", "now"], spaces=[True, True, False]
    )
    assert doc.text == text
    document = Document("t", "t", text, "", None, {}, "")
    spans = (
        Span("s1", "t", "claim", 0, 14, text[0:14], "a"),  # "odd\x1ftoken here"
        Span("s2", "t", "denial", 15, 18, text[15:18], "a"),  # "now"
    )
    losses = LossLog("conll")
    sequence = label_sequence(
        doc,
        SelectedDocument(document, spans, {}),
        "expand",
        losses,
        lines_are_sentences=True,
        whitespace_free_tokens=True,
    )
    assert [t.text for t in sequence.tokens] == ["here", "now"]
    assert sequence.tags == ["O", "B-denial"]
    assert [(loss.span_id, loss.reason) for loss in losses.items] == [("s1", "unwritable_token")]
