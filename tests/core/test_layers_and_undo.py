"""Layers, change sets and each person's own undo history, without a display.

Every span and status belongs to a named layer; an operation names who performs it and returns
a change set; undo reverts one change set as one step, only ever the performer's own, and the
history is rebuilt from the event log after a restart.
"""

from __future__ import annotations

import pytest

from claimmark.core.audit import verify
from claimmark.core.event_kinds import EventKind
from claimmark.core.history import SENTENCES, describe_event
from claimmark.core.model import GOLD_LAYER, InvariantError
from claimmark.core.project import NewDocument, NewSpan, Project
from claimmark.core.undo_history import UndoHistory

TEXT = "Officials said 12 died. The army denied it. Reuters reported the claim."


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "layers.db"
    with Project.open(path, created_by="root") as project:
        project.import_document(NewDocument(text=TEXT, title="t", id="d"), annotator="root")
    return path


def _at(piece: str) -> tuple[int, int]:
    start = TEXT.index(piece)
    return start, start + len(piece)


def test_first_span_starts_the_document_and_undo_takes_both_back(path):
    with Project.open(path) as project:
        assert project.status("d", "root") is None
        changes = project.add_span("d", "claim", *_at("Officials said"), annotator="root")
        assert [s.text for s in changes.created] == ["Officials said"]
        assert [(s.annotator, s.before, s.after) for s in changes.statuses] == [
            ("root", None, "in_progress")
        ]
        assert project.documents("root")[0].status == "in_progress"
        # A second span changes no status; a done document stays done.
        project.set_status("d", "done", annotator="root")
        second = project.add_span("d", "denial", *_at("The army denied it"), annotator="root")
        assert second.statuses == () and project.status("d", "root") == "done"

        undone = project.revert(changes)
        assert undone.annotator == "root" and undone.deleted == changes.created
        assert project.status("d", "root") is None  # both records, one step
        assert verify(project).ok


def test_every_event_names_its_performer_and_layers_stay_apart(path):
    with Project.open(path) as project:
        root_span = project.add_span("d", "claim", *_at("Officials said"), annotator="root")
        bob_span = project.add_span("d", "claim", *_at("Officials said"), annotator="bob")
        assert root_span.created[0].annotator == "root" and bob_span.created[0].annotator == "bob"
        with pytest.raises(InvariantError, match="root's layer"):
            project.delete_span(root_span.created[0].id, annotator="bob")
        with pytest.raises(InvariantError, match="root's layer"):
            project.revert(
                type(root_span)("bob", root_span.operation, root_span.spans, root_span.statuses)
            )
        events = project.events(document_id="d")
        assert [e.annotator for e in events[-4:]] == ["root", "root", "bob", "bob"]
        assert {(layer.name, layer.kind, layer.span_count) for layer in project.layers()} == {
            ("root", "person", 1),
            ("bob", "person", 1),
        }


def test_gold_is_refused_for_hand_edits_but_adjudication_may_write_it(path):
    with Project.open(path) as project:
        events = project.event_count()
        with pytest.raises(InvariantError, match="only by adjudication"):
            project.add_span("d", "claim", *_at("Officials said"), annotator=GOLD_LAYER)
        with pytest.raises(InvariantError, match="only by adjudication"):
            project.set_status("d", "done", annotator=GOLD_LAYER)
        assert project.event_count() == events
        gold = project.add_span(
            "d", "claim", *_at("Officials said"), annotator=GOLD_LAYER, by="root", adjudication=True
        )
        assert gold.created[0].annotator == GOLD_LAYER and gold.annotator == "root"
        assert project.events()[-1].annotator == "root"  # the curator performed it
        assert ("gold", "gold", 1) in {(x.name, x.kind, x.span_count) for x in project.layers()}
        assert verify(project).ok


def test_copying_spans_is_one_undo_step_recorded_as_the_copier(path):
    with Project.open(path) as project:
        a = project.add_span("d", "claim", *_at("Officials said"), annotator="root").created[0]
        b = project.add_span("d", "denial", *_at("denied"), annotator="root").created[0]
        copied = project.copy_spans([a.id, b.id], annotator="bob")
        assert [(s.label, s.annotator) for s in copied.created] == [
            ("claim", "bob"),
            ("denial", "bob"),
        ]
        assert {s.id for s in copied.created}.isdisjoint({a.id, b.id})
        assert copied.caption == "Copy 2 spans"
        assert project.copy_spans([a.id], annotator="bob").spans == ()  # already there
        kinds = [e.kind for e in project.events(annotator="bob")]
        assert kinds.count(EventKind.SPAN_COPIED) == 2
        history = UndoHistory("bob")
        history.record(copied)
        history.undo(project)  # both copies and bob's status go, root's spans stay
        assert project.spans("d", annotators=["bob"]) == []
        assert project.status("d", "bob") is None
        assert [s.id for s in project.spans("d", annotators=["root"])] == [a.id, b.id]
        history.redo(project)
        assert len(project.spans("d", annotators=["bob"])) == 2
        assert verify(project).ok


def test_undo_history_is_per_person_and_survives_a_restart(path):
    with Project.open(path) as project:
        root, bob = UndoHistory("root"), UndoHistory("bob")
        root.record(project.add_span("d", "claim", *_at("Officials said"), annotator="root"))
        root.record(project.set_status("d", "done", annotator="root"))
        bob.record(project.add_span("d", "denial", *_at("denied"), annotator="bob"))
        bob.record(project.add_span("d", "claim", *_at("Reuters"), annotator="bob"))
        died = project.add_span("d", "claim", *_at("12 died"), annotator="bob")
        with pytest.raises(ValueError):
            root.record(died)  # bob's change has no place in root's history
        bob.record(died)
        bob.undo(project)
        assert (bob.undo_caption, bob.redo_caption) == ("Add span", "Add span")

    with Project.open(path) as project:  # a new session: histories come from the log
        bob = UndoHistory.rebuild(project, "bob")
        root = UndoHistory.rebuild(project, "root")
        assert (len(bob), bob.redo_caption) == (2, "Add span")  # "12 died" can be redone
        assert (len(root), root.undo_caption) == (2, "Change document status")
        bob.undo(project)  # the last change of the previous session: "Reuters"
        assert [s.text for s in project.spans("d", annotators=["bob"])] == ["denied"]
        bob.redo(project)
        bob.redo(project)  # the step undone in the previous session
        assert [s.text for s in project.spans("d", annotators=["bob"])] == [
            "12 died",
            "denied",
            "Reuters",
        ]
        assert project.status("d", "root") == "done"  # nothing of root's moved
        assert len(project.spans("d", annotators=["root"])) == 1

    with Project.open(path) as project:  # and again: the redo above is remembered too
        bob = UndoHistory.rebuild(project, "bob")
        assert (len(bob), bob.can_redo) == (3, False)
        assert verify(project).ok


def test_change_set_names_every_record_of_an_import_free_edit(path):
    with Project.open(path) as project:
        made = project.add_span("d", "claim", *_at("Officials said"), annotator="root")
        span = made.created[0]
        moved = project.resize_span(span.id, *_at("Officials said 12 died"), annotator="root")
        assert moved.updated[0][0].end == span.end and moved.caption == "Resize span"
        assert project.update_span(span.id, annotator="root", label="claim").spans == ()
        gone = project.delete_span(span.id, annotator="root")
        assert gone.deleted[0].id == span.id and gone.document_ids == ["d"]


def test_every_event_kind_has_a_sentence_and_a_caption(path):
    assert set(SENTENCES) == set(EventKind)
    assert all(kind.caption for kind in EventKind)
    with Project.open(path) as project:
        project.import_document(
            NewDocument(text="Other text.", title="o", spans=[NewSpan(0, 5, "claim")]),
            annotator="root",
        )
        for event in project.events():
            assert describe_event(event) != event.kind
