"""Discontinuous spans: extending a span with another stretch of text, taking one away,
resizing, undo, and the rules the pieces keep."""

from __future__ import annotations

import pytest

from claimmark.core.fragments import fragments_problem, resized
from claimmark.core.model import InvariantError
from claimmark.core.project import NewDocument
from claimmark.core.undo_history import UndoHistory

TEXT = "The strike, the ministry said, killed 👨🏻‍🚒 nobody.\r\nEnd."
CLAIM = (0, 10)  # "The strike"
REST = (31, 37)  # "killed"


@pytest.fixture
def span(project):
    doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="ann")
    return project.add_span(doc, "claim", *CLAIM, annotator="ann").created[0]


def test_extending_makes_one_span_of_two_pieces_and_undo_takes_it_back(project, span):
    history = UndoHistory("ann")
    history.record(project.add_fragment(span.id, *REST, annotator="ann"))
    extended = project.span(span.id)
    assert (extended.start, extended.end) == (0, 37)
    assert extended.fragments == ((0, 10), (31, 37))
    assert extended.text == TEXT[0:37]
    assert extended.piece_texts == ["The strike", "killed"]
    event = project.events()[-1]
    assert event.kind == "span_extended"
    assert event.after["fragments"] == [[0, 10], [31, 37]]
    assert history.undo_caption == "Extend span"
    history.undo(project)
    back = project.span(span.id)
    assert (back.start, back.end, back.fragments) == (0, 10, None)
    history.redo(project)
    assert project.span(span.id).fragments == ((0, 10), (31, 37))


def test_a_piece_that_overlaps_or_touches_is_merged(project, span):
    project.add_fragment(span.id, *REST, annotator="ann")
    project.add_fragment(span.id, 35, 45, annotator="ann")  # overlaps "killed"
    assert project.span(span.id).fragments == ((0, 10), (31, 45))
    project.add_fragment(span.id, 10, 31, annotator="ann")  # fills the gap exactly
    merged = project.span(span.id)
    assert (merged.start, merged.end, merged.fragments) == (0, 45, None)


def test_a_piece_inside_the_span_changes_nothing(project, span):
    assert not project.add_fragment(span.id, 2, 5, annotator="ann")


def test_whitespace_only_and_outside_pieces_are_refused(project, span):
    with pytest.raises(InvariantError, match="only whitespace"):
        project.add_fragment(span.id, 50, 52, annotator="ann")  # the CRLF
    with pytest.raises(InvariantError, match="outside the document"):
        project.add_fragment(span.id, 40, 400, annotator="ann")


def test_removing_a_piece(project, span):
    project.add_fragment(span.id, *REST, annotator="ann")
    project.add_fragment(span.id, 52, 56, annotator="ann")  # "End." after the CRLF
    changes = project.remove_fragment(span.id, 0, annotator="ann")
    shrunk = project.span(span.id)
    assert (shrunk.start, shrunk.end, shrunk.fragments) == (31, 56, ((31, 37), (52, 56)))
    assert shrunk.piece_texts == ["killed", "End."]
    assert changes.caption == "Remove fragment"
    project.remove_fragment(span.id, 1, annotator="ann")
    single = project.span(span.id)
    assert (single.start, single.end, single.fragments, single.text) == (31, 37, None, "killed")
    with pytest.raises(InvariantError, match="only one fragment"):
        project.remove_fragment(span.id, 0, annotator="ann")
    project.revert(changes)
    assert project.span(span.id).fragments == ((0, 10), (31, 37), (52, 56))


def test_resizing_a_discontinuous_span_moves_its_outer_pieces(project, span):
    project.add_fragment(span.id, *REST, annotator="ann")
    changes = project.resize_span(span.id, 4, 40, annotator="ann")
    assert project.span(span.id).fragments == ((4, 10), (31, 40))
    assert project.events()[-1].kind == "span_resized"
    project.resize_span(span.id, 31, 37, annotator="ann")  # only the second piece is left
    assert project.span(span.id).fragments is None
    project.revert(changes)
    assert project.span(span.id).fragments == ((0, 10), (31, 37))


def test_another_persons_span_cannot_be_extended(project, span):
    with pytest.raises(InvariantError):
        project.add_fragment(span.id, *REST, annotator="bob")
    assert project.span(span.id).fragments is None


@pytest.mark.parametrize(
    ("fragments", "problem"),
    [
        ([[0, 10]], "at least two"),
        ([[0, 10], [5, 37]], "overlaps"),
        ([[0, 10], [10, 37]], "touches"),
        ([[31, 37], [0, 10]], "comes before"),
        ([[0, 10], [31, "37"]], "pair of integers"),
        ([[0, 10], [31, 36]], "must run from the span's start 0 to its end 37"),
        ([[0, 10], [20, 20], [31, 37]], "start must be before end"),
        ("0-10", "list of at least two"),
    ],
)
def test_fragment_rules(fragments, problem):
    assert problem in fragments_problem(fragments, 0, 37)


def test_fragment_rules_accept_a_good_list():
    assert fragments_problem([[0, 10], [31, 37]], 0, 37) is None


def test_resized_pieces():
    pieces = ((0, 10), (20, 30), (40, 50))
    assert resized(pieces, 5, 45) == ((5, 10), (20, 30), (40, 45))
    assert resized(pieces, 22, 60) == ((22, 30), (40, 60))
    assert resized(pieces, 11, 19) is None
