"""An import event records its spans as arrays under ``span_fields``, in canonical JSON, and both
that form and the older objects per span replay."""

import json

import pytest

from claimmark.core.audit import verify
from claimmark.core.import_event import after_json, imported_spans, quoted, span_array
from claimmark.core.project import NewDocument, NewSpan, Project
from claimmark.core.project_rows import to_json

AWKWARD = [
    'a "quoted" title \\ with a backslash',
    "line\nbreak\ttab\r\x01\x1f control",
    "emoji 👨🏻‍🚒 and 🇸🇾, Arabic قال, Hebrew אמר",
    "separators \u2028 \u2029 and NBSP\u00a0",
    "lone surrogate \ud800 kept as it came",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_the_written_event_is_the_canonical_json_of_its_value(text):
    spans = [
        span_array(quoted("id-1"), quoted("claim"), 0, 5, quoted("alice")),
        span_array(quoted(f"id {text}"), quoted(text), 3, 9, quoted(text), (text, None, None)),
        span_array(
            quoted("id-3"), quoted("denial"), 1, 2, quoted("bob"), (None, None, "2024-01-02")
        ),
        span_array(
            quoted("id-4"), quoted("denial"), 1, 2, quoted("bob"), (None, "2024-01-01", None)
        ),
    ]
    written = after_json(
        title=text,
        source=None if "tab" in text else text,
        meta_json=to_json({"z": [1, {"ä": text}], "a": None, "n": 2.5}),
        imported_at="2024-01-01T00:00:00.000000Z",
        length=42,
        spans_at="2026-12-02T00:00:00.000000Z",
        span_arrays=spans,
    )
    value = json.loads(written)
    assert to_json(value) == written
    assert value["spans"][0] == ["id-1", "claim", 0, 5, "alice"]
    assert value["spans"][2] == ["id-3", "denial", 1, 2, "bob", None, None, "2024-01-02"]
    assert imported_spans(value) == [
        {"id": "id-1", "label": "claim", "start": 0, "end": 5, "annotator": "alice"},
        {"id": f"id {text}", "label": text, "start": 3, "end": 9, "annotator": text, "note": text},
        {
            "id": "id-3",
            "label": "denial",
            "start": 1,
            "end": 2,
            "annotator": "bob",
            "updated_at": "2024-01-02",
        },
        {
            "id": "id-4",
            "label": "denial",
            "start": 1,
            "end": 2,
            "annotator": "bob",
            "created_at": "2024-01-01",
        },
    ]


def test_spans_recorded_as_objects_read_as_they_are():
    old = {"spans": [{"id": "s", "label": "claim", "start": 0, "end": 1, "annotator": "a"}]}
    assert imported_spans(old) == old["spans"]


@pytest.mark.parametrize("values", [["s", "claim", 0, 1], ["s", "claim", 0, 1, "a", 1, 2, 3, 4]])
def test_a_span_array_that_does_not_fit_its_fields_is_refused(values):
    with pytest.raises(ValueError, match="does not fit"):
        imported_spans(
            {"span_fields": ["id", "label", "start", "end", "annotator", "note"], "spans": [values]}
        )


def test_an_import_records_arrays_and_verify_replays_them_exactly(tmp_path):
    text = 'He said "12 died" 👨🏻‍🚒\r\nThe army denied it.'
    with Project.open(tmp_path / "p.db", created_by="alice") as project:
        project.import_document(
            NewDocument(
                text=text,
                title='A "title"',
                meta={"wire": "تاس"},
                spans=[
                    NewSpan(0, 2, "attribution"),
                    NewSpan(8, 16, "claim", annotator="bob", note='a "note"\n'),
                    NewSpan(21, 29, "denial", id="given-id", created_at="2024-01-01T00:00:00Z"),
                ],
            ),
            annotator="alice",
        )
        event = next(e for e in project.events() if e.kind == "document_imported")
        assert event.after["span_fields"][:5] == ["id", "label", "start", "end", "annotator"]
        arrays = sorted(event.after["spans"], key=lambda values: values[2])
        assert arrays[0][1:] == ["attribution", 0, 2, "alice"]
        assert arrays[1][1:] == ["claim", 8, 16, "bob", 'a "note"\n']
        assert arrays[2] == ["given-id", "denial", 21, 29, "alice", None, "2024-01-01T00:00:00Z"]
        raw = next(r for r in project.raw_events() if r["kind"] == "document_imported")
        assert to_json(json.loads(raw["after"])) == raw["after"]
        result = verify(project)
        assert result.ok, result.problems
        assert result.counts["spans"] == 3


def test_fragments_and_attributes_ride_at_the_end_of_a_span_and_replay(tmp_path):
    text = "Five people were killed, officials said, in Hama."
    with Project.open(tmp_path / "p.db", created_by="alice") as project:
        project.import_document(
            NewDocument(
                text=text,
                title="t",
                spans=[
                    NewSpan(0, 23, "casualty_report", attributes={"killed": 5}),
                    NewSpan(0, 38, "claim", fragments=[[0, 11], [25, 38]]),
                ],
            ),
            annotator="alice",
        )
        event = next(e for e in project.events() if e.kind == "document_imported")
        by_label = {values[1]: values for values in event.after["spans"]}
        assert by_label["claim"][5:] == [None, None, None, [[0, 11], [25, 38]]]
        assert by_label["casualty_report"][5:9] == [None, None, None, None]
        assert by_label["casualty_report"][9]["killed"] == 5
        result = verify(project)
        assert result.ok, result.problems
