"""Export to JSONL and import into an empty project: the same documents and spans, exactly."""

from __future__ import annotations

import errno
import io
import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimmark.core.cli import cli
from claimmark.core.formats import jsonl_writer
from claimmark.core.formats.jsonl_writer import write_jsonl
from claimmark.core.importing import import_paths
from claimmark.core.label_schema import default_labels
from claimmark.core.project import NewDocument, NewSpan, Project, text_sha256
from tests.unicode_texts import PIECES

FIREMAN = "👨🏻\u200d🚒"  # man, skin tone, ZWJ, fire engine: 4 code points, one glyph
FAMILY = "👩\u200d👩\u200d👧"

HOSTILE_TEXT = (
    "BOM-less headline \u202bمقاتلون أسقطوا مروحية\u202c\r\n"
    f"{FIREMAN} firemen\tand {FAMILY} fled;\u00a0“quoted”\r"
    "lone CR above, U+2028 here:\u2028and U+2029 here:\u2029"
    "e\u0301 (combining) ש\u05b8לוֹם 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0001f1fa\U0001f1e6\n"
    "last line without newline"
)


def document_fields(project: Project) -> list[tuple]:
    return [
        (d.id, d.title, d.text, d.sha256, d.source, d.meta, d.imported_at, project.statuses(d.id))
        for d in project.iter_documents()
    ]


def span_fields(project: Project) -> list[tuple]:
    return sorted(
        (
            s.id,
            s.document_id,
            s.label,
            s.start,
            s.end,
            s.text,
            s.annotator,
            s.note,
            s.created_at,
            s.updated_at,
        )
        for s in project.spans()
    )


def export_text(project: Project, **filters) -> str:
    out = io.StringIO(newline="")
    write_jsonl(project, out, **filters)
    return out.getvalue()


def reimport(tmp: Path, exported: str, name: str = "export.jsonl") -> Project:
    path = tmp / name
    path.write_text(exported, encoding="utf-8", newline="")
    fresh = Project.open(None, created_by="someone-else")
    summary = import_paths(fresh, [path], annotator="someone-else")
    assert summary.ok, [str(p) for f in summary.files for p in f.problems]
    return fresh


def assert_same_content(original: Project, copy: Project) -> None:
    assert document_fields(copy) == document_fields(original)
    assert span_fields(copy) == span_fields(original)
    for document in copy.iter_documents():
        assert document.sha256 == text_sha256(document.text)
        for span in copy.spans(document.id):
            assert document.text[span.start : span.end] == span.text


# --------------------------------------------------------------------- concrete round trip
@pytest.fixture
def rich_project(tmp_path, write_jsonl_lines) -> Project:
    """A project filled through a real import, with everything an export has to carry."""
    fireman_at = HOSTILE_TEXT.index(FIREMAN)
    arabic_at = HOSTILE_TEXT.index("مقاتلون")
    line_break_at = HOSTILE_TEXT.index("\r\n")
    path = write_jsonl_lines(
        "in.jsonl",
        [
            {
                "id": "art-1",
                "title": "Hostile text",
                "text": HOSTILE_TEXT,
                "meta": {"url": "https://example.org/ä", "tags": ["syria", "✓"], "n": 3},
                "imported_at": "2024-05-01T10:00:00.000000Z",
                "status": {"alice": "done", "bob": "in_progress"},
                "spans": [
                    {
                        "id": "sp-fireman",
                        "start": fireman_at,
                        "end": fireman_at + len(FIREMAN),
                        "label": "casualty_report",
                        "text": FIREMAN,
                        "annotator": "alice",
                        "note": "emoji\r\nnote",
                        "created_at": "2024-05-01T10:01:00Z",
                        "updated_at": "2024-05-02T09:00:00Z",
                    },
                    {
                        "start": arabic_at,
                        "end": line_break_at + 3,  # crosses the CRLF
                        "label": "claim",
                        "annotator": "bob",
                    },
                    {"start": arabic_at, "end": arabic_at + 7, "label": "attribution"},
                    {"start": 0, "end": len(HOSTILE_TEXT), "label": "claim", "annotator": "alice"},
                ],
            },
            {"text": "Second article\nwith no id, title, spans or meta."},
            {
                "id": 7,
                "text": "Integer id.",
                "spans": [{"start": 0, "end": 7, "label": "Troop Move"}],
            },
        ],
    )
    project = Project.open(None, created_by="importer")
    summary = import_paths(project, [path], annotator="importer")
    assert summary.ok and summary.count("imported") == 3
    return project


def test_import_keeps_the_text_and_spans_exactly(rich_project):
    document = rich_project.document("art-1")
    assert document.text == HOSTILE_TEXT
    assert document.sha256 == text_sha256(HOSTILE_TEXT)
    assert document.imported_at == "2024-05-01T10:00:00.000000Z"
    assert rich_project.statuses("art-1") == {"alice": "done", "bob": "in_progress"}
    fireman = rich_project.span("sp-fireman")
    assert (fireman.text, fireman.annotator, fireman.note) == (FIREMAN, "alice", "emoji\r\nnote")
    assert (fireman.created_at, fireman.updated_at) == (
        "2024-05-01T10:01:00Z",
        "2024-05-02T09:00:00Z",
    )
    # a span without annotator belongs to whoever imported it
    assert {s.annotator for s in rich_project.spans("art-1")} == {"alice", "bob", "importer"}
    assert rich_project.document("7").title == "Integer id."
    # "Troop Move" is not a valid key: stored as troop_move, added to the schema
    assert rich_project.spans("7")[0].label == "troop_move"
    assert rich_project.label("troop_move") is not None


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_export_then_import_into_empty_project_is_identical(rich_project, tmp_path, ensure_ascii):
    exported = export_text(rich_project)
    if ensure_ascii:  # another tool may re-serialise with \uXXXX escapes; same data
        exported = "".join(
            json.dumps(json.loads(line), ensure_ascii=True) + "\n"
            for line in exported.split("\n")[:-1]  # not splitlines(): U+2028 stays raw in JSON
        )
    # one line per document, raw CR/LF never leak; first the definition of "Troop Move"
    assert len(exported.split("\n")) == 1 + 3 + 1
    assert json.loads(exported.split("\n")[0])["label_definition"]["source_name"] == "Troop Move"
    copy = reimport(tmp_path, exported)
    assert_same_content(rich_project, copy)
    assert copy.label("troop_move").source_name == "Troop Move"


def test_cli_export_file_round_trips(rich_project, tmp_path):
    db = tmp_path / "project.claimmark.db"
    source = tmp_path / "source.jsonl"
    source.write_text(export_text(rich_project), encoding="utf-8", newline="")
    runner = CliRunner()
    result = runner.invoke(cli, ["--project", str(db), "--annotator", "x", "import", str(source)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["--project", str(db), "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Exported 3 documents, 5 spans" in result.stderr
    copy = reimport(tmp_path, out.read_bytes().decode("utf-8"), name="again.jsonl")
    assert_same_content(rich_project, copy)


def test_reimporting_an_export_skips_everything(rich_project, tmp_path):
    before = (document_fields(rich_project), span_fields(rich_project), len(rich_project.events()))
    path = tmp_path / "same.jsonl"
    path.write_text(export_text(rich_project), encoding="utf-8", newline="")
    summary = import_paths(rich_project, [path], annotator="someone-else")
    assert summary.ok
    [result] = summary.files
    assert result.imported == []
    assert result.skipped == [d.id for d in rich_project.iter_documents()]
    assert len(result.skipped) == 3
    assert all("skipped: same text already in project" in str(w) for w in result.warnings)
    after = (document_fields(rich_project), span_fields(rich_project), len(rich_project.events()))
    assert after == before


# --------------------------------------------------------------------- export filters (CLI)
@pytest.fixture
def filter_db(tmp_path) -> Path:
    db = tmp_path / "filters.claimmark.db"
    with Project.open(db, created_by="alice") as project:
        project.import_document(
            NewDocument(
                text="The militants claimed the ministry denied it, TASS reports.",
                title="d1",
                id="d1",
                spans=[
                    NewSpan(4, 13, "claim", annotator="alice"),
                    NewSpan(26, 44, "denial", annotator="bob"),
                    NewSpan(46, 50, "attribution", annotator="alice"),
                    NewSpan(4, 13, "claim", annotator="bob"),
                ],
                statuses={"alice": "done", "bob": "in_progress"},
            ),
            annotator="alice",
        )
        project.import_document(
            NewDocument(
                text="Two soldiers were killed.",
                title="d2",
                id="d2",
                spans=[NewSpan(0, 24, "casualty_report", annotator="bob")],
                statuses={"bob": "done"},
            ),
            annotator="alice",
        )
    return db


def export_records(db: Path, tmp_path: Path, *options: str) -> list[dict]:
    out = tmp_path / "filtered.jsonl"
    result = CliRunner().invoke(cli, ["--project", str(db), "export", "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def spans_of(records: list[dict]) -> list[tuple]:
    return sorted(
        (r["id"], s["label"], s["annotator"], s["text"]) for r in records for s in r["spans"]
    )


def test_export_without_filters_has_everything(filter_db, tmp_path):
    records = export_records(filter_db, tmp_path)
    assert [r["id"] for r in records] == ["d1", "d2"]
    assert len(spans_of(records)) == 5


def test_export_filter_annotator(filter_db, tmp_path):
    records = export_records(filter_db, tmp_path, "--annotator", "alice")
    assert spans_of(records) == [
        ("d1", "attribution", "alice", "TASS"),
        ("d1", "claim", "alice", "militants"),
    ]
    assert [r["status"] for r in records] == [{"alice": "done"}, {}]


def test_export_filter_label(filter_db, tmp_path):
    records = export_records(filter_db, tmp_path, "--label", "claim", "--label", "casualty_report")
    assert spans_of(records) == [
        ("d1", "claim", "alice", "militants"),
        ("d1", "claim", "bob", "militants"),
        ("d2", "casualty_report", "bob", "Two soldiers were killed"),
    ]


def test_export_filter_document(filter_db, tmp_path):
    records = export_records(filter_db, tmp_path, "--document", "d2")
    assert [r["id"] for r in records] == ["d2"]
    assert spans_of(records) == [("d2", "casualty_report", "bob", "Two soldiers were killed")]
    assert records[0]["status"] == {"bob": "done"}


def test_export_filters_combine(filter_db, tmp_path):
    records = export_records(
        filter_db, tmp_path, "--annotator", "bob", "--label", "claim", "--document", "d1"
    )
    assert [r["id"] for r in records] == ["d1"]
    assert spans_of(records) == [("d1", "claim", "bob", "militants")]
    assert records[0]["status"] == {"bob": "in_progress"}


def test_export_unknown_document_is_an_error_and_writes_nothing(filter_db, tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["--project", str(filter_db), "export", "-o", str(out), "--document", "nope"]
    )
    assert result.exit_code != 0
    assert "no document with id 'nope'" in result.stderr
    assert not out.exists()


def test_filtered_export_round_trips_its_subset(filter_db, tmp_path):
    records = export_records(filter_db, tmp_path, "--annotator", "bob")
    copy = reimport(tmp_path, "".join(json.dumps(r) + "\n" for r in records), name="bob.jsonl")
    assert sorted((s.document_id, s.label, s.annotator) for s in copy.spans()) == [
        ("d1", "claim", "bob"),
        ("d1", "denial", "bob"),
        ("d2", "casualty_report", "bob"),
    ]


# --------------------------------------------------------------------- failed export
class FailingAfterFirstWrite:
    """A stream that accepts one record and then fails like a full disk."""

    def __init__(self, out, exc: BaseException):
        self.out, self.exc, self.writes = out, exc, 0

    def write(self, data: str) -> int:
        self.writes += 1
        if self.writes > 1:
            raise self.exc
        return self.out.write(data)


@pytest.mark.parametrize(
    "exc",
    [OSError(errno.ENOSPC, "No space left on device"), RuntimeError("bug in the middle")],
    ids=["disk-full", "unexpected-error"],
)
@pytest.mark.parametrize("existing", [None, "previous export\n"], ids=["new-file", "overwrite"])
def test_failed_export_leaves_no_partial_file(filter_db, tmp_path, monkeypatch, exc, existing):
    real = jsonl_writer.write_jsonl
    calls = []

    def failing_write_jsonl(project, out, **options):
        calls.append(1)
        return real(project, FailingAfterFirstWrite(out, exc), **options)

    monkeypatch.setattr(jsonl_writer, "write_jsonl", failing_write_jsonl)
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    out = out_dir / "out.jsonl"
    if existing is not None:
        out.write_text(existing, encoding="utf-8")

    result = CliRunner().invoke(
        cli, ["--project", str(filter_db), "export", "-o", str(out), "--force"]
    )

    assert calls, "the export did not go through write_jsonl"
    assert result.exit_code != 0
    if isinstance(exc, OSError):
        assert f"{out}: cannot write: No space left on device" in result.stderr
    if existing is None:
        assert list(out_dir.iterdir()) == []
    else:
        assert list(out_dir.iterdir()) == [out]
        assert out.read_text(encoding="utf-8") == existing


# --------------------------------------------------------------------- property test
LABELS = [label.key for label in default_labels()]
ANNOTATORS = ["alice", "bob", None]  # None: the importing project's annotator
IMPORTER = "importer"

FRAGMENTS = PIECES  # every piece where code points, UTF-16 and line breaks disagree
safe_chars = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
texts = (
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(safe_chars, max_size=4)), max_size=25)
    .map("".join)
    .map(lambda t: t if t.strip() else t + "x")
)
short_strings = st.text(safe_chars, min_size=1, max_size=8)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(10**12), 10**12), short_strings)
metas = st.dictionaries(
    short_strings, st.one_of(json_scalars, st.lists(json_scalars, max_size=3)), max_size=3
)
timestamps = st.sampled_from(
    [None, "2024-01-02T03:04:05.000006Z", "2023-12-31T23:59:59Z", "2025-06-30T12:00:00+02:00"]
)


@st.composite
def documents(draw, index: int):
    text = draw(texts)
    record: dict = {"text": text}
    if draw(st.booleans()):
        record["id"] = f"doc-{index}"
    if draw(st.booleans()):
        record["title"] = draw(short_strings)
    if draw(st.booleans()):
        record["meta"] = draw(metas)
    if (at := draw(timestamps)) is not None:
        record["imported_at"] = at
    statuses = draw(
        st.dictionaries(st.sampled_from(["alice", "bob"]), st.sampled_from(["in_progress", "done"]))
    )
    if statuses:
        record["status"] = statuses
    spans = []
    seen = set()
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        label = draw(st.sampled_from(LABELS))
        annotator = draw(st.sampled_from(ANNOTATORS))
        key = (start, end, label, annotator or IMPORTER)
        if key in seen:
            continue
        seen.add(key)
        span: dict = {"start": start, "end": end, "label": label}
        if annotator is not None:
            span["annotator"] = annotator
        if draw(st.booleans()):
            span["text"] = text[start:end]
        if draw(st.booleans()):
            span["note"] = draw(short_strings)
        if (created := draw(timestamps)) is not None:
            span["created_at"] = created
        spans.append(span)
    if spans or draw(st.booleans()):
        record["spans"] = spans
    return record


@st.composite
def corpora(draw):
    count = draw(st.integers(1, 4))
    records = [draw(documents(i)) for i in range(count)]
    unique, seen = [], set()
    for record in records:  # the same text twice would be skipped, by design
        if record["text"] not in seen:
            seen.add(record["text"])
            unique.append(record)
    return unique


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=corpora(), ensure_ascii=st.booleans(), line_end=st.sampled_from(["\n", "\r\n"]))
def test_property_jsonl_round_trip(records, ensure_ascii, line_end):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "input.jsonl"
        with source.open("w", encoding="utf-8", newline="") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=ensure_ascii) + line_end)

        first = Project.open(None, created_by=IMPORTER)
        summary = import_paths(first, [source], annotator=IMPORTER)
        assert summary.ok, [str(p) for f in summary.files for p in f.problems]
        assert summary.count("imported") == len(records)

        # what was imported is exactly what the file said
        stored = list(first.iter_documents())
        assert [d.text for d in stored] == [r["text"] for r in records]
        for document, record in zip(stored, records, strict=True):
            assert document.sha256 == text_sha256(record["text"])
            assert document.meta == record.get("meta", {})
            if "id" in record:
                assert document.id == record["id"]
            if "title" in record:
                assert document.title == record["title"]
            if "imported_at" in record:
                assert document.imported_at == record["imported_at"]
            assert first.statuses(document.id) == record.get("status", {})
            expected = sorted(
                (s["start"], s["end"], s["label"], s.get("annotator") or IMPORTER, s.get("note"))
                for s in record.get("spans", [])
            )
            actual = sorted(
                (s.start, s.end, s.label, s.annotator, s.note) for s in first.spans(document.id)
            )
            assert actual == expected

        exported = tmp / "export.jsonl"
        with exported.open("w", encoding="utf-8", newline="") as handle:
            write_jsonl(first, handle)

        second = Project.open(None, created_by="someone-else")
        assert import_paths(second, [exported], annotator=IMPORTER).ok
        assert_same_content(first, second)
        first.close()
        second.close()
