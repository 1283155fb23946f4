"""CoNLL / IOB2 token files: text rebuilt from tokens, documents split on -DOCSTART-."""

from __future__ import annotations

from pathlib import Path

from claimmark.core.importing import import_paths

CONLL = """\
-DOCSTART- -X- O O

Firefighters NNS B-NP B-attribution
👨🏻‍🚒 SYM I-NP I-attribution
said VBD B-VP B-claim
3 CD B-NP I-claim
died VBD B-VP I-claim
😢 SYM O O

The DT B-NP O
ministry NN I-NP O
denied VBD B-VP B-denial
it PRP B-NP I-denial

-DOCSTART- -X- O O

قال _ _ B-attribution
المتحدث _ _ I-attribution
إن _ _ O
12 _ _ B-casualty_report
قتيلا _ _ I-casualty_report

המשרד _ _ O
הכחיש _ _ B-denial
"""


def write(tmp_path: Path, name: str, content: str, newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(content.replace("\n", newline).encode("utf-8"))
    return path


def spans_of(project, document_id):
    return [(s.text, s.label) for s in project.spans(document_id)]


def test_conll_documents_text_and_spans(project, tmp_path):
    path = write(tmp_path, "news.conll", CONLL, newline="\r\n")
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok, summary.files[0].problems
    assert summary.files[0].warnings == []
    first, second = (project.document(i) for i in summary.files[0].imported)
    assert first.text == "Firefighters 👨🏻‍🚒 said 3 died 😢\nThe ministry denied it"
    assert first.title == "Firefighters 👨🏻‍🚒 said 3 died 😢"
    assert first.meta["conll_document"] == 1
    tokens = [first.text[a:b] for a, b in first.meta["token_offsets"]]
    assert tokens[:3] == ["Firefighters", "👨🏻‍🚒", "said"] and len(tokens) == 10
    assert spans_of(project, first.id) == [
        ("Firefighters 👨🏻‍🚒", "attribution"),
        ("said 3 died", "claim"),
        ("denied it", "denial"),
    ]
    assert second.text == "قال المتحدث إن 12 قتيلا\nהמשרד הכחיש"
    assert spans_of(project, second.id) == [
        ("قال المتحدث", "attribution"),
        ("12 قتيلا", "casualty_report"),
        ("הכחיש", "denial"),
    ]
    for span in project.spans():
        document = project.document(span.document_id)
        assert document.text[span.start : span.end] == span.text


def test_iob1_and_stray_i_tags_are_read_leniently(project, tmp_path):
    content = "Anna I-PER\nMaria I-PER\nsaw O\nKyiv I-LOC\nLviv B-LOC\nand O\nx I-LOC\n"
    path = write(tmp_path, "iob1.iob", content)
    summary = import_paths(project, [path], annotator="tester")
    assert summary.ok
    [doc] = summary.files[0].imported
    assert spans_of(project, doc) == [
        ("Anna Maria", "per"),
        ("Kyiv", "loc"),
        ("Lviv", "loc"),
        ("x", "loc"),
    ]
    warnings = [str(w) for w in summary.files[0].warnings]
    assert warnings[0] == (
        f"{path}:1: 3 span(s) start with I- instead of B- (IOB1 or a stray I-; lines 1, 4, 7):"
        " each was read as the start of a span"
    )
    assert warnings[1:] == [
        f"{path}:1: label 'PER' stored as key 'per'",
        f"{path}:1: label 'LOC' stored as key 'loc'",
    ]
    assert set(summary.new_labels) == {"per", "loc"}


def test_spans_end_at_sentence_breaks_and_tab_columns(project, tmp_path):
    content = "New York\tB-LOC\nCity\tI-LOC\n\nis\tI-LOC\n# a comment line here\nbig\tO\n"
    summary = import_paths(project, [write(tmp_path, "tabs.bio", content)], annotator="tester")
    assert summary.ok
    [doc] = summary.files[0].imported
    assert project.document(doc).text == "New York City\nis big"
    assert spans_of(project, doc) == [("New York City", "loc"), ("is", "loc")]


def test_bioes_tags(project, tmp_path):
    content = "Anna S-PER\nvisited O\nNew B-LOC\nYork E-LOC\nagain O\n"
    summary = import_paths(project, [write(tmp_path, "bioes.conll", content)], annotator="tester")
    assert summary.ok and len(summary.files[0].warnings) == 2  # label keys only
    assert spans_of(project, summary.files[0].imported[0]) == [("Anna", "per"), ("New York", "loc")]


def test_long_first_sentence_is_shortened_for_the_title(project, tmp_path):
    content = "".join(f"word{i} O\n" for i in range(40))
    summary = import_paths(project, [write(tmp_path, "long.conll", content)], annotator="tester")
    title = project.document(summary.files[0].imported[0]).title
    assert len(title) == 80 and title.endswith("…") and title.startswith("word0 word1")


def test_bad_tags_and_lines_are_refused_with_their_line(project, tmp_path, snapshot):
    content = "Rebels B-claim\nclaimed\nit X-claim\n"
    path = write(tmp_path, "bad.conll", content)
    before = snapshot(project)
    result = import_paths(project, [path], annotator="tester").files[0]
    assert [str(p) for p in result.problems] == [
        f"{path}:2: expected a token and a tag, got 'claimed'",
        f"{path}:3: tag 'X-claim' is not O or B-/I-LABEL (IOB2)",
    ]
    assert snapshot(project) == before


def test_txt_is_conll_only_when_forced(project, tmp_path):
    path = write(tmp_path, "tokens.txt", "Rebels B-claim\nclaimed I-claim\n")
    plain = import_paths(project, [path], annotator="tester")
    assert project.spans() == [] and plain.ok
    assert project.document(plain.files[0].imported[0]).text == "Rebels B-claim\nclaimed I-claim\n"
    forced = import_paths(project, [path], format="conll", annotator="tester")
    assert forced.ok
    assert spans_of(project, forced.files[0].imported[0]) == [("Rebels claimed", "claim")]
