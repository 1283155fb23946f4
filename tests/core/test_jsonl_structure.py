"""Native JSONL carries discontinuous spans, attribute values and attribute definitions: an export
imported into an empty project gives them back exactly, and bad ones are refused by line. The
property test also undoes and redoes every operation (add, extend, set values, remove a piece,
relabel, resize) and checks the state before and after each."""

from __future__ import annotations

import json
import shutil
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimmark.core.attributes import AttributeDefinition
from claimmark.core.formats.jsonl_writer import write_jsonl
from claimmark.core.importing import import_paths
from claimmark.core.model import InvariantError
from claimmark.core.project import NewDocument, Project
from claimmark.core.undo_history import UndoHistory

TEXT = (
    "Officials said 👨🏻\u200d🚒 five people were killed, the army said,\r\n"
    "and 10 to 12 injured; ש\u05b8לוֹם the ministry denied it."
)
FIXTURES = Path(__file__).parent / "fixtures"
KILLED = (TEXT.index("five"), TEXT.index("killed") + len("killed"))
INJURED = (TEXT.index("10 to"), TEXT.index("injured") + len("injured"))


def structure(project: Project) -> list[tuple]:
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
            s.fragments,
            tuple(s.attributes.items()),
        )
        for s in project.spans()
    )


def _round_trip(project: Project, tmp_path: Path) -> Project:
    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_jsonl(project, out)
    again = Project.open(None, created_by="someone")
    summary = import_paths(again, [path], annotator="importer")
    assert summary.ok, [str(p) for f in summary.files for p in f.problems]
    return again


def test_fragments_attributes_and_definitions_survive_export_and_import(tmp_path):
    with Project.open(None, created_by="ann") as project:
        project.add_attribute_definition(
            AttributeDefinition(
                "claim", "confirmed", "boolean", description="Later confirmed by another source"
            ),
            annotator="ann",
        )
        doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="ann")
        report = project.add_span(doc, "casualty_report", *KILLED, annotator="ann").created[0]
        project.add_fragment(report.id, *INJURED, annotator="ann")
        project.set_attributes(
            report.id, {"killed": 5, "injured": "10-12", "group": "unknown"}, annotator="ann"
        )
        claim = project.add_span(doc, "claim", 0, 9, annotator="bob").created[0]
        project.set_attributes(claim.id, {"confirmed": False}, annotator="bob")
        path = tmp_path / "out.jsonl"
        with path.open("w", encoding="utf-8", newline="") as out:
            write_jsonl(project, out)
        lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        assert lines[0] == {
            "attribute_definition": {
                "label": "claim",
                "name": "confirmed",
                "kind": "boolean",
                "choices": [],
                "minimum": None,
                "maximum": None,
                "allow_range": False,
                "allow_unknown": False,
                "description": "Later confirmed by another source",
            }
        }
        spans = {s["label"]: s for s in lines[1]["spans"]}
        assert spans["casualty_report"]["fragments"] == [list(KILLED), list(INJURED)]
        assert spans["casualty_report"]["text"] == TEXT[KILLED[0] : INJURED[1]]
        assert spans["casualty_report"]["attributes"] == {
            "killed": 5,
            "injured": [10, 12],
            "group": "unknown",
        }
        assert "fragments" not in spans["claim"]
        again = _round_trip(project, tmp_path)
        assert structure(again) == structure(project)
        assert again.attribute_definitions() == project.attribute_definitions()


def test_a_project_without_the_default_definitions_gets_the_ones_the_file_uses(tmp_path):
    path = tmp_path / "in.jsonl"
    span = {"start": 15, "end": 19, "label": "casualty_report", "attributes": {"killed": 5}}
    path.write_text(json.dumps({"id": "d1", "text": TEXT, "spans": [span]}) + "\n", "utf-8")
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v1" / "rich.db", old)
    with Project.open(old) as project:
        summary = import_paths(project, [path], annotator="importer")
        assert summary.ok, [str(p) for f in summary.files for p in f.problems]
        assert [d.name for d in project.attribute_definitions()] == ["killed"]
        assert dict(project.spans("d1")[0].attributes) == {"killed": 5}


@pytest.mark.parametrize(
    ("span", "message"),
    [
        (
            {"fragments": [[15, 19], [18, 48]]},
            "span 0: fragment 18-48 overlaps, touches or comes before the previous one",
        ),
        ({"fragments": [[15, 48]]}, "span 0: fragments must be a list of at least two"),
        ({"fragments": [[15, 19], [20, 40]]}, "fragments must run from the span's start 15"),
        (
            {"attributes": {"killed": "five"}},
            "killed must be a whole number ≥ 0, a range such as 10–12, or unknown; got 'five'",
        ),
        ({"attributes": {"group": "navy"}}, "group must be one of civilians, military"),
        ({"attributes": {"speaker": "x"}}, "label casualty_report has no attribute 'speaker'"),
        ({"attributes": [5]}, "'attributes' must be an object of names and values"),
        ({"attributes": {"killed": {"n": 5}}}, "'attributes' must be an object"),
    ],
)
def test_bad_structure_is_refused_naming_file_and_line(tmp_path, span, message):
    path = tmp_path / "bad.jsonl"
    good = {"id": "d0", "text": "A first document.", "spans": []}
    line = {"id": "d1", "text": TEXT, "spans": [{"start": 15, "end": 48, **span} | _label(span)]}
    path.write_text(json.dumps(good) + "\n" + json.dumps(line) + "\n", "utf-8")
    with Project.open(None, created_by="ann") as project:
        events = project.event_count()
        summary = import_paths(project, [path], annotator="importer")
        problems = [str(p) for f in summary.files for p in f.problems]
        assert not summary.ok
        assert any(f"{path}:2" in p and message in p for p in problems), problems
        assert project.document_count() == 0 and project.event_count() == events


def _label(span: dict) -> dict:
    return {"label": "casualty_report"}


def test_a_definition_that_differs_from_the_projects_is_refused(tmp_path):
    path = tmp_path / "clash.jsonl"
    definition = {"label": "casualty_report", "name": "killed", "kind": "text"}
    path.write_text(
        json.dumps({"attribute_definition": definition})
        + "\n"
        + json.dumps({"id": "d1", "text": TEXT})
        + "\n",
        "utf-8",
    )
    with Project.open(None, created_by="ann") as project:
        # A project holding documents keeps the definition they were labelled under.
        project.import_document(NewDocument(text="An earlier one.", title="e"), annotator="ann")
        summary = import_paths(project, [path], annotator="importer")
        problems = [str(p) for f in summary.files for p in f.problems]
        assert any(f"{path}:1" in p and "defined differently" in p for p in problems), problems
        assert project.document_count() == 1


# ---------------------------------------------------------------------- property test

_LABELS = ("casualty_report", "attribution", "claim")
_VALUES = {
    "killed": st.one_of(
        st.integers(0, 500),
        st.tuples(st.integers(0, 20), st.integers(21, 40)).map(list),
        st.just("unknown"),
    ),
    "injured": st.one_of(st.integers(0, 50), st.just("unknown")),
    "group": st.sampled_from(["civilians", "military", "militants", "mixed", "unknown"]),
    "source_type": st.sampled_from(["official", "media", "witness", "anonymous"]),
}
_OF_LABEL = {"casualty_report": ("killed", "injured", "group"), "attribution": ("source_type",)}

_piece = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 12)).map(
    lambda p: (p[0], min(p[0] + p[1], len(TEXT)))
)


@st.composite
def _operations(draw):
    operations = []
    for _ in range(draw(st.integers(1, 4))):
        label = draw(st.sampled_from(_LABELS))
        names = _OF_LABEL.get(label, ())
        values = {name: draw(_VALUES[name]) for name in names if draw(st.booleans())}
        extra = draw(st.lists(_piece, max_size=3))
        relabel_to = draw(st.none() | st.sampled_from(_LABELS))
        operations.append((label, draw(_piece), extra, values, relabel_to, draw(st.booleans())))
    return operations


def _state(project: Project) -> list[tuple]:
    return [row[:8] + row[10:] for row in structure(project)]  # times change on undo


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_operations())
def test_random_structure_survives_undo_redo_and_a_jsonl_round_trip(tmp_path, operations):
    with Project.open(None, created_by="ann") as project:
        doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="ann")
        history = UndoHistory("ann")

        def step(action) -> None:
            before = _state(project)
            try:
                changes = action()
            except InvariantError:  # whitespace only, a duplicate: refused, nothing written
                assert _state(project) == before
                return
            after = _state(project)
            history.record(changes)
            if not changes:
                return
            history.undo(project)
            assert _state(project) == before
            history.redo(project)
            assert _state(project) == after

        for label, (start, end), extra, values, relabel_to, shrink in operations:
            before = {s.id for s in project.spans()}
            step(partial(project.add_span, doc, label, start, end, annotator="ann"))
            created = [s.id for s in project.spans() if s.id not in before]
            if not created:
                continue
            span_id = created[0]
            for piece in extra:
                step(partial(project.add_fragment, span_id, *piece, annotator="ann"))
            if values:
                step(partial(project.set_attributes, span_id, values, annotator="ann"))
            pieces = project.span(span_id).pieces
            if len(pieces) > 1:
                middle = len(pieces) // 2
                step(partial(project.remove_fragment, span_id, middle, annotator="ann"))
            if relabel_to is not None:  # drops the values the other label does not define
                step(partial(project.relabel_span, span_id, relabel_to, annotator="ann"))
            span = project.span(span_id)
            if shrink and span.end - span.start > 2:
                step(
                    partial(project.resize_span, span_id, span.start + 1, span.end, annotator="ann")
                )
        again = _round_trip(project, tmp_path)
        assert structure(again) == structure(project)
        again.close()


def test_a_relation_to_a_refused_span_is_not_a_second_problem(tmp_path):
    """The span's own problem is the one to fix: 'no span with id' would send the reader looking
    for a span the line does have."""
    path = tmp_path / "bad.jsonl"
    spans = [
        {"id": "s1", "start": 15, "end": 48, "label": "claim", "fragments": [[20, 48], [15, 19]]},
        {"id": "s2", "start": 0, "end": 9, "label": "attribution"},
    ]
    relations = [{"type": "attributed_to", "from": "s1", "to": "s2"}]
    line = {"id": "d1", "text": TEXT, "spans": spans, "relations": relations}
    path.write_text(json.dumps(line) + "\n", "utf-8")
    with Project.open(None, created_by="ann") as project:
        summary = import_paths(project, [path], annotator="importer")
        problems = [str(p) for f in summary.files for p in f.problems]
        assert len(problems) == 1, problems
        assert f"{path}:1" in problems[0] and "span 0: fragment 15-19" in problems[0]
        assert project.document_count() == 0
