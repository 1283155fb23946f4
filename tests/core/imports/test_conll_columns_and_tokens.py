"""CoNLL files whose columns are not (token ... tag), and tokens that survive a round trip."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from claimmark.core.cli import cli
from claimmark.core.export import export_project
from claimmark.core.importing import import_paths

# Tokens that spaCy's tokenizer would split differently ("Corp." -> "Corp" ".", "U.S.-led").
ORIGINAL = """\
-DOCSTART- -X- O O

Acme B-org
Corp. I-org
said O
U.S.-led B-attribution
forces I-attribution
withdrew O
. O

It O
ca O
n't O
be O
, O
he O
said O
"""

CONLLEVAL = """\
Acme B-org B-org
Corp. I-org O
said O O
Kyiv B-place B-org
"""

INDEXED = """\
1\tAcme\tB-org
2\tCorp.\tI-org
3\tsaid\tO

1\tKyiv\tB-place
2\twas\tO
3\thit\tO
"""


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def token_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_reexport_keeps_the_imported_tokens_and_tags(project, tmp_path):
    source = write(tmp_path, "gold.conll", ORIGINAL)
    assert import_paths(project, [source], annotator="alice").ok
    out = tmp_path / "again.conll"
    report = export_project(project, "conll", out)
    original = [line.split() for line in token_lines(source)]
    again = [line.split() for line in token_lines(out)]
    assert [(r[0], r[-1]) for r in again] == [(r[0], r[-1]) for r in original]
    # the tokens, tags and spans all come back; only what CoNLL has no place for is reported
    assert {loss.reason for loss in report.losses} == {
        "document_fields_not_carried",
        "span_fields_not_carried",
    }
    assert report.notices == ["Tokens: 1 document(s) kept their imported tokens"]
    assert report.provenance["tokens"] == {"lang": "xx", "imported": 1}


def test_hf_and_spacy_exports_use_the_imported_tokens(project, tmp_path):
    import json

    import spacy
    from spacy.tokens import DocBin

    assert import_paths(project, [write(tmp_path, "gold.conll", ORIGINAL)], annotator="alice").ok
    export_project(project, "hf", tmp_path / "hf")
    row = json.loads((tmp_path / "hf" / "train.jsonl").read_text(encoding="utf-8"))
    assert row["tokens"][:5] == ["Acme", "Corp.", "said", "U.S.-led", "forces"]
    export_project(project, "spacy", tmp_path / "a.spacy")
    [doc] = DocBin().from_disk(tmp_path / "a.spacy").get_docs(spacy.blank("xx").vocab)
    assert [t.text for t in doc if not t.is_space][:3] == ["Acme", "Corp.", "said"]
    assert next((e.text, e.label_) for e in doc.ents) == ("Acme Corp.", "org")


def test_documents_without_imported_tokens_are_named_in_the_summary(project, tmp_path):
    from claimmark.core.project import NewDocument

    assert import_paths(project, [write(tmp_path, "gold.conll", ORIGINAL)], annotator="alice").ok
    project.import_document(
        NewDocument(text="Typed in by hand.", title="t", id="hand"), annotator="alice"
    )
    report = export_project(project, "conll", tmp_path / "a.conll")
    assert report.notices == [
        "Tokens: 1 document(s) kept their imported tokens",
        "Tokens: 1 document(s) have no imported tokens; tokenised with spacy.blank('xx')",
    ]


def test_conlleval_file_imports_the_gold_column(project, tmp_path):
    summary = import_paths(project, [write(tmp_path, "out.conll", CONLLEVAL)], annotator="alice")
    assert summary.ok
    [warning] = summary.files[0].warnings
    assert "conlleval" in warning.message and "gold" in warning.message
    [document_id] = summary.files[0].imported
    assert [(s.text, s.label) for s in project.spans(document_id)] == [
        ("Acme Corp.", "org"),
        ("Kyiv", "place"),
    ]


def test_a_leading_index_column_is_not_the_text(project, tmp_path):
    summary = import_paths(project, [write(tmp_path, "idx.conll", INDEXED)], annotator="alice")
    assert summary.ok
    assert "numbers the tokens" in summary.files[0].warnings[0].message
    [document_id] = summary.files[0].imported
    assert project.document(document_id).text == "Acme Corp. said\nKyiv was hit"
    assert [(s.text, s.label) for s in project.spans(document_id)] == [
        ("Acme Corp.", "org"),
        ("Kyiv", "place"),
    ]


def test_columns_option_picks_the_predicted_column(tmp_path):
    db = tmp_path / "p.claimmark.db"
    path = write(tmp_path, "out.conll", CONLLEVAL)
    result = CliRunner().invoke(
        cli, ["--project", str(db), "import", "--columns", "1,3", str(path)]
    )
    assert result.exit_code == 0, result.output
    from claimmark.core.project import Project

    project = Project.open(db, created_by="alice")
    try:
        assert sorted((s.text, s.label) for s in project.spans()) == [
            ("Acme", "org"),
            ("Kyiv", "org"),
        ]
    finally:
        project.close()


def test_bad_columns_option_is_a_usage_error(tmp_path):
    path = write(tmp_path, "out.conll", CONLLEVAL)
    result = CliRunner().invoke(
        cli, ["--project", str(tmp_path / "p.db"), "import", "--columns", "2", str(path)]
    )
    assert result.exit_code == 2 and "TOKEN,TAG" in result.output


def test_columns_beyond_a_line_are_an_error_naming_the_line(project, tmp_path):
    path = write(tmp_path, "short.conll", "Acme B-org\nsaid O O\n")
    summary = import_paths(project, [path], conll_columns=(1, 3), annotator="alice")
    assert not summary.ok
    assert summary.files[0].problems[0].line == 1
