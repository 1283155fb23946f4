"""Bad input is refused file by file: a precise message, and the project exactly as it was.

Every refused JSONL case puts the bad line third, after two good lines that would add a document,
a new label and a new annotator, so "nothing of the file was imported" is visible in the snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimmark.core.cli import cli
from claimmark.core.importing import import_paths
from claimmark.core.project import Project

GOOD_LINES = [
    {
        "id": "good-1",
        "text": "Good one: militants claimed a hit.",
        "spans": [{"start": 10, "end": 19, "label": "brand_new_label"}],
    },
    {
        "id": "good-2",
        "text": "Good two: the ministry denied it.",
        "spans": [{"start": 23, "end": 29, "label": "denial", "annotator": "newcomer"}],
    },
]
TEXT = "The ministry denied the report."  # "denied" is 13-19
SEED_ID = "seed"  # the document of the seeded_project fixture


def only_file(summary):
    assert len(summary.files) == 1, summary.files
    return summary.files[0]


def assert_refused(result, path: Path, line: int | None, *reason_words: str) -> str:
    """The file is refused with a problem naming the file, the line and the reason."""
    assert result.refused, f"{path.name} was not refused: {result}"
    assert not result.imported and not result.skipped and not result.new_labels
    for problem in result.problems:
        assert problem.path == str(path)
    messages = [str(p) for p in result.problems if p.line == line]
    assert messages, f"no problem reported at line {line}: {[str(p) for p in result.problems]}"
    message = messages[0]
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert message.startswith(where), message
    for word in reason_words:
        assert word in message, f"{word!r} not in {message!r}"
    return message


def import_bad_jsonl(project, write_jsonl_lines, snapshot, bad_line, **options):
    path = write_jsonl_lines("bad.jsonl", [*GOOD_LINES, bad_line])
    before = snapshot(project)
    summary = import_paths(project, [path], **options, annotator="tester")
    assert not summary.ok
    assert snapshot(project) == before
    assert not project.has_document("good-1")
    return path, only_file(summary)


# --------------------------------------------------------------------- JSONL, one line bad
def span_line(**span):
    return {"text": TEXT, "spans": [{"start": 13, "end": 19, "label": "claim", **span}]}


JSONL_CASES = {
    # malformed JSON
    "json-unterminated": ('{"text": "The ministry", ', ["invalid JSON", "column"]),
    "json-trailing-data": ('{"text": "a"} {"text": "b"}', ["invalid JSON", "Extra data"]),
    "json-single-quotes": ("{'text': 'a'}", ["invalid JSON"]),
    # lines that are not objects
    "not-object-list": ("[1, 2]", ["expected a JSON object", "list"]),
    "not-object-string": ('"The ministry denied it."', ["expected a JSON object", "str"]),
    "not-object-number": ("42", ["expected a JSON object", "int"]),
    "not-object-null": ("null", ["expected a JSON object", "NoneType"]),
    # missing / non-string text
    "missing-text": ({"title": "No text here"}, ["missing required key 'text'"]),
    "text-number": ({"text": 5}, ["'text' must be a string", "int"]),
    "text-null": ({"text": None}, ["'text' must be a string"]),
    "text-list": ({"text": ["a", "b"]}, ["'text' must be a string", "list"]),
    "text-object": ({"text": {"body": "a"}}, ["'text' must be a string", "dict"]),
    "text-bool": ({"text": True}, ["'text' must be a string", "bool"]),
    # empty documents
    "text-empty": ({"text": ""}, ["empty document"]),
    "text-whitespace": ({"text": " \r\n\t\u00a0\u2028\u3000 "}, ["empty document"]),
    # lone surrogates, written as the JSON escapes a broken exporter produces
    "surrogate-text": ('{"text": "caf\\ud800 au lait"}', ["text", "lone surrogate"]),
    "surrogate-title": ('{"text": "ok", "title": "x\\udfff"}', ["title", "lone surrogate"]),
    "surrogate-meta-value": ('{"text": "ok", "meta": {"k": "\\ud83d"}}', ["meta.k", "surrogate"]),
    "surrogate-meta-key": ('{"text": "ok", "meta": {"\\ud800": 1}}', ["meta", "lone surrogate"]),
    "surrogate-span-text": (
        '{"text": "ok", "spans": [{"start": 0, "end": 1, "label": "claim", "text": "\\ud800"}]}',
        ["spans[0].text", "lone surrogate"],
    ),
    "surrogate-span-note": (
        '{"text": "ok", "spans": [{"start": 0, "end": 1, "label": "claim", "note": "\\udc00"}]}',
        ["spans[0].note", "lone surrogate"],
    ),
    "surrogate-span-label": (
        '{"text": "ok", "spans": [{"start": 0, "end": 1, "label": "a\\ud800"}]}',
        ["spans[0].label", "lone surrogate"],
    ),
    "surrogate-span-annotator": (
        '{"text": "ok", "spans": [{"start": 0, "end": 1, "label": "claim",'
        ' "annotator": "\\ud800"}]}',
        ["spans[0].annotator", "lone surrogate"],
    ),
    # NUL characters
    "nul-text": ('{"text": "before\\u0000after"}', ["text", "NUL"]),
    "nul-title": ('{"text": "ok", "title": "\\u0000"}', ["title", "NUL"]),
    "nul-meta": ('{"text": "ok", "meta": {"tags": ["a", "b\\u0000"]}}', ["meta.tags[1]", "NUL"]),
    "nul-span-note": (
        '{"text": "ok", "spans": [{"start": 0, "end": 1, "label": "claim", "note": "n\\u0000"}]}',
        ["spans[0].note", "NUL"],
    ),
    "nul-span-label": (
        '{"text": "ok", "spans": [{"start": 0, "end": 1, "label": "\\u0000"}]}',
        ["spans[0].label", "NUL"],
    ),
    # offsets
    "span-end-past-text": (span_line(end=len(TEXT) + 1), ["outside the text", f"{len(TEXT)}"]),
    "span-start-past-text": (
        span_line(start=len(TEXT), end=len(TEXT) + 3),
        ["outside the text"],
    ),
    "span-huge-end": (span_line(end=10**30), ["outside the text"]),
    "span-start-equals-end": (span_line(start=13, end=13), ["start 13", "less than end 13"]),
    "span-start-after-end": (span_line(start=19, end=13), ["start 19", "less than end 13"]),
    "span-negative-start": (span_line(start=-1), ["span 0", "outside the text"]),
    "span-float-start": (span_line(start=13.0), ["'start' must be an integer", "13.0"]),
    "span-float-end": (span_line(end=19.5), ["'end' must be an integer", "19.5"]),
    "span-string-start": (span_line(start="13"), ["'start' must be an integer", "'13'"]),
    "span-null-end": (span_line(end=None), ["'end' must be an integer", "None"]),
    "span-missing-start": (
        {"text": TEXT, "spans": [{"end": 19, "label": "claim"}]},
        ["'start' must be an integer"],
    ),
    "span-bool-start": (span_line(start=False, end=True), ["'start' must be an integer", "False"]),
    "span-bool-end": (span_line(start=0, end=True), ["'end' must be an integer", "True"]),
    # span text that does not match its offsets (e.g. UTF-16 or byte offsets from another tool)
    "span-text-mismatch": (span_line(text="denies"), ["span 0", "'denies'", "does not match"]),
    "span-text-off-by-one": (span_line(start=12, end=18, text="denied"), ["does not match"]),
    # other malformed span shapes
    "span-not-object": ({"text": TEXT, "spans": [[13, 19, "claim"]]}, ["span 0", "expected"]),
    "spans-not-list": ({"text": TEXT, "spans": {"start": 13}}, ["'spans' must be a list"]),
    "span-empty-label": (span_line(label=""), ["'label' must be a non-empty string"]),
    # integrity against the export
    "sha256-mismatch": ({"text": TEXT, "sha256": "0" * 64}, ["'sha256' does not match"]),
}


@pytest.mark.parametrize("bad_line, reason", JSONL_CASES.values(), ids=JSONL_CASES.keys())
def test_bad_jsonl_line_refuses_whole_file(
    seeded_project, write_jsonl_lines, snapshot, bad_line, reason
):
    path, result = import_bad_jsonl(seeded_project, write_jsonl_lines, snapshot, bad_line)
    assert_refused(result, path, 3, *reason)
    # only the bad line is blamed: lines 1 and 2 are fine
    assert {p.line for p in result.problems} == {3}


def test_invalid_utf8_in_jsonl_line(seeded_project, write_jsonl_lines, snapshot):
    bad = '{"text": "café"}'.encode("cp1252")  # the é is byte 13 of the line
    path, result = import_bad_jsonl(seeded_project, write_jsonl_lines, snapshot, bad)
    assert_refused(result, path, 3, "not valid UTF-8", "at byte 13", "--encoding")


def test_nul_byte_in_jsonl_line_is_binary(seeded_project, write_jsonl_lines, snapshot):
    bad = b'{"text": "ok\x00"}'
    path, result = import_bad_jsonl(seeded_project, write_jsonl_lines, snapshot, bad)
    assert_refused(result, path, 3, "binary", "NUL")


def test_huge_line_is_refused_with_its_length(seeded_project, write_jsonl_lines, snapshot):
    huge = {"text": "x" * 5000}
    path, result = import_bad_jsonl(
        seeded_project, write_jsonl_lines, snapshot, huge, max_line_bytes=1000
    )
    assert_refused(result, path, 3, "line is longer than 1,000 bytes")


def test_huge_line_in_the_middle_refuses_the_file(seeded_project, write_jsonl_lines, snapshot):
    path = write_jsonl_lines("huge.jsonl", [GOOD_LINES[0], {"text": "y" * 5000}, GOOD_LINES[1]])
    before = snapshot(seeded_project)
    result = only_file(
        import_paths(seeded_project, [path], max_line_bytes=1000, annotator="tester")
    )
    assert_refused(result, path, 2, "line is longer than 1,000 bytes")
    assert snapshot(seeded_project) == before


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_json_number_constants_are_malformed_json(
    seeded_project, write_jsonl_lines, snapshot, constant
):
    bad = '{"text": "ok", "meta": {"casualties": ' + constant + "}}"
    path, result = import_bad_jsonl(seeded_project, write_jsonl_lines, snapshot, bad)
    # Python's json accepts these, but they are not JSON: an export holding them would break
    # jq, JavaScript and most other readers.
    assert_refused(result, path, 3, constant)


@pytest.mark.parametrize("terminator", [b"", b"\r"], ids=["LF", "CRLF"])
def test_line_of_exactly_max_line_bytes_is_accepted(project, write_jsonl_lines, terminator):
    line = b'{"text": "a line right at the limit"}'
    assert len(line) == 37
    path = write_jsonl_lines("edge.jsonl", [line + terminator])
    result = only_file(import_paths(project, [path], max_line_bytes=37, annotator="tester"))
    # the line terminator does not count towards the limit
    assert result.problems == [], [str(p) for p in result.problems]
    assert len(result.imported) == 1
    longer = write_jsonl_lines("over.jsonl", [line + terminator])
    assert_refused(
        only_file(import_paths(project, [longer], max_line_bytes=36, annotator="tester")),
        longer,
        1,
        "line is longer than 36 bytes",
    )


def test_document_id_already_used_by_other_text(seeded_project, write_jsonl_lines, snapshot):
    bad = {"id": SEED_ID, "text": "A different article under the same id."}
    path, result = import_bad_jsonl(seeded_project, write_jsonl_lines, snapshot, bad)
    assert_refused(result, path, 3, repr(SEED_ID), "already used by another text")
    assert seeded_project.document(SEED_ID).text.startswith("Seed article.")


def test_document_id_used_twice_in_one_file(project, write_jsonl_lines, snapshot):
    bad = {"id": "good-1", "text": "Not the text of good-1."}
    path, result = import_bad_jsonl(project, write_jsonl_lines, snapshot, bad)
    assert_refused(result, path, 3, "'good-1'", "already used by another text")


@pytest.mark.parametrize("where", ["in-project", "same-file", "same-line"])
def test_reused_span_id_is_refused_and_named(project, write_jsonl_lines, snapshot, where):
    reused = {"id": "s-1", "start": 0, "end": 3, "label": "claim"}
    if where == "in-project":
        first = write_jsonl_lines("first.jsonl", [{"text": TEXT, "spans": [reused]}])
        assert import_paths(project, [first], annotator="tester").ok
    other = {**reused, "end": 7}
    bad = {"text": "Another article.", "spans": [other]}
    lines = [*GOOD_LINES, bad]
    if where == "same-file":
        lines = [GOOD_LINES[0], {**GOOD_LINES[1], "spans": [reused]}, bad]
    elif where == "same-line":
        bad["spans"] = [reused, other]
    path = write_jsonl_lines("bad.jsonl", lines)
    before = snapshot(project)
    result = only_file(import_paths(project, [path], annotator="tester"))
    assert snapshot(project) == before
    # Not "an identical span already exists": the spans differ, only their id is the same.
    message = assert_refused(result, path, 3, "'s-1'", "already used")
    assert "identical" not in message


def test_every_bad_line_is_reported_in_one_run(project, write_jsonl_lines, snapshot):
    path = write_jsonl_lines(
        "many.jsonl", [GOOD_LINES[0], "{oops", {"title": "t"}, GOOD_LINES[1], span_line(end=999)]
    )
    before = snapshot(project)
    result = only_file(import_paths(project, [path], annotator="tester"))
    assert {p.line for p in result.problems} == {2, 3, 5}
    assert snapshot(project) == before


def test_blank_lines_are_not_documents(project, write_jsonl_lines):
    path = write_jsonl_lines("blank.jsonl", [GOOD_LINES[0], "", "   ", GOOD_LINES[1]])
    result = only_file(import_paths(project, [path], annotator="tester"))
    assert result.problems == []
    assert result.imported == ["good-1", "good-2"]


# --------------------------------------------------------------------- unknown keys: warnings
def test_unknown_keys_warn_with_key_and_line_but_import(project, write_jsonl_lines):
    line = {
        "text": TEXT,
        "authr": "typo",
        "spans": [{"start": 13, "end": 19, "label": "denial", "lable": "x"}],
    }
    path = write_jsonl_lines("unknown.jsonl", [GOOD_LINES[0], line])
    result = only_file(import_paths(project, [path], annotator="tester"))
    assert result.problems == []
    assert len(result.imported) == 2
    warnings = [str(w) for w in result.warnings]
    assert any(w.startswith(f"{path}:2:") and "'authr'" in w for w in warnings), warnings
    assert any(w.startswith(f"{path}:2:") and "'lable'" in w and "span 0" in w for w in warnings)
    document = project.document(result.imported[1])
    assert document.text == TEXT
    assert "authr" not in document.meta
    [span] = project.spans(document.id)
    assert (span.start, span.end, span.label, span.text) == (13, 19, "denial", "denied")


# --------------------------------------------------------------------- .txt files
TXT_CASES = {
    "invalid-utf8": (
        "café au lait".encode("cp1252"),
        ["not valid UTF-8", "at byte 3", "--encoding"],
    ),
    "invalid-utf8-late": (
        b"Headline\n" + "naïve".encode("latin-1"),
        ["not valid UTF-8", "at byte 11", "--encoding"],
    ),
    "binary-nul": (b"PK\x03\x04\x00\x00 zip header", ["binary", "NUL", "byte 4"]),
    "utf16-without-encoding": (
        "utf-16 text".encode("utf-16-le"),
        ["looks like UTF-16-LE text", "--encoding utf-16-le"],
    ),
    "empty": (b"", ["empty document"]),
    "whitespace-only": (" \r\n\t\n\u00a0\u2029 ".encode(), ["empty document"]),
    "bom-only": (b"\xef\xbb\xbf", ["empty document"]),
}


@pytest.mark.parametrize("data, reason", TXT_CASES.values(), ids=TXT_CASES.keys())
def test_bad_txt_file_is_refused(seeded_project, tmp_path, snapshot, data, reason):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    before = snapshot(seeded_project)
    summary = import_paths(seeded_project, [path], annotator="tester")
    assert not summary.ok
    assert_refused(only_file(summary), path, None, *reason)
    assert snapshot(seeded_project) == before


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("latin.txt", "Café in São Paulo\r\n– “quoted”".encode("cp1252"), None),
        ("latin.jsonl", '{"text": "Café – “quoted”"}\n'.encode("cp1252"), "Café – “quoted”"),
    ],
)
def test_encoding_option_imports_what_utf8_refused(
    project, tmp_path, snapshot, name, data, expected
):
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(project)
    refused = only_file(import_paths(project, [path], annotator="tester"))
    assert "--encoding" in str(refused.problems[0])
    assert snapshot(project) == before

    result = only_file(import_paths(project, [path], encoding="cp1252", annotator="tester"))
    assert result.problems == [] and len(result.imported) == 1
    text = project.document(result.imported[0]).text
    assert text == (expected if expected is not None else data.decode("cp1252"))


def test_utf16_jsonl_imports_with_encoding_option(project, tmp_path):
    # A JSONL file saved as "Unicode" by Windows Notepad is UTF-16 with a BOM.
    lines = ['{"text": "Première ligne"}', '{"text": "Deuxième ligne"}']
    path = tmp_path / "notepad.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-16") + "\n".encode("utf-16-le"))
    result = only_file(import_paths(project, [path], encoding="utf-16", annotator="tester"))
    # lines must be split after decoding: in UTF-16 a newline is the two bytes 0A 00
    assert result.problems == [], [str(p) for p in result.problems]
    assert [project.document(i).text for i in result.imported] == [
        "Première ligne",
        "Deuxième ligne",
    ]


# --------------------------------------------------------------------- paths
@pytest.mark.parametrize("name", ["table.csv", "article.json", "report.docx", "README"])
def test_unsupported_file_type_is_refused(seeded_project, tmp_path, snapshot, name):
    path = tmp_path / name
    path.write_text('{"text": "would be a fine document"}\n', encoding="utf-8")
    before = snapshot(seeded_project)
    summary = import_paths(seeded_project, [path], annotator="tester")
    assert not summary.ok
    assert_refused(only_file(summary), path, None, "unsupported file type", ".txt", ".jsonl")
    assert snapshot(seeded_project) == before


@pytest.mark.parametrize("name", ["missing.txt", "missing.jsonl", "missing-folder"])
def test_nonexistent_path_is_refused(seeded_project, tmp_path, snapshot, name):
    path = tmp_path / name
    before = snapshot(seeded_project)
    summary = import_paths(seeded_project, [path], annotator="tester")
    assert not summary.ok
    assert_refused(only_file(summary), path, None, "no such file")
    assert snapshot(seeded_project) == before


# --------------------------------------------------------------------- other files still import
def test_other_files_in_the_same_import_still_import(project, tmp_path, write_jsonl_lines):
    good_txt = tmp_path / "a-good.txt"
    good_txt.write_text("Headline\nBody.", encoding="utf-8")
    bad = write_jsonl_lines("b-bad.jsonl", [*GOOD_LINES, {"text": 1}])
    good_jsonl = write_jsonl_lines("c-good.jsonl", [{"id": "c", "text": "Third article."}])
    missing = tmp_path / "d-missing.txt"

    summary = import_paths(project, [good_txt, bad, good_jsonl, missing], annotator="tester")

    assert not summary.ok
    assert [f.refused for f in summary.files] == [False, True, False, True]
    assert summary.count("imported") == 2
    assert [d.title for d in project.documents("tester")] == ["Headline", "Third article."]
    assert project.label("brand_new_label") is None
    assert "newcomer" not in project.annotators()


def test_refused_file_inside_a_folder_does_not_stop_the_folder(project, tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "1.txt").write_text("First.", encoding="utf-8")
    (folder / "2.txt").write_bytes(b"")
    (folder / "sub" / "3.jsonl").write_text('{"text": "Third."}\n{"text": ""}\n', "utf-8")
    (folder / "sub" / "4.txt").write_text("Fourth.", encoding="utf-8")
    summary = import_paths(project, [folder], annotator="tester")
    refused = [Path(f.path).name for f in summary.files if f.refused]
    assert refused == ["2.txt", "3.jsonl"]
    assert [d.title for d in project.documents("tester")] == ["First.", "Fourth."]


# --------------------------------------------------------------------- the command line
def run_cli(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(db), "--annotator", "tester", *args])


def cli_snapshot(db: Path, snapshot):
    with Project.open(db, created_by="tester") as p:
        return snapshot(p)


def test_cli_reports_bad_file_and_exits_nonzero(tmp_path, write_jsonl_lines, snapshot):
    db = tmp_path / "p.claimmark.db"
    good = tmp_path / "good.txt"
    good.write_text("Good headline\nBody.", encoding="utf-8")
    bad = write_jsonl_lines("bad.jsonl", [*GOOD_LINES, {"text": TEXT, "spans": [{"start": 5}]}])

    result = run_cli(db, "import", str(bad), str(good))

    assert result.exit_code != 0
    assert f"{bad}:3:" in result.stderr
    assert "'end' must be an integer" in result.stderr
    assert f"{bad}: not imported" in result.stderr
    assert "Imported 1 documents" in result.stdout and "refused 1 file" in result.stdout
    with Project.open(db, created_by="tester") as p:
        assert [d.title for d in p.documents("tester")] == ["Good headline"]
        assert p.label("brand_new_label") is None


def test_cli_all_bad_leaves_project_unchanged(tmp_path, snapshot):
    db = tmp_path / "p.claimmark.db"
    assert run_cli(db, "import", str(tmp_path / "nothing.txt")).exit_code != 0
    before = cli_snapshot(db, snapshot)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = run_cli(db, "import", str(empty))
    assert result.exit_code != 0
    assert f"{empty}: empty document" in result.stderr
    assert cli_snapshot(db, snapshot) == before


def test_cli_encoding_option(tmp_path):
    db = tmp_path / "p.claimmark.db"
    path = tmp_path / "latin.txt"
    path.write_bytes("Café crème\r\nRésumé".encode("cp1252"))

    refused = run_cli(db, "import", str(path))
    assert refused.exit_code != 0
    assert f"{path}: not valid UTF-8 at byte 3" in refused.stderr
    assert "--encoding" in refused.stderr

    accepted = run_cli(db, "import", "--encoding", "cp1252", str(path))
    assert accepted.exit_code == 0, accepted.output
    with Project.open(db, created_by="tester") as p:
        [doc] = list(p.iter_documents())
        assert doc.text == "Café crème\r\nRésumé"


def test_cli_unknown_encoding_is_a_usage_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    result = run_cli(tmp_path / "p.db", "import", "--encoding", "no-such-codec", str(path))
    assert result.exit_code == 2
    assert "unknown encoding 'no-such-codec'" in result.stderr


def test_cli_warnings_do_not_fail_the_import(tmp_path, write_jsonl_lines):
    db = tmp_path / "p.claimmark.db"
    path = write_jsonl_lines("w.jsonl", [{"text": TEXT, "colour": "red"}])
    result = run_cli(db, "import", str(path))
    assert result.exit_code == 0, result.output
    assert f"warning: {path}:1: unknown key 'colour' ignored" in result.stderr


def test_cli_prints_one_error_line_per_problem(tmp_path, write_jsonl_lines):
    db = tmp_path / "p.claimmark.db"
    path = write_jsonl_lines("two-bad.jsonl", [json.dumps([1]), "{", {"text": "fine"}])
    result = run_cli(db, "import", str(path))
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {path}:1: expected a JSON object, got list",
        f"error: {path}:2: invalid JSON at column 2: Expecting property name enclosed in double"
        " quotes",
    ]


def test_utf16_offsets_in_claimmark_jsonl_are_explained(project, write_jsonl_lines):
    """A JavaScript tool counts the emoji's surrogates; the message says so instead of shifting."""
    line = {
        "text": "👨🏻‍🚒 firemen drive firetrucks",
        "spans": [{"start": 22, "end": 32, "label": "claim", "text": "firetrucks"}],
    }
    path = write_jsonl_lines("utf16.jsonl", [line])
    result = only_file(import_paths(project, [path], annotator="tester"))
    [problem] = result.problems
    assert "utf16.jsonl:1" in str(problem)
    assert "look like UTF-16 units" in str(problem) and "19-29" in str(problem)
    assert project.document_count() == 0


def test_exact_duplicate_span_is_imported_once_and_named_in_the_summary(
    tmp_path, write_jsonl_lines
):
    """A repeated span (same document, annotator, label, offsets) no longer refuses its file:
    the span is stored once and the summary says which line held the repeat."""
    denied = {"start": 13, "end": 19, "label": "denial", "annotator": "ann"}
    path = write_jsonl_lines(
        "dup.jsonl",
        [
            GOOD_LINES[0],
            {
                "id": "dup",
                "text": TEXT,
                "spans": [
                    denied,
                    {**denied, "note": "again"},
                    {**denied, "label": "claim"},  # another label: not a duplicate
                    {**denied, "annotator": "bob"},  # another annotator: not a duplicate
                ],
            },
        ],
    )
    db = tmp_path / "p.db"
    result = run_cli(db, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "Imported 2 documents" in result.stdout
    assert "Skipped 1 duplicate span" in result.stdout
    assert (
        f"{path}:2" in result.stderr
        and "duplicate span skipped: denial 13-19 by ann" in result.stderr
    )
    assert "note 'again' was not kept" in result.stderr
    with Project.open(db, created_by="tester") as project:
        spans = project.spans("dup")
        assert sorted((s.label, s.annotator, s.note) for s in spans) == [
            ("claim", "ann", None),
            ("denial", "ann", None),
            ("denial", "bob", None),
        ]
