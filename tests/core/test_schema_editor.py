"""Editing the label schema: each change audited, replayed by verify, and outside personal undo."""

import contextlib
import re
import sqlite3

import pytest

from claimmark.core.audit import verify
from claimmark.core.event_kinds import EventKind
from claimmark.core.history import describe_event
from claimmark.core.model import ClaimmarkError, InvariantError, Label, LabelKey
from claimmark.core.project import NewDocument, Project
from claimmark.core.undo_history import UndoHistory

TEXT = "The ministry said five people died. The army denied it."


@pytest.fixture
def shared(tmp_path):
    """A project file where alice and bob both labelled the same article."""
    project = Project.open(tmp_path / "p.db", created_by="admin")
    doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="admin")
    project.add_span(doc, "claim", 18, 34, annotator="alice")
    project.add_span(doc, "denial", 36, 55, annotator="alice")
    project.add_span(doc, "claim", 36, 55, annotator="bob")
    yield project, doc
    project.close()


def _kinds(project: Project, since: int) -> list[str]:
    return [e.kind for e in project.events_after(since)]


def test_rename_recolour_hotkey_describe_change_only_those_fields(project):
    before = project.label("claim")
    project.schema.change_label("claim", name="Assertion", annotator="ed")
    project.schema.change_label("claim", color="#123456", annotator="ed")
    project.schema.change_label("claim", hotkey="q", annotator="ed")
    project.schema.change_label("claim", description="Something asserted as fact.", annotator="ed")
    after = project.label("claim")
    assert (after.key, after.name, after.color, after.hotkey) == (
        "claim",
        "Assertion",
        "#123456",
        "q",
    )
    assert after.description == "Something asserted as fact."
    assert after.source_name == before.source_name
    events = [e for e in project.events() if e.kind == EventKind.LABEL_CHANGED]
    assert [e.annotator for e in events] == ["ed"] * 4
    assert events[0].before["name"] == "Claim" and events[0].after["name"] == "Assertion"
    assert describe_event(events[0]) == (
        "changed label claim: name 'Claim' -> 'Assertion' (schema change)"
    )
    assert verify(project).ok


def test_clearing_a_hotkey_and_a_change_to_the_same_value(project):
    changes = project.schema.change_label("claim", hotkey=None, annotator="ed")
    assert changes and project.label("claim").hotkey is None
    seq = project.last_event_seq()
    assert not project.schema.change_label("claim", hotkey=None, name="Claim", annotator="ed")
    assert project.last_event_seq() == seq  # nothing written for no change


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hotkey": "2"}, "hotkey '2' is already used by label 'denial' (Denial)"),
        ({"hotkey": "ab"}, "must be a single printable character"),
        ({"color": "red"}, "not a #rrggbb colour"),
        ({"name": "  "}, "needs a display name"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_written(project, fields, message):
    seq = project.last_event_seq()
    with pytest.raises(InvariantError, match=re.escape(message)):
        project.schema.change_label("claim", annotator="ed", **fields)
    assert project.label("claim").hotkey == "1" and project.label("claim").name == "Claim"
    assert project.last_event_seq() == seq


@pytest.mark.parametrize("key", ["r", "E"])
def test_a_hotkey_the_window_uses_is_refused(project, key):
    with pytest.raises(
        InvariantError, match=f"hotkey '{key}' is taken by the window: {key.upper()} "
    ):
        project.schema.change_label("claim", hotkey=key, annotator="ed")
    with pytest.raises(InvariantError, match="taken by the window"):
        project.add_label(Label(LabelKey("threat"), "Threat", "#101010", key), annotator="ed")
    assert project.label("claim").hotkey == "1" and project.label("threat") is None


def test_hotkeys_are_unique_whatever_their_case(project):
    project.schema.change_label("claim", hotkey="a", annotator="ed")
    with pytest.raises(InvariantError, match="'A' is already used by label 'claim'"):
        project.schema.change_label("denial", hotkey="A", annotator="ed")


def test_unknown_label_names_the_labels(project):
    with pytest.raises(InvariantError, match=r"unknown label 'clam' .*claim, denial"):
        project.schema.change_label("clam", name="x", annotator="ed")


def test_reorder_and_move(project):
    project.schema.move_label("attribution", 1, annotator="ed")
    assert [label.key for label in project.labels()] == [
        "attribution",
        "claim",
        "denial",
        "casualty_report",
    ]
    project.schema.reorder_labels(
        ["denial", "claim", "attribution", "casualty_report"], annotator="ed"
    )
    assert [label.key for label in project.labels()][:2] == ["denial", "claim"]
    project.schema.move_label("denial", 99, annotator="ed")
    assert project.labels()[-1].key == "denial"
    with pytest.raises(InvariantError, match="missing: denial"):
        project.schema.reorder_labels(["claim", "attribution", "casualty_report"], annotator="ed")
    with pytest.raises(InvariantError, match="named twice: claim"):
        project.schema.reorder_labels(
            ["claim", "claim", "attribution", "casualty_report", "denial"], annotator="ed"
        )
    reorders = [e for e in project.events() if e.kind == EventKind.LABELS_REORDERED]
    assert len(reorders) == 3
    assert verify(project).ok


def test_remove_unused_label(project):
    threat = Label(LabelKey("threat"), "Threat", "#101010", "t")
    project.add_label(threat, annotator="ed")
    project.add_label(Label(LabelKey("rumour"), "Rumour", "#202020"), annotator="ed")
    changes = project.schema.remove_label("threat", annotator="ed")
    assert changes.labels == (threat,) and not changes.undoable
    assert project.label("threat") is None
    (event,) = [e for e in project.events() if e.kind == EventKind.LABEL_REMOVED]
    assert event.annotator == "ed" and event.before["name"] == "Threat"
    assert "removed label threat 'Threat' (unused)" in describe_event(event)
    assert verify(project).ok
    # the key and the hotkey are free again, and a label added later goes last
    project.add_label(threat, annotator="ed")
    assert project.labels()[-1].key == "threat"
    assert verify(project).ok


def test_an_unused_label_leaves_the_relation_types_that_allow_it(project):
    project.schema.remove_label("claim", move_spans_to="denial", annotator="ed")
    # removing denial would leave 'denies' allowing any source label: refused
    with pytest.raises(InvariantError, match="'denies' allows only label 'denial' at its from"):
        project.schema.remove_label("denial", annotator="ed")
    project.schema.change_relation_type(
        "attributed_to", from_labels=["casualty_report"], annotator="ed"
    )
    assert project.relation_type("attributed_to").from_labels == ("casualty_report",)
    assert verify(project).ok


def test_a_label_with_attributes_is_removed_only_after_them(project):
    with pytest.raises(InvariantError, match=r"'attribution' has attributes \(source_type\)"):
        project.schema.remove_label("attribution", annotator="ed")
    assert project.label("attribution") is not None


def test_a_used_label_is_removed_only_by_moving_its_spans(shared):
    project, _ = shared
    seq = project.last_event_seq()
    with pytest.raises(InvariantError, match="label 'claim' is used by 2 spans"):
        project.schema.remove_label("claim", annotator="ed")
    with pytest.raises(InvariantError, match="unknown label 'nope'"):
        project.schema.remove_label("claim", move_spans_to="nope", annotator="ed")
    with pytest.raises(InvariantError, match="to itself"):
        project.schema.remove_label("claim", move_spans_to="claim", annotator="ed")
    assert project.last_event_seq() == seq and project.schema.label_usage("claim") == 2


def test_moving_spans_touches_every_layer_and_says_it_was_a_schema_change(shared):
    project, doc = shared
    seq = project.last_event_seq()
    changes = project.schema.remove_label("claim", move_spans_to="casualty_report", annotator="ed")
    assert project.label("claim") is None
    # the relation types allow the label the spans moved to where they allowed the removed one
    assert project.relation_type("denies").to_labels == ("casualty_report",)
    assert project.relation_type("attributed_to").from_labels == ("denial", "casualty_report")
    labels = {(s.annotator, s.start): s.label for s in project.spans(doc)}
    assert labels == {
        ("alice", 18): "casualty_report",
        ("alice", 36): "denial",
        ("bob", 36): "casualty_report",
    }
    assert len(changes.spans) == 2 and not changes.undoable
    events = [e for e in project.events_after(seq) if e.kind != "annotator_added"]
    assert [e.kind for e in events] == ["span_moved_to_label"] * 2 + [
        "relation_type_changed",
        "relation_type_changed",
        "label_removed",
    ]
    assert {e.annotator for e in events} == {"ed"}  # the person who changed the schema
    assert {e.before["annotator"] for e in events[:2]} == {"alice", "bob"}  # whose spans
    assert len({e.operation for e in events}) == 1  # one operation
    assert describe_event(events[1]) == (
        f"moved bob's span claim 36-55 'The army denied it.' in {doc}"
        " to label casualty_report (schema change)"
    )
    assert describe_event(events[3]) == (
        "changed relation type denies: to_labels claim -> casualty_report (schema change)"
    )
    assert "its 2 spans moved to casualty_report" in describe_event(events[4])
    assert verify(project).ok


def test_a_span_that_would_duplicate_another_is_merged(shared):
    project, doc = shared
    project.add_span(doc, "denial", 18, 34, annotator="alice")  # alice gave 18-34 both labels
    changes = project.schema.remove_label("claim", move_spans_to="denial", annotator="ed")
    alice = [(s.start, s.end, s.label) for s in project.spans(doc, annotators=["alice"])]
    assert alice == [(18, 34, "denial"), (36, 55, "denial")]
    assert len(changes.deleted) == 1
    merged = [e for e in project.events() if e.kind == EventKind.SPAN_MERGED_BY_SCHEMA]
    assert "merged alice's span claim 18-34" in describe_event(merged[0])
    assert verify(project).ok


def test_schema_changes_are_not_in_anyones_undo(shared):
    project, _ = shared
    project.schema.change_label("denial", name="Refutation", annotator="alice")
    project.schema.remove_label("claim", move_spans_to="casualty_report", annotator="alice")
    for person in ("alice", "bob"):
        history = UndoHistory.rebuild(project, person)
        captions = []
        while history.can_undo:
            captions.append(history.undo_caption)
            # an undo that would bring the removed label back is refused
            with contextlib.suppress(ClaimmarkError):
                history.undo(project)
        assert all("label" not in caption.lower() for caption in captions)
    assert project.label("claim") is None  # no undo brought the label back
    assert project.label("denial").name == "Refutation"
    assert verify(project).ok


def test_an_undo_that_would_bring_back_a_removed_label_is_refused(shared):
    project, doc = shared
    span = project.spans(doc, annotators=["bob"])[0]
    history = UndoHistory.rebuild(project, "bob")
    history.record(project.relabel_span(span.id, "denial", annotator="bob"))
    alice_claim = project.spans(doc, annotators=["alice"])[0]
    project.relabel_span(alice_claim.id, "denial", annotator="alice")
    project.schema.remove_label("claim", move_spans_to="denial", annotator="ed")  # unused now
    with pytest.raises(InvariantError, match="unknown label 'claim'"):
        history.undo(project)
    assert project.span(span.id).label == "denial"
    assert verify(project).ok


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("UPDATE labels SET name = 'Forged' WHERE key = 'claim'", "label claim: differs"),
        ("UPDATE labels SET hotkey = NULL WHERE key = 'denial'", "label denial: differs"),
        ("UPDATE labels SET position = 0 WHERE key = 'threat'", "label order"),
        ("DELETE FROM labels WHERE key = 'threat'", "label threat: in the history"),
    ],
)
def test_a_hand_edit_of_a_label_is_caught_after_schema_changes(shared, statement, found):
    project, _ = shared
    project.add_label(Label(LabelKey("threat"), "Threat", "#101010"), annotator="ed")
    project.schema.change_label("claim", name="Assertion", annotator="ed")
    project.schema.move_label("denial", 1, annotator="ed")
    assert verify(project).ok
    path = project.path
    project.close()
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()
    with Project.open(path) as reopened:
        result = verify(reopened)
    assert not result.ok
    assert found in result.problems[0]


def test_relation_type_changes_are_audited_and_checked_against_stored_links(shared):
    project, doc = shared
    claim, denial = project.spans(doc, annotators=["alice"])
    project.add_relation(denial.id, claim.id, "denies", annotator="alice")
    project.schema.change_relation_type(
        "denies", name="Rejects", color="#aa0000", hotkey="x", annotator="ed"
    )
    denies = project.relation_type("denies")
    assert (denies.name, denies.color, denies.hotkey) == ("Rejects", "#aa0000", "x")
    with pytest.raises(InvariantError, match="1 relation of type denies would break"):
        project.schema.change_relation_type("denies", to_labels=["attribution"], annotator="ed")
    with pytest.raises(InvariantError, match="'x' is already used by relation type 'denies'"):
        project.schema.change_relation_type("attributed_to", hotkey="x", annotator="ed")
    with pytest.raises(InvariantError, match="'denies' is used by 1 relation"):
        project.schema.remove_relation_type("denies", annotator="ed")
    project.schema.remove_relation_type("attributed_to", annotator="ed")
    assert [t.key for t in project.relation_types()] == ["denies"]
    kinds = [e.kind for e in project.events() if "relation_type" in e.kind]
    assert kinds[-2:] == ["relation_type_changed", "relation_type_removed"]
    assert verify(project).ok


def test_moving_linked_spans_keeps_their_links_valid(shared):
    project, doc = shared
    claim, denial = project.spans(doc, annotators=["alice"])
    project.add_relation(denial.id, claim.id, "denies", annotator="alice")
    project.schema.remove_label("claim", move_spans_to="attribution", annotator="ed")
    assert project.span(claim.id).label == "attribution"
    assert project.relation_type("denies").to_labels == ("attribution",)
    assert verify(project).ok


def test_a_hand_edited_relation_type_is_caught_after_a_change(shared):
    project, _ = shared
    project.schema.change_relation_type("denies", name="Rejects", annotator="ed")
    path = project.path
    project.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE relation_types SET from_labels = '[]' WHERE key = 'denies'")
    conn.commit()
    conn.close()
    with Project.open(path) as reopened:
        result = verify(reopened)
    assert "relation type denies: differs" in result.problems[0]


@pytest.fixture
def casualties(shared):
    project, doc = shared
    first = project.add_span(doc, "casualty_report", 18, 34, annotator="alice").created[0]
    second = project.add_span(doc, "casualty_report", 18, 34, annotator="bob").created[0]
    project.set_attributes(first.id, {"killed": 5, "group": "military"}, annotator="alice")
    project.set_attributes(second.id, {"killed": "10-12"}, annotator="bob")
    return project, first, second


def test_attribute_changes_are_checked_against_stored_values(casualties):
    project, _, _ = casualties
    project.schema.change_attribute(
        "casualty_report", "killed", description="People dead.", maximum=100, annotator="ed"
    )
    killed = {d.name: d for d in project.attribute_definitions("casualty_report")}["killed"]
    assert (killed.description, killed.maximum) == ("People dead.", 100)
    with pytest.raises(InvariantError, match=r"1 stored value of casualty_report.killed \(5\)"):
        project.schema.change_attribute("casualty_report", "killed", minimum=6, annotator="ed")
    with pytest.raises(InvariantError, match="would break the new rule"):
        project.schema.change_attribute(
            "casualty_report", "killed", allow_range=False, annotator="ed"
        )
    with pytest.raises(InvariantError, match="has no attribute 'dead'"):
        project.schema.change_attribute("casualty_report", "dead", maximum=3, annotator="ed")
    (event,) = [e for e in project.events() if e.kind == EventKind.ATTRIBUTE_CHANGED]
    assert describe_event(event) == (
        "changed attribute casualty_report.killed: maximum None -> 100; description"
        f" {event.before['description']!r} -> 'People dead.' (schema change)"
    )
    assert verify(project).ok


def test_an_attribute_with_values_is_removed_only_dropping_them(casualties):
    project, first, second = casualties
    with pytest.raises(InvariantError, match=r"2 spans hold a value of casualty_report\.killed"):
        project.schema.remove_attribute("casualty_report", "killed", annotator="ed")
    changes = project.schema.remove_attribute(
        "casualty_report", "killed", drop_values=True, annotator="ed"
    )
    assert not changes.undoable and len(changes.spans) == 2
    assert project.span(first.id).attributes == {"group": "military"}
    assert project.span(second.id).attributes == {}
    assert "killed" not in {d.name for d in project.attribute_definitions("casualty_report")}
    dropped = [e for e in project.events() if e.kind == EventKind.SPAN_ATTRIBUTE_DROPPED]
    assert {e.before["annotator"] for e in dropped} == {"alice", "bob"}
    assert "dropped killed of alice's span casualty_report 18-34" in describe_event(dropped[0])
    for person in ("alice", "bob"):
        assert "Drop" not in str(UndoHistory.rebuild(project, person).undo_caption)
    project.schema.remove_attribute("casualty_report", "injured", annotator="ed")  # unused
    assert verify(project).ok


def test_a_would_be_duplicate_with_relations_is_refused_and_nothing_moves(shared):
    project, doc = shared
    claim, _ = project.spans(doc, annotators=["alice"])
    twin = project.add_span(doc, "attribution", 18, 34, annotator="alice").created[0]
    project.add_relation(claim.id, twin.id, "attributed_to", annotator="alice")
    seq = project.last_event_seq()
    with pytest.raises(InvariantError, match="alice's span 18-34 would become a duplicate"):
        project.schema.remove_label("claim", move_spans_to="attribution", annotator="ed")
    assert project.last_event_seq() == seq
    assert project.span(claim.id).label == "claim" and project.label("claim") is not None
    assert verify(project).ok
