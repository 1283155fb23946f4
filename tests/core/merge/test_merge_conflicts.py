"""Every kind of merge conflict: named in the summary with its file and record, never lost silently,
and resolved the same whichever file comes first where the rule says so."""

from __future__ import annotations

import shutil

import pytest

from claimmark.core.event_kinds import EventKind
from claimmark.core.history import describe_event
from claimmark.core.model import Label, LabelKey
from claimmark.core.project import Project
from tests.core.merge.builders import TEXTS, DocSpec, ProjectSpec, SpanSpec, build, merge, state
from tests.core.merge.builders import verify as verify_cli


def _conflict_lines(result):
    assert result.exit_code == 0, result.output
    return [line.strip() for line in result.stdout.splitlines() if "conflict: " in line]


def _logged_conflicts(team):
    with Project.open(team) as project:
        return [e for e in project.events() if e.kind == EventKind.MERGE_CONFLICT]


def test_same_document_id_with_another_text_keeps_both_under_a_derived_id(tmp_path):
    a = build(tmp_path / "a.db", ProjectSpec((DocSpec("d", TEXTS[0]),)), created_by="alice")
    b = build(
        tmp_path / "b.db",
        ProjectSpec((DocSpec("d", TEXTS[1], (SpanSpec("bob", "claim", 0, 3),)),)),
        created_by="bob",
    )
    team = tmp_path / "team.db"
    lines = _conflict_lines(merge(team, a, b))
    with Project.open(b) as source:
        sha = source.document("d").sha256
    assert lines == [
        f"conflict: {b}: document d: team.db holds another text under this id:"
        f" its text is kept as document d-{sha[:8]}"
    ]
    with Project.open(team) as project:
        assert project.document("d").text == TEXTS[0]
        assert project.document(f"d-{sha[:8]}").text == TEXTS[1]
        assert [s.document_id for s in project.spans()] == [f"d-{sha[:8]}"]
    assert [e.subject for e in _logged_conflicts(team)] == ["d"]
    assert verify_cli(team).exit_code == 0
    # The other order: the other text keeps the id, nothing else differs.
    other = tmp_path / "other.db"
    merge(other, b, a)
    assert state(other) == state(team)


def test_label_with_another_name_or_colour_is_reported_and_the_projects_kept(tmp_path):
    a = build(
        tmp_path / "a.db",
        ProjectSpec(labels=(("rumour", "Rumour", "#112233"), ("hearsay", "Hearsay", "#445566"))),
        created_by="alice",
    )
    team = build(
        tmp_path / "team.db",
        ProjectSpec(labels=(("rumour", "Gossip", "#112233"),)),
        created_by="carol",
    )
    lines = _conflict_lines(merge(team, a))
    assert lines == [
        f"conflict: {a}: label rumour: named 'Rumour', colour #112233 there;"
        " team.db keeps 'Gossip', colour #112233"
    ]
    with Project.open(team) as project:
        assert project.label("rumour").name == "Gossip"
        assert project.label("hearsay").name == "Hearsay"  # a missing label is added
    assert verify_cli(team).exit_code == 0


def test_label_whose_hotkey_is_taken_is_added_without_it(tmp_path):
    a = tmp_path / "a.db"
    with Project.open(a, created_by="alice") as project:
        project.add_label(Label(LabelKey("rumour"), "Rumour", "#112233", "5"), annotator="alice")
    team = tmp_path / "team.db"
    with Project.open(team, created_by="carol") as project:
        project.add_label(Label(LabelKey("quote"), "Quote", "#998877", "5"), annotator="carol")
    lines = _conflict_lines(merge(team, a))
    assert lines == [
        f"conflict: {a}: label rumour: its hotkey '5' is label 'quote''s in team.db:"
        " added without a hotkey"
    ]
    with Project.open(team) as project:
        assert project.label("rumour").hotkey is None
    assert verify_cli(team).exit_code == 0


def test_layer_of_another_kind_is_reported(tmp_path):
    a = tmp_path / "a.db"
    with Project.open(a, created_by="alice") as project, project.batch():
        # No command makes a machine layer yet (suggestions will): made as they will be.
        project._db.ensure_annotator("tagger", "machine")
    team = build(
        tmp_path / "team.db",
        ProjectSpec((DocSpec("t", TEXTS[0], (SpanSpec("tagger", "claim", 0, 3),)),)),
        created_by="carol",
    )
    lines = _conflict_lines(merge(team, a))
    assert lines == [
        f"conflict: {a}: layer tagger: a machine layer there; team.db keeps it a person layer"
    ]


@pytest.fixture
def fork(tmp_path):
    """Alice's file, and a copy of it in which her span was then changed."""
    a = build(
        tmp_path / "a.db",
        ProjectSpec((DocSpec("d", TEXTS[0], (SpanSpec("alice", "claim", 0, 9),)),)),
        created_by="alice",
    )
    b = tmp_path / "b.db"
    shutil.copy(a, b)
    with Project.open(b) as project:
        span = project.spans()[0]
        project.relabel_span(span.id, "denial", annotator="alice")
    return a, b, span.id


def test_same_span_id_with_other_content_is_reported_and_never_overwritten(tmp_path, fork):
    a, b, span_id = fork
    team = tmp_path / "team.db"
    lines = _conflict_lines(merge(team, a, b))
    assert lines == [
        f"conflict: {b}: span {span_id}: the same span id with other content"
        " (label, updated_at): team.db keeps its own"
    ]
    with Project.open(team) as project:
        assert project.span(span_id).label == "claim"
    (event,) = _logged_conflicts(team)
    assert event.subject == span_id and event.document_id == "d"
    assert event.after["differs"] == ["label", "updated_at"]
    assert verify_cli(team).exit_code == 0


def test_same_span_under_another_id_is_reported_and_stored_once(tmp_path):
    spec = ProjectSpec((DocSpec("d", TEXTS[0], (SpanSpec("alice", "claim", 0, 9),)),))
    a = build(tmp_path / "a.db", spec, created_by="alice")
    b = build(tmp_path / "b.db", spec, created_by="alice")  # same work, other span ids
    team = tmp_path / "team.db"
    lines = _conflict_lines(merge(team, a, b))
    with Project.open(team) as project:
        (kept,) = project.spans()
    with Project.open(b) as project:
        (theirs,) = project.spans()
    assert lines == [
        f"conflict: {b}: span {theirs.id}: team.db holds the same claim span of alice at 0-9"
        f" as span {kept.id}: keeps that one"
    ]


@pytest.mark.parametrize("order", ["ab", "ba"])
def test_status_conflict_done_wins_in_either_order(tmp_path, order):
    a = build(
        tmp_path / "a.db",
        ProjectSpec((DocSpec("d", TEXTS[0], (SpanSpec("alice", "claim", 0, 9),)),)),
        created_by="alice",
    )
    b = tmp_path / "b.db"
    shutil.copy(a, b)
    with Project.open(b) as project:
        project.set_status("d", "done", annotator="alice")
    team = tmp_path / "team.db"
    first, second = (a, b) if order == "ab" else (b, a)
    lines = _conflict_lines(merge(team, first, second))
    there, here = ("done", "in_progress") if order == "ab" else ("in_progress", "done")
    assert lines == [
        f"conflict: {second}: status of document d for alice: {there} there, {here} in"
        " team.db: done kept (done wins over in progress)"
    ]
    with Project.open(team) as project:
        assert project.statuses("d") == {"alice": "done"}
    assert verify_cli(team).exit_code == 0


def test_a_conflict_reads_as_a_sentence_in_the_audit_log_and_cannot_forge_a_line(tmp_path):
    a = tmp_path / "a.db"
    with Project.open(a, created_by="alice") as project:
        forged = Label(LabelKey("rumour"), "Rumour\nforged line", "#112233")
        project.add_label(forged, annotator="alice")
    team = tmp_path / "team.db"
    with Project.open(team, created_by="carol") as project:
        project.add_label(Label(LabelKey("rumour"), "Gossip", "#112233"), annotator="carol")
    merge(team, a)
    (event,) = _logged_conflicts(team)
    line = describe_event(event)
    assert line.startswith("merge conflict with 'a.db': label rumour: named 'Rumour")
    assert line.endswith(
        "forged line', colour #112233 there; team.db keeps 'Gossip', colour #112233"
    )
    assert "\n" not in line and len(line.splitlines()) == 1
