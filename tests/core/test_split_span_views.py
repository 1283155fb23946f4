"""What views see of split spans and attributes: pieces instead of the outer extent, and the
values kept up to date from the event feed (no display needed)."""

from __future__ import annotations

from claimmark.core.highlight_segments import SpanIntervals
from claimmark.core.open_document import OpenDocument
from claimmark.core.project import NewDocument

TEXT = "The strike, the ministry said, killed nobody at all."


def test_a_split_span_is_answered_piece_by_piece():
    intervals = SpanIntervals([(0, 37, "claim", "s1", None), (12, 24, "attribution", "s2", None)])
    intervals.pieces["s1"] = ((0, 10), (31, 37))
    assert sorted(intervals.overlapping(0, 52)) == [
        (0, 10, "claim", "s1", None),
        (12, 24, "attribution", "s2", None),
        (31, 37, "claim", "s1", None),
    ]
    assert intervals.labels_at(11) == ()  # the gap is nobody's
    assert intervals.labels_at(14) == ("attribution",)
    assert [s[:3] for s in intervals.segments(0, 52)] == [
        (0, 10, ("claim",)),
        (12, 24, ("attribution",)),
        (31, 37, ("claim",)),
    ]


def test_the_open_document_follows_fragments_and_attributes_through_events(project):
    doc, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="ann")
    span = project.add_span(doc, "casualty_report", 0, 10, annotator="ann").created[0]
    model = OpenDocument(project, "ann")
    model.open(doc)
    seen = project.last_event_seq()
    project.add_fragment(span.id, 31, 37, annotator="ann")
    project.set_attributes(span.id, {"killed": 0}, annotator="ann")
    model.apply_events(project.events_after(seen))
    assert model.fragments_of(span.id) == ((0, 10), (31, 37))
    assert dict(model.attributes_of(span.id)) == {"killed": 0}
    assert model.span_at(11) is None and model.span_at(33) == span.id
    reopened = OpenDocument(project, "ann")
    reopened.open(doc)
    assert reopened.fragments_of(span.id) == ((0, 10), (31, 37))
    assert dict(reopened.attributes_of(span.id)) == {"killed": 0}
    seen = project.last_event_seq()
    project.delete_span(span.id, annotator="ann")
    model.apply_events(project.events_after(seen))
    assert model.fragments_of(span.id) is None and not model.attributes_of(span.id)
