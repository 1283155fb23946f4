"""Merging and adjudicating in turn: a file holding gold and the curator's decisions merges, and
the team file's history proves every step of merge → adjudicate → undo → merge again.

The three-annotator project (``tests/team_project.py``) stands for the team file the curator
adjudicates; ``alice.db`` for an annotator's own file merged into it, and later the team file
merged back into a fresh file (gold travels to whoever merges it).
"""

from __future__ import annotations

from claimmark.core.adjudication import curator
from claimmark.core.adjudication.candidates import CandidateState, document_candidates
from claimmark.core.event_kinds import EventKind
from claimmark.core.model import GOLD_LAYER
from claimmark.core.project import NewDocument, Project
from claimmark.core.undo_history import UndoHistory
from tests.core.merge.builders import merge, state
from tests.core.merge.builders import verify as verify_cli
from tests.team_project import CURATOR, TEXT, at, key, make_team_project


def _ok(result) -> None:
    assert result.exit_code == 0, result.output


def _candidate(project, piece, label):
    wanted = key(piece, label)
    return next(c for c in document_candidates(project, "d1").candidates if c.key == wanted)


def _gold(path):
    with Project.open(path) as project:
        return {
            (s.document_id, s.start, s.end, s.label) for s in project.spans(annotators=[GOLD_LAYER])
        }


def _alice_file(tmp_path):
    """Alice's own file: the first article (same text, another id) with one new span."""
    path = tmp_path / "alice.db"
    with Project.open(path, created_by="alice") as project:
        project.import_document(
            NewDocument(text=f"{TEXT} (1)", title="mine", id="mine-1"), annotator="alice"
        )
        project.add_span("mine-1", "attribution", *at("Reuters"), annotator="alice")
    return path


def test_merge_adjudicate_undo_and_merge_again_keeps_the_history_provable(tmp_path):
    team = tmp_path / "team.db"
    make_team_project(team).close()
    alice = _alice_file(tmp_path)
    _ok(merge(team, alice))
    with Project.open(team) as project:
        history = UndoHistory(CURATOR)
        history.record(
            curator.accept(
                project, _candidate(project, "Officials said", "claim"), annotator=CURATOR
            )
        )
        history.record(
            curator.reject(
                project,
                _candidate(project, "12 died", "casualty_report"),
                annotator=CURATOR,
                reason="a count",
            )
        )
        history.record(
            curator.edit_and_accept(
                project,
                _candidate(project, "12 died", "claim"),
                annotator=CURATOR,
                start=at("said 12 died")[0],
            )
        )
        history.record(curator.mark_adjudicated(project, "d1", annotator=CURATOR))
        history.undo(project)  # adjudicated mark
        history.undo(project)  # the edited acceptance
    _ok(verify_cli(team))
    again = merge(team, alice)
    _ok(again)
    assert "0 new document(s), 0 span(s) added, 0 status(es) added or changed" in again.stdout
    _ok(verify_cli(team))
    assert _gold(team) == {("d1", *key("Officials said", "claim")[:3])}
    with Project.open(team) as project:
        history = UndoHistory.rebuild(project, CURATOR)
        history.redo(project)  # the edited acceptance comes back after the merge
        states = {c.key: c.state for c in document_candidates(project, "d1").candidates}
        assert states[key("12 died", "casualty_report")] is CandidateState.REJECTED
        assert states[key("12 died", "claim")] is CandidateState.IN_GOLD
        # the gold layer was made by the curator's first decision, and its event says so
        created = next(
            e
            for e in project.events()
            if e.kind == EventKind.ANNOTATOR_ADDED and e.subject == GOLD_LAYER
        )
        assert created.annotator == CURATOR
    _ok(verify_cli(team))


def test_a_file_holding_gold_and_decisions_merges_and_verifies(tmp_path):
    team = tmp_path / "team.db"
    make_team_project(team).close()
    with Project.open(team) as project:
        curator.accept_agreed(
            project, document_candidates(project, "d1").candidates, annotator=CURATOR
        )
        curator.reject(
            project, _candidate(project, "12 died", "casualty_report"), annotator=CURATOR
        )
        added = curator.add_gold_span(
            project, "d1", "attribution", *at("Reuters"), annotator=CURATOR
        )
        curator.remove_gold_span(project, added.spans[0].after.id, annotator=CURATOR)
        curator.mark_adjudicated(project, "d1", annotator=CURATOR)
    fresh = tmp_path / "fresh.db"
    _ok(merge(fresh, team, by="erin"))
    _ok(verify_cli(fresh))
    assert _gold(fresh) == _gold(team) and len(_gold(team)) == 2
    merged, source = state(fresh), state(team)
    assert merged["spans"] == source["spans"]
    assert merged["statuses"] == source["statuses"]  # gold's "done" (adjudicated) included
    # merging it again adds nothing, and the merged file can be adjudicated further
    again = merge(fresh, team, by="erin")
    _ok(again)
    assert "0 span(s) added" in again.stdout
    with Project.open(fresh) as project:
        curator.accept(project, _candidate(project, "12 died", "claim"), annotator="erin")
    _ok(verify_cli(fresh))
