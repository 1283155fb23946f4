"""Relations and relation types travel through a merge: ids, layers and times kept."""

from __future__ import annotations

from claimmark.core.event_kinds import EventKind
from claimmark.core.history import describe_event
from claimmark.core.model import RelationType
from claimmark.core.project import Project
from claimmark.core.undo_history import UndoHistory
from tests.core.merge.builders import TEXTS, DocSpec, ProjectSpec, SpanSpec, build, merge
from tests.core.merge.builders import verify as verify_cli

LINKED = DocSpec(
    "d",
    TEXTS[0],
    (SpanSpec("alice", "claim", 0, 9), SpanSpec("alice", "attribution", 10, 16)),
    relations=((0, 1, "attributed_to"),),
)


def _conflicts(result) -> list[str]:
    assert result.exit_code == 0, result.output
    return [line.strip() for line in result.stdout.splitlines() if "conflict: " in line]


def test_relations_and_relation_types_are_carried_whole(tmp_path):
    alice = build(tmp_path / "alice.db", ProjectSpec((LINKED,)), created_by="alice")
    with Project.open(alice) as project:
        project.add_relation_type(
            RelationType("quotes", "Quotes", "#123456", None, "", ("attribution",), ("claim",)),
            annotator="alice",
        )
        claim, source = project.spans("d")
        project.add_relation(source.id, claim.id, "quotes", annotator="alice")
        originals = project.relations("d", "alice")
    team = tmp_path / "team.db"
    result = merge(team, alice, by="carol")
    assert "relations: 2 added, 0 already present" in result.stdout
    assert "relation types: 1 added, 2 already present" in result.stdout
    assert _conflicts(result) == []
    with Project.open(team) as project:
        assert project.relations("d", "alice") == originals  # ids, ends, layer, time
        assert project.relation_type("quotes").from_labels == ("attribution",)
        (event,) = project.events(subject=originals[0].id)
        assert event.kind == EventKind.RELATION_MERGED and event.annotator == "carol"
        assert "into alice's layer (made by alice at" in describe_event(event)
    assert verify_cli(team).exit_code == 0
    with Project.open(team) as project:  # nobody's undo step, neither the merger's nor hers
        assert not UndoHistory.rebuild(project, "carol").can_undo
        assert not UndoHistory.rebuild(project, "alice").can_undo
    again = merge(team, alice)
    assert "relations: 0 added, 2 already present" in again.stdout
    assert _conflicts(again) == []


def test_a_relation_type_defined_otherwise_is_a_conflict(tmp_path):
    alice = tmp_path / "alice.db"
    with Project.open(alice, created_by="alice") as project:
        project.add_relation_type(
            RelationType("quotes", "Quotes", "#123456", None, "", ("attribution",), ("claim",)),
            annotator="alice",
        )
    team = tmp_path / "team.db"
    with Project.open(team, created_by="carol") as project:
        project.add_relation_type(
            RelationType("quotes", "Quotes", "#654321", None, "", (), ()), annotator="carol"
        )
    assert _conflicts(merge(team, alice)) == [
        f"conflict: {alice}: relation type quotes: defined otherwise there"
        " (color, from_labels, to_labels): team.db keeps its own"
    ]
    with Project.open(team) as project:
        assert project.relation_type("quotes").color == "#654321"
    assert verify_cli(team).exit_code == 0


def test_a_relation_whose_span_stayed_out_is_reported_not_merged(tmp_path):
    alice = build(tmp_path / "alice.db", ProjectSpec((LINKED,)), created_by="alice")
    # The team file already holds Alice's claim, made separately (another span id).
    team = build(
        tmp_path / "team.db",
        ProjectSpec((DocSpec("d", TEXTS[0], (SpanSpec("alice", "claim", 0, 9),)),)),
        created_by="alice",
    )
    with Project.open(alice) as project:
        (relation,) = project.relations("d", "alice")
    lines = _conflicts(merge(team, alice))
    assert len(lines) == 2
    assert "holds the same claim span of alice at 0-9" in lines[0]
    assert lines[1].startswith(f"conflict: {alice}: relation {relation.id}: cannot be stored")
    assert lines[1].endswith(": not merged")
    with Project.open(team) as project:
        assert project.relations("d", "alice") == []
    assert verify_cli(team).exit_code == 0
