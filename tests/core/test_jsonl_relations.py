"""Relations through claimmark's JSONL: exported on their document's line, imported exactly, and
refused with file:line when they point at nothing or break the schema."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimmark.core.audit import verify
from claimmark.core.formats.jsonl_writer import write_jsonl
from claimmark.core.importing import import_paths
from claimmark.core.model import ClaimmarkError
from claimmark.core.project import NewDocument, Project
from claimmark.core.undo_history import UndoHistory

TEXT = "Militants said they killed five soldiers. The ministry denied that anyone was killed."
WORDS = [(m.start(), m.end()) for m in re.finditer(r"\w+", TEXT)]
LABELS = ["claim", "denial", "casualty_report", "attribution"]


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


def state(project: Project) -> tuple[list, list]:
    spans = sorted(
        (s.id, s.document_id, s.label, s.start, s.end, s.annotator, s.created_at)
        for s in project.spans()
    )
    relations = sorted(
        (r.id, r.document_id, r.type, r.from_span, r.to_span, r.annotator, r.created_at)
        for rs in project.relations_by_document(project.document_ids()).values()
        for r in rs
    )
    return spans, relations


@pytest.fixture
def linked(project: Project):
    doc, _ = project.import_document(NewDocument(text=TEXT, title="t", id="d1"), annotator="alice")
    claim = project.add_span(doc, "claim", 15, 40, annotator="alice").created[0]
    source = project.add_span(doc, "attribution", 0, 9, annotator="alice").created[0]
    denial = project.add_span(doc, "denial", 55, 84, annotator="alice").created[0]
    project.add_span(doc, "claim", 15, 40, annotator="bob")
    project.add_relation(claim.id, source.id, "attributed_to", annotator="alice")
    project.add_relation(denial.id, claim.id, "denies", annotator="alice")
    return project


def test_a_documents_relations_ride_on_its_line(linked):
    lines = [json.loads(line) for line in export_text(linked).splitlines()]
    definitions = [line["relation_type_definition"] for line in lines[:-1]]
    assert [d["key"] for d in definitions] == ["attributed_to", "denies"]
    assert definitions[1]["from_labels"] == ["denial"] and definitions[1]["to_labels"] == ["claim"]
    document = lines[-1]
    spans = {s["id"]: s for s in document["spans"]}
    shown = [
        (r["type"], spans[r["from"]]["text"], spans[r["to"]]["text"], r["annotator"])
        for r in document["relations"]
    ]
    assert sorted(shown) == [
        ("attributed_to", "they killed five soldiers", "Militants", "alice"),
        ("denies", "denied that anyone was killed", "they killed five soldiers", "alice"),
    ]
    assert set(document["relations"][0]) == {"id", "type", "from", "to", "annotator", "created_at"}


def test_import_into_an_empty_project_reproduces_relations_exactly(linked, tmp_path):
    copy = reimport(tmp_path, export_text(linked))
    assert state(copy) == state(linked)
    assert copy.relation_types() == linked.relation_types()
    assert verify(copy).ok
    [event] = [e for e in copy.events() if e.kind == "document_imported"]
    assert len(event.after["relations"]) == 2


def test_a_filter_leaving_out_one_end_leaves_out_the_relation(linked):
    lines = export_text(linked, labels=["claim", "attribution"]).splitlines()
    document = json.loads(lines[-1])
    assert [r["type"] for r in document["relations"]] == ["attributed_to"]
    assert "relations" not in json.loads(export_text(linked, annotators=["bob"]).splitlines()[-1])


def test_a_new_relation_type_comes_with_the_file(linked, tmp_path):
    exported = export_text(linked).replace('"denies"', '"refutes"')
    copy = reimport(tmp_path, exported)
    refutes = copy.relation_type("refutes")
    assert refutes is not None and refutes.from_labels == ("denial",)
    assert refutes.hotkey is None  # "d" is the project's denies already
    assert [r.type for r in copy.relations("d1", "alice")].count("refutes") == 1
    assert verify(copy).ok


def test_a_definition_differing_from_the_projects_keeps_the_projects_rule(linked, tmp_path):
    exported = export_text(linked).replace('"to_labels": ["claim"]', '"to_labels": []')
    path = tmp_path / "x.jsonl"
    path.write_text(exported, encoding="utf-8")
    fresh = Project.open(None, created_by="x")
    # A project already holding documents: its rule is the one they were labelled under.
    fresh.import_document(NewDocument(text="An earlier article.", title="e"), annotator="x")
    summary = import_paths(fresh, [path], annotator="x")
    assert summary.ok
    warnings = [str(w) for w in summary.files[0].warnings]
    assert any(
        ":2:" in w and "the project's rule is kept" in w and "denies goes from denial to any" in w
        for w in warnings
    ), warnings
    assert fresh.relation_type("denies").to_labels == ("claim",)


def _document_line(relations: list[dict]) -> dict:
    return {
        "id": "d1",
        "text": TEXT,
        "spans": [
            {"id": "c", "start": 15, "end": 40, "label": "claim", "annotator": "alice"},
            {"id": "s", "start": 0, "end": 9, "label": "attribution", "annotator": "alice"},
            {"id": "b", "start": 0, "end": 9, "label": "attribution", "annotator": "bob"},
        ],
        "relations": relations,
    }


@pytest.mark.parametrize(
    ("relation", "message"),
    [
        (
            {"type": "attributed_to", "from": "c", "to": "nowhere"},
            "relation 0 (attributed_to): no span with id 'nowhere' in this document",
        ),
        (
            {"type": "attributed_to", "from": "s", "to": "c"},
            "attributed_to goes from claim, denial or casualty_report to attribution,"
            " not from attribution to claim",
        ),
        (
            {"type": "attributed_to", "from": "c", "to": "b"},
            "the two spans are in different layers (alice's and bob's);"
            " a relation links spans of one layer",
        ),
        ({"type": "supports", "from": "c", "to": "s"}, "unknown relation type 'supports'"),
        (
            {"type": "attributed_to", "from": "c", "to": "s", "annotator": "bob"},
            "relation attributed_to is bob's, but its spans are in alice's layer",
        ),
        ({"type": 3, "from": "c", "to": "s"}, "relation 0: 'type' must be a string"),
        (
            {"id": "r7", "type": "attributed_to", "from": "s", "to": "c"},
            "relation 'r7' (attributed_to from span 's' to span 'c'): attributed_to goes from"
            " claim, denial or casualty_report to attribution, not from attribution to claim",
        ),
    ],
    ids=[
        "unknown span",
        "against the schema",
        "two layers",
        "unknown type",
        "other",
        "bad type",
        "named relation",
    ],
)
def test_a_bad_relation_refuses_the_file_with_its_line(project, tmp_path, relation, message):
    path = tmp_path / "bad.jsonl"
    lines = [{"text": "A first, good document."}, _document_line([relation])]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    before = (project.document_count(), len(project.events()))
    summary = import_paths(project, [path], annotator="alice")
    [result] = summary.files
    assert [str(p) for p in result.problems] == [f"{path}:2: {message}"]
    assert (project.document_count(), len(project.events())) == before


def test_a_relation_naming_a_dropped_repeat_of_a_span_follows_the_kept_one(project, tmp_path):
    line = _document_line([{"type": "attributed_to", "from": "c", "to": "s2"}])
    line["spans"].append(
        {"id": "s2", "start": 0, "end": 9, "label": "attribution", "annotator": "alice"}
    )
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    summary = import_paths(project, [path], annotator="alice")
    assert summary.ok and summary.files[0].duplicate_spans == 1
    [relation] = project.relations("d1", "alice")
    assert (relation.from_span, relation.to_span) == ("c", "s")


# --------------------------------------------------------------------- property
_spans = st.lists(
    st.tuples(
        st.sampled_from(LABELS),
        st.integers(0, len(WORDS) - 1),
        st.integers(0, 3),
        st.sampled_from(["alice", "bob"]),
    ),
    max_size=8,
)
_links = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from(["attributed_to", "denies"])),
    max_size=10,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spans=_spans, links=_links, deletions=st.lists(st.integers(0, 7), max_size=3))
def test_random_spans_and_relations_survive_jsonl_and_undo_redo(tmp_path, spans, links, deletions):
    project = Project.open(None, created_by="importer")
    doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="importer")
    histories = {name: UndoHistory(name) for name in ("alice", "bob")}
    made = []
    for label, first, width, who in spans:
        start, end = WORDS[first][0], WORDS[min(first + width, len(WORDS) - 1)][1]
        try:
            changes = project.add_span(doc, label, start, end, annotator=who)
        except ClaimmarkError:
            continue  # an exact repeat
        histories[who].record(changes)
        made.append(changes.created[0])
    for i, j, kind in links:
        if i >= len(made) or j >= len(made):
            continue
        try:
            changes = project.add_relation(
                made[i].id, made[j].id, kind, annotator=made[i].annotator
            )
        except ClaimmarkError:
            continue  # refused by a rule: fine, the rules have their own tests
        histories[changes.annotator].record(changes)
    for i in deletions:
        if i < len(made) and made[i].id in {s.id for s in project.spans()}:
            who = made[i].annotator
            histories[who].record(project.delete_span(made[i].id, annotator=who))

    final = state(project)
    copy = reimport(tmp_path, export_text(project), name="random.jsonl")
    assert state(copy) == final
    assert verify(copy).ok

    for history in histories.values():
        while history.can_undo:
            history.undo(project)
    assert state(project) == ([], [])
    for history in histories.values():
        while history.can_redo:
            history.redo(project)
    assert state(project) == final
    assert verify(project).ok
    project.close()


def test_an_edited_schema_comes_back_in_a_new_project(linked, tmp_path):
    """Export a project whose relation rule and attribute were edited, import into a new one:
    the file's definitions replace the untouched defaults, and everything comes back."""
    linked.schema.change_relation_type(
        "denies", annotator="lead", to_labels=("claim", "denial"), color="#112233"
    )
    linked.schema.change_attribute("casualty_report", "killed", annotator="lead", maximum=1000)
    claim = next(s for s in linked.spans("d1") if s.label == "claim" and s.annotator == "alice")
    denial = next(s for s in linked.spans("d1") if s.label == "denial")
    # a denial denying a denial: only the edited rule allows it
    second = linked.add_span("d1", "denial", claim.start, claim.end, annotator="alice")
    linked.add_relation(denial.id, second.created[0].id, "denies", annotator="alice")
    exported = export_text(linked)
    copy = reimport(tmp_path, exported)
    assert copy.relation_type("denies") == linked.relation_type("denies")
    assert copy.attribute_definitions() == linked.attribute_definitions()
    assert state(copy) == state(linked)
    assert verify(copy).ok
    assert [e.kind for e in copy.events()].count("relation_type_changed") == 1
