"""Attributes: the default schema's figures, the rules a value must keep (and the words a refusal
uses), setting them on spans, relabelling, and undo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from claimmark.core.attributes import AttributeDefinition, normalised_value
from claimmark.core.model import InvariantError
from claimmark.core.project import NewDocument, Project
from claimmark.core.undo_history import UndoHistory

TEXT = "Officials said five people were killed and 10 to 12 injured, the army said."
FIXTURES = Path(__file__).parent / "fixtures"

KILLED = AttributeDefinition(
    "casualty_report", "killed", "integer", minimum=0, allow_range=True, allow_unknown=True
)


@pytest.fixture
def span(project):
    doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="ann")
    return project.add_span(doc, "casualty_report", 15, 38, annotator="ann").created[0]


def test_new_projects_get_the_default_attributes(project):
    defined = {(d.label, d.name): d for d in project.attribute_definitions()}
    assert list(defined) == [
        ("casualty_report", "killed"),
        ("casualty_report", "injured"),
        ("casualty_report", "group"),
        ("attribution", "source_type"),
    ]
    assert defined["casualty_report", "group"].choices == (
        "civilians",
        "military",
        "militants",
        "mixed",
        "unknown",
    )
    assert "official" in defined["attribution", "source_type"].choices
    assert all(d.description for d in defined.values())
    kinds = [e.kind for e in project.events()]
    assert kinds.count("attribute_added") == 4


def test_an_upgraded_older_file_gets_no_attribute_definitions(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v1" / "rich.db", path)
    with Project.open(path) as project:
        assert project.attribute_definitions() == []
        assert all(not s.attributes and s.fragments is None for s in project.spans())


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (5, 5),
        ("5", 5),
        (" 0 ", 0),
        ("10-12", (10, 12)),
        ("10–12", (10, 12)),
        ([10, 12], (10, 12)),
        ("7-7", 7),
        ("Unknown", "unknown"),
    ],
)
def test_integer_values_in_their_stored_form(given, stored):
    assert normalised_value(KILLED, given) == stored


@pytest.mark.parametrize("given", ["five", -1, "12-10", 2.5, True, [1, 2, 3], "-3"])
def test_an_invalid_figure_is_refused_with_the_rule(given):
    with pytest.raises(InvariantError) as caught:
        normalised_value(KILLED, given)
    assert str(caught.value).startswith(
        "killed must be a whole number ≥ 0, a range such as 10–12, or unknown; got "
    )


def test_refusal_names_the_value_as_typed():
    with pytest.raises(InvariantError, match=r"got 'five'$"):
        normalised_value(KILLED, "five")


def test_rules_of_each_kind():
    group = AttributeDefinition("l", "group", "choice", choices=("a", "b"))
    flag = AttributeDefinition("l", "confirmed", "boolean")
    words = AttributeDefinition("l", "weapon", "text")
    bounded = AttributeDefinition("l", "n", "integer", minimum=1, maximum=3)
    assert normalised_value(group, "b") == "b"
    assert normalised_value(flag, "yes") is True and normalised_value(flag, False) is False
    assert normalised_value(words, "  drone ") == "drone"
    for definition, bad, rule in (
        (group, "c", "group must be one of a, b; got 'c'"),
        (flag, "maybe", "confirmed must be yes or no; got 'maybe'"),
        (words, "x" * 201, "weapon must be a text of at most 200 characters on one line"),
        (words, "two\nlines", "weapon must be a text of at most 200"),
        (bounded, 4, "n must be a whole number from 1 to 3; got 4"),
        (bounded, "unknown", "n must be a whole number from 1 to 3; got 'unknown'"),
    ):
        with pytest.raises(InvariantError) as caught:
            normalised_value(definition, bad)
        assert str(caught.value).startswith(rule)


def test_set_attributes_stores_checked_values_and_is_one_undo_step(project, span):
    history = UndoHistory("ann")
    changes = project.set_attributes(
        span.id, {"killed": "5", "injured": "10–12", "group": "civilians"}, annotator="ann"
    )
    history.record(changes)
    stored = project.span(span.id).attributes
    assert dict(stored) == {"killed": 5, "injured": (10, 12), "group": "civilians"}
    event = project.events()[-1]
    assert event.kind == "span_attributes_set" and changes.caption == "Set attributes"
    assert event.after["attributes"] == {"killed": 5, "injured": [10, 12], "group": "civilians"}
    history.record(project.set_attributes(span.id, {"killed": None}, annotator="ann"))
    assert dict(project.span(span.id).attributes) == {"injured": (10, 12), "group": "civilians"}
    history.undo(project)
    assert project.span(span.id).attributes["killed"] == 5
    history.undo(project)
    assert not project.span(span.id).attributes
    history.redo(project)
    assert dict(project.span(span.id).attributes) == {
        "killed": 5,
        "injured": (10, 12),
        "group": "civilians",
    }


def test_a_refused_value_writes_nothing(project, span):
    events = project.event_count()
    with pytest.raises(InvariantError, match="killed must be a whole number"):
        project.set_attributes(span.id, {"group": "military", "killed": "five"}, annotator="ann")
    with pytest.raises(InvariantError, match="label casualty_report has no attribute 'speaker'"):
        project.set_attributes(span.id, {"speaker": "x"}, annotator="ann")
    with pytest.raises(InvariantError, match=r"layer"):
        project.set_attributes(span.id, {"killed": 1}, annotator="bob")
    assert project.event_count() == events and not project.span(span.id).attributes


def test_relabelling_drops_the_attributes_the_new_label_lacks_and_undo_restores(project, span):
    project.set_attributes(span.id, {"killed": 5, "group": "military"}, annotator="ann")
    project.add_attribute_definition(
        AttributeDefinition("claim", "killed", "integer", minimum=0), annotator="ann"
    )
    relabel = project.relabel_span(span.id, "claim", annotator="ann")
    assert dict(project.span(span.id).attributes) == {"killed": 5}
    from claimmark.core.history import describe_event

    assert "(dropped attributes group)" in describe_event(project.events()[-1])
    project.revert(relabel)
    after = project.span(span.id)
    assert after.label == "casualty_report"
    assert dict(after.attributes) == {"killed": 5, "group": "military"}


def test_copying_a_span_keeps_its_attributes(project, span):
    project.set_attributes(span.id, {"killed": 5}, annotator="ann")
    copy = project.copy_span(span.id, annotator="bob").created[0]
    assert dict(copy.attributes) == {"killed": 5}


def test_deleting_and_restoring_keeps_attributes(project, span):
    project.set_attributes(span.id, {"killed": "unknown"}, annotator="ann")
    project.revert(project.delete_span(span.id, annotator="ann"))
    assert project.span(span.id).attributes["killed"] == "unknown"


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (AttributeDefinition("claim", "Bad Name", "text"), "attribute name 'Bad Name'"),
        (AttributeDefinition("claim", "n", "float"), "kind must be one of"),
        (AttributeDefinition("claim", "c", "choice"), "needs a list of non-empty choices"),
        (AttributeDefinition("claim", "c", "text", allow_range=True), "only an integer"),
        (AttributeDefinition("claim", "n", "integer", minimum=3, maximum=1), "above maximum"),
        (AttributeDefinition("nolabel", "n", "integer"), "unknown label 'nolabel'"),
        (AttributeDefinition("casualty_report", "killed", "integer"), "already has"),
    ],
)
def test_bad_definitions_are_refused(project, definition, message):
    with pytest.raises(InvariantError, match=message):
        project.add_attribute_definition(definition, annotator="ann")


def test_added_definition_is_audited_not_undoable(project):
    changes = project.add_attribute_definition(
        AttributeDefinition("claim", "confirmed", "boolean", description="Confirmed later?"),
        annotator="ann",
    )
    assert changes and not changes.undoable
    assert project.attribute_definitions("claim")[0].name == "confirmed"
    assert project.events()[-1].kind == "attribute_added"
