"""The open document's model follows the event log: own edits, other layers, other writers."""

from __future__ import annotations

from claimmark.core.event_feed import EventFeed
from claimmark.core.history import describe_event
from claimmark.core.open_document import OpenDocument, initials
from claimmark.core.project import NewDocument, Project

TEXT = "The ministry denied the report of a helicopter shot down."


def setup(project: Project):
    document_id, _ = project.import_document(NewDocument(text=TEXT, title="t"), annotator="tester")
    feed = EventFeed(project)
    model = OpenDocument(project, "tester")
    model.open(document_id)
    return document_id, feed, model


def extent(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def test_events_keep_the_model_equal_to_a_fresh_read(project: Project):
    document_id, feed, model = setup(project)
    changes = []
    model.sig_spans_changed.connect(lambda removed, added, a, b: changes.append((removed, added)))
    first = project.add_span(
        document_id, "claim", *extent("ministry denied"), annotator="tester"
    ).created[0]
    project.relabel_span(first.id, "denial", annotator="tester")
    project.add_span(document_id, "claim", *extent("helicopter"), annotator="bob")
    second = project.add_span(document_id, "claim", *extent("report"), annotator="tester").created[
        0
    ]
    project.delete_span(second.id, annotator="tester")
    batch = feed.take()
    model.apply_events(batch.events)
    assert len(changes) == 1  # one batch, one notification
    fresh = OpenDocument(project, "tester")
    fresh.open(document_id)
    assert model.own_rows() == fresh.own_rows()
    assert model.layer_counts == fresh.layer_counts == {"tester": 1, "bob": 1}
    assert model.other_rows() == []  # bob's layer is not shown
    model.apply_events(batch.events[-1:])  # an event seen twice changes nothing
    assert model.own_rows() == fresh.own_rows()


def test_shown_layers_and_hit_testing(project: Project):
    document_id, feed, model = setup(project)
    theirs = project.add_span(
        document_id, "claim", *extent("helicopter"), annotator="bob_lee"
    ).created[0]
    model.apply_events(feed.take().events)
    model.show_layers(["bob_lee", "tester"])  # your own layer is never an "other" one
    assert model.shown_layers == {"bob_lee"}
    assert model.other_rows() == [("bob_lee", (theirs.start, theirs.end, "claim", theirs.id, None))]
    assert model.span_at(theirs.start + 2) == theirs.id
    mine = project.add_span(
        document_id, "denial", *extent("helicopter"), annotator="tester"
    ).created[0]
    model.apply_events(feed.take().events)
    assert model.span_at(theirs.start + 2) == mine.id  # own layer first
    assert model.is_own(mine.id) and not model.is_own(theirs.id)
    assert initials("bob_lee") == "BL" and initials("ana") == "AN"
    model.show_layers([])
    assert model.other_rows() == [] and len(model.others) == 0


def test_copy_into_own_layer_names_the_source(project: Project):
    document_id, _, _ = setup(project)
    theirs = project.add_span(
        document_id, "claim", *extent("report"), note="check", annotator="alice"
    ).created[0]
    copy = project.copy_span(theirs.id, annotator="tester").created[0]
    assert (copy.annotator, copy.label, copy.start, copy.end, copy.note) == (
        "tester",
        "claim",
        theirs.start,
        theirs.end,
        "check",
    )
    event = project.events(subject=copy.id)[-1]
    assert event.annotator == "tester"
    assert event.after["copied_from"] == {"annotator": "alice", "span": theirs.id}
    assert "copied from alice's layer" in describe_event(event)
    assert project.span(theirs.id) == theirs  # theirs is untouched


def test_deleting_the_current_span_elsewhere_clears_it(project: Project):
    document_id, feed, model = setup(project)
    span = project.add_span(document_id, "claim", *extent("report"), annotator="tester").created[0]
    model.apply_events(feed.take().events)
    model.set_current(span.id)
    cleared = []
    model.sig_current_changed.connect(cleared.append)
    project.delete_span(span.id, annotator="tester")
    model.apply_events(feed.take().events)
    assert model.current_id is None and cleared == [None]


def test_feed_notices_other_connections_and_overflows(tmp_path):
    path = tmp_path / "p.db"
    with Project.open(path, created_by="tester") as project:
        document_id, feed, model = setup(project)
        assert not feed.written_elsewhere()
        with Project.open(path) as other:
            for word in ("ministry", "report", "helicopter"):
                other.add_span(document_id, "claim", *extent(word), annotator="zed")
        assert feed.written_elsewhere()
        assert not feed.written_elsewhere()  # once per write
        batch = feed.take(limit=2)
        assert batch.overflow and batch.events == []
        assert feed.take().events == []  # skipped past: views re-read instead
        model.open(document_id)
        assert model.layer_counts == {"zed": 3}


LONG = "".join(f"Paragraph {n}: the ministry denied the report.\n" for n in range(300))


def long_with_bob(project: Project):
    """A long document with one span of bob's per paragraph (on "ministry")."""
    document_id, _ = project.import_document(
        NewDocument(text=LONG, title="long"), annotator="tester"
    )
    starts = [i for i in range(len(LONG)) if LONG.startswith("ministry", i)]
    for start in starts:
        project.add_span(document_id, "claim", start, start + len("ministry"), annotator="bob")
    project.add_span(
        document_id, "denial", *(LONG.index("denied"), LONG.index("denied") + 6), annotator="tester"
    )
    return document_id, starts


def test_deferred_layers_read_in_parts_end_as_a_full_read(project: Project):
    document_id, starts = long_with_bob(project)
    full = OpenDocument(project, "tester")
    full.open(document_id, shown_layers=["bob"])
    model = OpenDocument(project, "tester")
    model.open(document_id, shown_layers=["bob"], defer_others=True)
    assert not model.others_complete and len(model.others) == 0
    assert model.layer_counts == {"tester": 1}  # others are counted once read

    assert model.load_others(starts[10]) is False
    assert sorted(r[0] for r in model.others.overlapping(0, len(LONG))) == starts[:10]
    # Asking about a place further on reads up to it first: never answered from a partial read.
    far = starts[200]
    assert model.find(model.span_at(far + 2))[0] == "bob"
    assert model.others_loaded_to >= far + 3
    loaded = []
    model.sig_others_loaded.connect(lambda: loaded.append(True))
    while not model.load_others(model.others_loaded_to + 500):
        pass
    assert loaded == [True]
    assert model.other_rows() == full.other_rows()
    assert model.layer_counts == full.layer_counts == {"tester": 1, "bob": 300}


def test_events_during_a_deferred_read_never_hold_a_span_twice(project: Project):
    document_id, starts = long_with_bob(project)
    feed = EventFeed(project)
    model = OpenDocument(project, "tester")
    model.open(document_id, shown_layers=["bob"], defer_others=True)
    model.load_others(starts[5])
    late = project.add_span(
        document_id, "denial", starts[250], starts[250] + 3, annotator="bob"
    ).created[0]
    model.apply_events(feed.take().events)
    assert model.others_complete
    ids = [row[1][3] for row in model.other_rows()]
    assert len(ids) == len(set(ids)) == 301 and late.id in ids
    fresh = OpenDocument(project, "tester")
    fresh.open(document_id, shown_layers=["bob"])
    assert model.other_rows() == fresh.other_rows()


def test_find_reads_the_rest_for_an_unread_span(project: Project):
    document_id, _ = long_with_bob(project)
    last = project.spans(document_id, annotators=["bob"])[-1]
    model = OpenDocument(project, "tester")
    model.open(document_id, shown_layers=["bob"], defer_others=True)
    assert model.find(last.id) == ("bob", (last.start, last.end, "claim", last.id, None))
    assert model.others_complete
