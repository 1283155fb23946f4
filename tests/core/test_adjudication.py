"""Adjudication without a display: candidates and their states, each decision, undo, audit.

The decisions are the curator's (``dana``): each writes only the gold layer or the log, names
her, names the annotators' spans it came from, is one undo step of hers, and replays in
``audit verify``. Rejections live only in the log and still read as rejected after a restart.
"""

from __future__ import annotations

import pytest

from claimmark.core.adjudication import curator
from claimmark.core.adjudication.candidates import CandidateState, document_candidates
from claimmark.core.audit import verify
from claimmark.core.event_kinds import EventKind
from claimmark.core.history import describe_event
from claimmark.core.model import GOLD_LAYER, ClaimmarkError
from claimmark.core.project import Project
from claimmark.core.undo_history import UndoHistory
from tests.team_project import CURATOR, at, key, make_team_project

S = CandidateState


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "team.db"
    make_team_project(path).close()
    return path


def _states(project, document_id="d1"):
    return {c.key: c.state for c in document_candidates(project, document_id).candidates}


def _candidate(project, piece, label, document_id="d1"):
    wanted = key(piece, label)
    return next(c for c in document_candidates(project, document_id).candidates if c.key == wanted)


def _gold(project, document_id="d1"):
    return {
        (s.start, s.end, s.label, s.fragments)
        for s in project.spans(document_id, annotators=[GOLD_LAYER])
    }


def test_candidates_group_identical_spans_and_name_who_proposed_them(path):
    with Project.open(path) as project:
        document = document_candidates(project, "d1")
        assert document.labelled_by == ("alice", "bob", "carol")
        assert _states(project) == {
            key("Officials said", "claim"): S.AGREED,
            key("The army denied it", "denial"): S.AGREED,
            key("12 died", "casualty_report"): S.SOME,
            key("12 died", "claim"): S.ONE,
            key("The army denied", "denial"): S.ONE,
            key("Reuters reported", "attribution"): S.ONE,
        }
        some = _candidate(project, "12 died", "casualty_report")
        assert some.annotators == ("alice", "bob") and some.text == "12 died"
        alice_span = project.spans("d1", annotators=["alice"])
        assert {s.span_id for s in some.sources} <= {s.id for s in alice_span} | {
            s.id for s in project.spans("d1", annotators=["bob"])
        }
        # Two annotators labelled d2 and both made the span: they all agree.
        assert _states(project, "d2") == {key("Officials said", "claim"): S.AGREED}
        assert _states(project, "d3") == {key("Officials said", "claim"): S.ONE}


def test_accept_reject_edit_and_add_each_write_gold_and_name_the_curator(path):
    with Project.open(path) as project:
        before = project.event_count()
        curator.accept(project, _candidate(project, "Officials said", "claim"), annotator=CURATOR)
        curator.reject(
            project,
            _candidate(project, "Reuters reported", "attribution"),
            annotator=CURATOR,
            reason="attribution needs a quote",
        )
        curator.edit_and_accept(
            project,
            _candidate(project, "12 died", "claim"),
            annotator=CURATOR,
            label="casualty_report",
            start=at("said 12 died")[0],
        )
        curator.add_gold_span(project, "d1", "claim", *at("the claim"), annotator=CURATOR)
        assert _gold(project) == {
            key("Officials said", "claim"),
            key("said 12 died", "casualty_report"),
            key("the claim", "claim"),
        }
        states = _states(project)
        assert states[key("Officials said", "claim")] is S.IN_GOLD
        assert states[key("Reuters reported", "attribution")] is S.REJECTED
        assert states[key("12 died", "claim")] is S.IN_GOLD  # edited into gold
        assert states[key("said 12 died", "casualty_report")] is S.GOLD_ONLY
        assert states[key("the claim", "claim")] is S.GOLD_ONLY
        # No person's layer changed; every new event is the curator's.
        new = [e for e in project.events()[before:] if e.kind != EventKind.ANNOTATOR_ADDED]
        assert {e.annotator for e in new} == {CURATOR}
        kinds = [e.kind for e in new]
        assert kinds == [
            EventKind.SPAN_ADJUDICATED,
            EventKind.CANDIDATE_REJECTED,
            EventKind.SPAN_ADJUDICATED,
            EventKind.SPAN_ADJUDICATED,
        ]
        accepted = [e for e in new if e.kind == EventKind.SPAN_ADJUDICATED]
        assert sorted(s["annotator"] for s in accepted[0].after["adjudication"]["sources"]) == [
            "alice",
            "bob",
            "carol",
        ]
        assert accepted[1].after["adjudication"]["edited"] is True
        assert accepted[2].after["adjudication"]["candidate"] is None
        text = [describe_event(e) for e in new]
        assert "proposed by alice, bob, carol" in text[-4]
        assert "rejected candidate attribution" in text[-3]
        assert "reason 'attribution needs a quote'" in text[-3]
        assert "edited from claim" in text[-2] and "proposed by carol" in text[-2]
        assert "proposed by nobody" in text[-1]
        assert verify(project).ok, verify(project).problems

    # After a restart the rejection still stands, with its reason.
    with Project.open(path) as project:
        rejected = _candidate(project, "Reuters reported", "attribution")
        assert rejected.state is S.REJECTED and rejected.reason == "attribution needs a quote"


def test_each_decision_is_one_undo_step_of_the_curator_and_survives_a_restart(path):
    with Project.open(path) as project:
        candidates = document_candidates(project, "d1").candidates
        history = UndoHistory(CURATOR)
        history.record(curator.accept_agreed(project, candidates, annotator=CURATOR))
        assert _gold(project) == {
            key("Officials said", "claim"),
            key("The army denied it", "denial"),
        }
        history.record(
            curator.reject(
                project, _candidate(project, "The army denied", "denial"), annotator=CURATOR
            )
        )
        gold_span = next(s for s in project.spans("d1", annotators=[GOLD_LAYER]))
        history.record(
            curator.remove_gold_span(project, gold_span.id, annotator=CURATOR, reason="too long")
        )
        assert history.undo_caption == "Remove gold span"
        history.undo(project)  # the removal
        history.undo(project)  # the rejection
        assert _states(project)[key("The army denied", "denial")] is S.ONE
        assert history.undo_caption == "Accept 2 agreed spans"
        history.undo(project)  # accept all agreed: one step
        assert _gold(project) == set()
        history.redo(project)
        assert len(_gold(project)) == 2
        assert verify(project).ok, verify(project).problems

    with Project.open(path) as project:
        rebuilt = UndoHistory.rebuild(project, CURATOR)
        # Rebuilt from the log, the step is named by its events (a title is not stored).
        assert rebuilt.undo_caption == "Accept into gold (2)"
        assert rebuilt.redo_caption == "Reject candidate"
        rebuilt.redo(project)
        assert _states(project)[key("The army denied", "denial")] is S.REJECTED
        rebuilt.undo(project)
        assert _states(project)[key("The army denied", "denial")] is S.ONE
        assert verify(project).ok, verify(project).problems
        text = [describe_event(e) for e in project.events()[-2:]]
        assert text[0].startswith("rejected candidate denial")
        assert text[1].startswith("withdrew the rejection of candidate denial")
        assert text[1].endswith("(undo or redo)")


def test_decisions_already_made_are_refused(path):
    with Project.open(path) as project:
        agreed = _candidate(project, "Officials said", "claim")
        curator.accept(project, agreed, annotator=CURATOR)
        with pytest.raises(ClaimmarkError, match="already in gold"):
            curator.accept(project, agreed, annotator=CURATOR)
        one = _candidate(project, "The army denied", "denial")
        curator.reject(project, one, annotator=CURATOR)
        with pytest.raises(ClaimmarkError, match="already rejected"):
            curator.reject(project, one, annotator=CURATOR)
        # A rejected candidate can still be accepted: gold wins.
        curator.accept(project, one, annotator=CURATOR)
        assert _states(project)[one.key] is S.IN_GOLD


def test_a_withdrawal_of_a_rejection_that_never_stood_fails_the_replay(path):
    """Rejections live only in the log, so the replay checks each follows from the last."""
    with Project.open(path) as project:
        one = _candidate(project, "The army denied", "denial")
        with pytest.raises(ClaimmarkError, match="not rejected"), project.batch():
            project.decision_store.withdraw(one.rejection(), by=CURATOR)
        # Written behind the store's back, the same event is caught by audit verify.
        with project.batch():
            project._db.append_event(
                EventKind.REJECTION_WITHDRAWN,
                annotator=CURATOR,
                document_id="d1",
                subject=one.rejection().subject,
                before=one.rejection().values(),
            )
        problems = verify(project).problems
        assert len(problems) == 1 and "was not rejected" in problems[0]


def test_gold_status_done_marks_a_document_adjudicated(path):
    with Project.open(path) as project:
        curator.mark_adjudicated(project, "d1", annotator=CURATOR)
        assert project.status("d1", GOLD_LAYER) == "done"
        assert project.stats()["adjudicated"] == 1
        assert verify(project).ok


def test_discontinuous_spans_are_their_own_candidates_and_keep_their_pieces(path):
    with Project.open(path) as project:
        alice = project.spans("d2", annotators=["alice"])[0]
        project.add_fragment(alice.id, *at("12 died"), annotator="alice")
        project.add_span("d2", "claim", *at("Officials said 12 died"), annotator="bob")
        pieces = (at("Officials said"), at("12 died"))
        envelope = at("Officials said 12 died")
        split = (*envelope, "claim", pieces)
        whole = (*envelope, "claim", None)
        assert _states(project, "d2") == {
            split: S.ONE,
            whole: S.ONE,
            key("Officials said", "claim"): S.ONE,
        }
        candidates = {c.key: c for c in document_candidates(project, "d2").candidates}
        curator.accept(project, candidates[split], annotator=CURATOR)
        gold = project.spans("d2", annotators=[GOLD_LAYER])
        assert [(g.start, g.end, g.fragments) for g in gold] == [(*envelope, pieces)]
        states = _states(project, "d2")
        assert states[split] is S.IN_GOLD and states[whole] is S.ONE
        curator.reject(project, candidates[whole], annotator=CURATOR, reason="one claim, not two")
        assert _states(project, "d2")[whole] is S.REJECTED
        assert verify(project).ok, verify(project).problems


def test_attributes_go_into_gold_only_when_every_proposer_gave_the_same(path):
    with Project.open(path) as project:
        casualty = key("12 died", "casualty_report")
        spans = {
            who: next(
                s for s in project.spans("d1", annotators=[who]) if s.label == "casualty_report"
            )
            for who in ("alice", "bob")
        }
        project.set_attributes(spans["alice"].id, {"killed": 12}, annotator="alice")
        project.set_attributes(spans["bob"].id, {"killed": 10}, annotator="bob")
        differing = curator.accept(
            project, _candidate(project, "12 died", "casualty_report"), annotator=CURATOR
        )
        assert [dict(g.attributes) for g in project.spans("d1", annotators=[GOLD_LAYER])] == [{}]
        project.revert(differing)
        project.set_attributes(spans["bob"].id, {"killed": 12}, annotator="bob")
        curator.accept(
            project, _candidate(project, "12 died", "casualty_report"), annotator=CURATOR
        )
        gold = project.spans("d1", annotators=[GOLD_LAYER])
        assert [(g.label, dict(g.attributes)) for g in gold] == [
            ("casualty_report", {"killed": 12})
        ]
        assert _states(project)[casualty] is S.IN_GOLD
        # Relabelled on acceptance, a candidate leaves its label's attributes behind.
        carol = next(s for s in project.spans("d1", annotators=["carol"]) if s.text == "12 died")
        project.update_span(carol.id, annotator="carol", start=at("said 12 died")[0])
        project.relabel_span(carol.id, "casualty_report", annotator="carol")
        project.set_attributes(carol.id, {"killed": 12}, annotator="carol")
        edited = curator.edit_and_accept(
            project,
            _candidate(project, "said 12 died", "casualty_report"),
            annotator=CURATOR,
            label="claim",
        )
        assert _candidate(project, "said 12 died", "casualty_report").attributes == {"killed": 12}
        assert [dict(s.attributes) for s in edited.created] == [{}]
        assert verify(project).ok, verify(project).problems


def test_an_annotator_sees_which_of_their_spans_gold_differs_from(path):
    from claimmark.core.adjudication.corrections import spans_gold_differs_from

    with Project.open(path) as project:
        assert spans_gold_differs_from(project, "d1", "carol") == set()  # no gold yet
        curator.accept_agreed(
            project, document_candidates(project, "d1").candidates, annotator=CURATOR
        )
        differs = spans_gold_differs_from(project, "d1", "carol")
        texts = sorted((s.text, s.label) for s in project.spans("d1") if s.id in differs)
        assert texts == [
            ("12 died", "claim"),
            ("Reuters reported", "attribution"),
            ("The army denied", "denial"),
        ]
        assert spans_gold_differs_from(project, "d2", "alice") == set()
