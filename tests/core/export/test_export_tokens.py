"""Tokens of the CoNLL, Hugging Face and spaCy exports: whole grapheme clusters, lines as the
article view shows them."""

from __future__ import annotations

import json

import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.training.converters import conll_ner_to_docs

from claimmark.core.export import ExportOptions, export_project
from claimmark.core.export.token_doc import whole_clusters
from claimmark.core.export.tokenising import blank_pipeline
from claimmark.core.project import NewDocument, Project

from .conftest import at, span_losses

FLAGS = "🇺🇦🇫🇷"
FIREFIGHTER = "👩🏽\u200d🚒"
FAMILY = "👨\u200d👩\u200d👧\u200d👦"
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
CLUSTER_TEXT = f"Crowds waved {FLAGS} as {FIREFIGHTER} and {FAMILY} left {SCOTLAND} today."


def one_document(text: str, spans=()) -> Project:
    project = Project.open(None, created_by="alice")
    project.import_document(
        NewDocument(text=text, title="t", id="d", spans=list(spans)), annotator="alice"
    )
    return project


def conll_tokens(out) -> list[list[str]]:
    """The tokens of each sentence of the only document."""
    sentences, current = [], []
    for line in out.read_text(encoding="utf-8").split("\n")[2:]:
        if line:
            current.append(line.split(" ")[0])
        elif current:
            sentences.append(current)
            current = []
    return sentences


def test_conll_keeps_emoji_sequences_and_flags_whole(tmp_path):
    project = one_document(CLUSTER_TEXT, [at(CLUSTER_TEXT, FAMILY, "attribution", "alice")])
    out = tmp_path / "a.conll"
    report = export_project(project, "conll", out)
    [tokens] = conll_tokens(out)
    assert tokens == [
        "Crowds", "waved", "🇺🇦", "🇫🇷", "as", FIREFIGHTER, "and", FAMILY, "left", SCOTLAND,
        "today", ".",
    ]  # fmt: skip
    assert "\u200d" not in tokens and not report.losses_by_reason().get("boundaries_changed")
    [doc] = conll_ner_to_docs(out.read_text(encoding="utf-8"), no_print=True)
    assert [(e.text, e.label_) for e in doc.ents] == [(FAMILY, "attribution")]


def test_hf_tokens_are_whole_clusters_with_their_offsets(tmp_path):
    project = one_document(CLUSTER_TEXT)
    out = tmp_path / "a"
    export_project(project, "hf", out)
    row = json.loads((out / "train.jsonl").read_text(encoding="utf-8"))
    assert FIREFIGHTER in row["tokens"] and FAMILY in row["tokens"] and SCOTLAND in row["tokens"]
    assert "\u200d" not in row["tokens"] and "🇺" not in row["tokens"]
    for token, (start, end) in zip(row["tokens"], row["token_offsets"], strict=True):
        assert CLUSTER_TEXT[start:end] == token


def test_spacy_export_span_on_a_flag_is_exact(tmp_path):
    import spacy
    from spacy.tokens import DocBin

    project = one_document(CLUSTER_TEXT, [at(CLUSTER_TEXT, "🇫🇷", "claim", "alice")])
    out = tmp_path / "a.spacy"
    report = export_project(project, "spacy", out)
    [doc] = DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab)
    assert [e.text for e in doc.ents] == ["🇫🇷"] and span_losses(report) == {}


def test_form_feed_vertical_tab_and_nel_do_not_end_a_conll_sentence(tmp_path):
    text = "One\ftwo\x0bthree\x85four\nfive\u2028six\rseven"
    out = tmp_path / "a.conll"
    export_project(one_document(text), "conll", out)
    assert conll_tokens(out) == [["One", "two", "three", "four"], ["five"], ["six"], ["seven"]]


def test_span_across_a_form_feed_is_kept(tmp_path):
    text = "Page one ends\fand the claim goes on."
    span = at(text, "ends\fand the claim", "claim", "alice")
    out = tmp_path / "a.conll"
    report = export_project(one_document(text, [span]), "conll", out, ExportOptions())
    assert span_losses(report) == {}
    [doc] = conll_ner_to_docs(out.read_text(encoding="utf-8"), no_print=True)
    assert [e.text for e in doc.ents] == ["ends and the claim"]


#: Pieces that join into clusters in every way UAX #29 knows (combining marks, ZWJ sequences,
#: flags, skin tones, keycaps, tags, Hangul jamo, an Indic conjunct, Prepend, CR LF) mixed with
#: what tokenizers split on.
_PIECES = [
    "a", "b", " ", ".", ",", "“", "”", "—", "(", "\r\n", "\n", "\r", "\t", "\u2028",
    "e\u0301", "\u0301", " \u0301", "\u200d", "👨", "👩", "\U0001f3fd", "🇺", "🇦", "\ufe0f",
    "1\ufe0f\u20e3", "‼", "🏴\U000e0067\U000e0062\U000e007f", "\u1100", "\u1161", "\u11a8",
    "한", "\u0915\u094d\u0937", "\u0600", "\u06dd", "\U000110bd", "كتب", "שלום",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_tokens_are_merged_exactly_where_they_start_inside_a_cluster(text):
    """The export's quick look at seams gives what walking every cluster gives: a token is
    merged with the one before exactly when it starts inside a grapheme cluster and no space
    separates them."""
    nlp = blank_pipeline("xx")
    before = nlp.make_doc(text)
    clusters = {m.end() for m in regex.finditer(r"\X", text)}
    expected, token_starts = [], [t.idx for t in before]
    for i, start in enumerate(token_starts):
        if i and not before[i - 1].whitespace_ and start not in clusters:
            expected[-1] = (expected[-1][0], before[i].idx + len(before[i].text))
        else:
            expected.append((start, start + len(before[i].text)))
    merged = whole_clusters(nlp.make_doc(text))
    assert [(t.idx, t.idx + len(t.text)) for t in merged] == expected
