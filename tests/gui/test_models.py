"""Every Qt model passes pytest-qt's model tester, with data and with changes applied."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from claimmark.core.model import DocumentSummary, Label, Span, shown_span
from claimmark.gui.document_list_model import DocumentFilterProxy, DocumentListModel
from claimmark.gui.span_table_model import SpanTableModel

LABELS = [Label("claim", "Claim", "#0072B2", "1"), Label("denial", "Denial", "#D55E00", "2")]


def summaries(n):
    statuses = [None, "in_progress", "done"]
    return [
        DocumentSummary(f"d{i}", f"<b>Doc</b> {i}", 100 + i, i % 4, statuses[i % 3])
        for i in range(n)
    ]


def span(i, label="claim", note=None):
    return Span(f"s{i}", "d0", label, 10 * i, 10 * i + 4 + len(str(i)), f"t{i}\r\nx", "ann", note)


#: the spans' texts, each at 10 * i, as a document holds them
TEXT = "".join(f"t{i}\r\nx".ljust(10) for i in range(21))


def test_document_model_fetches_lazily(qtmodeltester):
    model = DocumentListModel()
    model.set_documents(summaries(600))
    assert model.rowCount() == DocumentListModel.CHUNK
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * DocumentListModel.CHUNK
    assert model.row_of("d599") == 599
    assert model.rowCount() == 600
    assert not model.canFetchMore()
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "<b>Doc</b> 0"
    model.update_document("d2", status=None, span_count=9)
    assert model.index(2, 1).data() == ""
    assert model.index(2, 2).data() == 9


def test_document_filter_proxy(qtmodeltester):
    model = DocumentListModel()
    model.set_documents(summaries(9))
    proxy = DocumentFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_status_filter(4)  # Done
    assert proxy.rowCount() == 3
    qtmodeltester.check(proxy)
    model.update_document("d0", status="done")
    assert proxy.rowCount() == 4
    proxy.set_status_filter(1)  # Not done
    assert proxy.rowCount() == 5


def test_span_model_sorts_itself(qtmodeltester):
    model = SpanTableModel()
    model.set_labels(LABELS)
    model.set_spans(
        [
            shown_span(span(0, "denial")),
            shown_span(span(5, note="why")),
            shown_span(span(9, "unknown")),
        ],
        TEXT,
        "ann",
    )
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "t0⏎x"
    assert model.index(1, 3).data() == "why"
    assert model.index(2, 0).data() == "unknown"  # a label missing from the schema still shows
    assert model.index(0, 2).data() == "ann"
    model.upsert(shown_span(replace(span(5), label="denial")))
    assert model.index(1, 0).data() == "Denial"
    model.upsert(shown_span(span(20)))
    model.remove("s0")
    assert [model.index(r, 1).data()[:3] for r in range(model.rowCount())] == ["t5⏎", "t9⏎", "t20"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert [model.index(r, 1).data()[:3] for r in range(model.rowCount())] == ["t9⏎", "t5⏎", "t20"]
    model.upsert(shown_span(span(7)))  # a new span lands in its sorted place
    assert [model.index(r, 1).data()[:3] for r in range(model.rowCount())] == [
        "t9⏎",
        "t7⏎",
        "t5⏎",
        "t20",
    ]
    assert model.row_of("s20") == 3
    model.sort(-1)  # back to text order
    assert [model.index(r, 1).data()[:3] for r in range(model.rowCount())] == [
        "t5⏎",
        "t7⏎",
        "t9⏎",
        "t20",
    ]
    model.upsert(shown_span(replace(span(9), start=1, end=5)))  # moved before the others
    assert [model.row_of(f"s{i}") for i in (9, 5, 7, 20)] == [0, 1, 2, 3]


def test_span_model_with_another_layer(qtmodeltester):
    """Another layer's rows name their annotator, are greyed, and sort beside identical own ones."""
    model = SpanTableModel()
    model.set_labels(LABELS)
    own = shown_span(span(1))
    theirs = (*shown_span(replace(span(1), id="b1")), "bob")  # same place, another layer
    model.set_spans(sorted([own, theirs]), TEXT, "ann")
    qtmodeltester.check(model)
    assert sorted(model.index(r, 2).data() for r in range(2)) == ["ann", "bob"]
    row = model.row_of("b1")
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1 - row, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    model.upsert(shown_span(replace(span(2), id="b2")), "bob")
    assert model.index(model.row_of("b2"), 2).data() == "bob"
    model.remove("b1")
    assert model.rowCount() == 2 and model.owner("b2") == "bob" and model.owner("s1") == "ann"
    qtmodeltester.check(model)


def test_layers_model(qtmodeltester):
    from claimmark.core.open_document import OpenDocument
    from claimmark.core.project import NewDocument, Project
    from claimmark.gui.layers_panel import LayersModel

    project = Project.open(None, created_by="ann")
    document_id, _ = project.import_document(
        NewDocument(text="one two three", title="t"), annotator="ann"
    )
    project.add_span(document_id, "claim", 0, 3, annotator="ann")
    project.add_span(document_id, "claim", 4, 7, annotator="bob")
    project.add_span(document_id, "denial", 8, 13, annotator="bob")
    document = OpenDocument(project, "ann")
    model = LayersModel(document)
    document.open(document_id)
    qtmodeltester.check(model)
    assert [model.index(r).data() for r in range(2)] == ["ann (you) — 1", "bob — 2"]
    assert model.index(0).flags() & Qt.ItemFlag.ItemIsUserCheckable == Qt.ItemFlag.NoItemFlags
    shown = []
    model.sig_shown_layers_changed.connect(shown.append)
    assert model.set_shown("bob", True)
    assert shown == [frozenset({"bob"})]
    assert model.index(1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not model.setData(
        model.index(0), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
    )
    qtmodeltester.check(model)
    project.close()


def test_history_model_appends_and_keeps_the_newest(qtmodeltester):
    from claimmark.core.model import Event
    from claimmark.gui.history_panel import HistoryModel

    def event(seq):
        after = {"name": f"a{seq}"}
        return Event(
            seq,
            "2024-01-01T00:00:00+00:00",
            "ann",
            "annotator_added",
            None,
            None,
            f"a{seq}",
            None,
            after,
            "1",
            "",
            "",
        )

    model = HistoryModel()
    model.set_events([event(1), event(2)])
    qtmodeltester.check(model)
    model.append_events([event(3), event(4), event(5)], keep=4)
    assert model.rowCount() == 4
    assert [row[2] for row in model.rows()] == [f"annotator a{i} joined" for i in (2, 3, 4, 5)]
    qtmodeltester.check(model)
