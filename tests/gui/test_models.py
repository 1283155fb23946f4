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
