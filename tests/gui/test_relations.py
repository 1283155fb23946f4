"""Linking spans in the window: R, the target (a click, or keys and Enter), the type's key;
the links drawn beside the article, listed for the current span, deleted and undone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from claimmark.gui.relation_linking import RelationTypePicker
from tests.gui.conftest import reopen
from tests.gui.helpers import article, point_of, put_cursor, settle

CTRL = Qt.KeyboardModifier.ControlModifier
CONFIRM = "claimmark.gui.annotation_desk.confirm_linked_delete"


def _spans(project, window):
    """The tester's claim, two attributions and a denial in the sample article, made through
    the window's session as the keys would."""
    doc = window.ids["sample"]
    text = project.document(doc).text
    made = {}
    for name, label, needle in (
        ("claim", "claim", "they shot down a Russian helicopter"),
        ("amaq", "attribution", "Amaq news Agency"),
        ("denial", "denial", "refutes information about the death of Russian military"),
        ("tass", "attribution", "TASS"),
    ):
        start = text.index(needle)
        change = window.session.perform(
            lambda label=label, start=start, needle=needle: project.add_span(
                doc, label, start, start + len(needle), annotator="tester"
            )
        )
        made[name] = change.created[0]
    return doc, made


def _links(path, doc):
    with reopen(path) as other:
        return sorted(
            (r.type, other.span(r.from_span).text, other.span(r.to_span).text)
            for r in other.relations(doc, "tester")
        )


def _picker(qtbot) -> RelationTypePicker:
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), RelationTypePicker))
    return QApplication.activePopupWidget()


def test_r_then_keys_then_enter_then_the_types_key_links_two_spans(
    qtbot, window, project, project_path
):
    doc, spans = _spans(project, window)
    view = article(window)
    window.desk.select_span(spans["claim"].id)
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Linking from claim “they shot down a Russian helicopter”")
    )
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # the next span in text order: Amaq news Agency
    assert window.desk.current_span.id == spans["amaq"].id
    qtbot.keyClick(view, Qt.Key.Key_Return)
    picker = _picker(qtbot)
    assert [a.data() for a in picker.actions()] == ["attributed_to"]  # only what labels allow
    qtbot.keyClick(picker, "a")
    assert _links(project_path, doc) == [
        ("attributed_to", "they shot down a Russian helicopter", "Amaq news Agency")
    ]
    assert window.statusBar().currentMessage() == "Saved"


def test_a_click_on_the_target_completes_the_link(qtbot, window, project, project_path):
    doc, spans = _spans(project, window)
    view = article(window)
    window.desk.select_span(spans["denial"].id)
    qtbot.keyClick(view, Qt.Key.Key_R)
    target = spans["claim"]
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, target.start + 3)
    )
    picker = _picker(qtbot)
    assert sorted(a.data() for a in picker.actions()) == ["denies"]
    qtbot.keyClick(picker, "d")
    assert _links(project_path, doc) == [
        (
            "denies",
            "refutes information about the death of Russian military",
            "they shot down a Russian helicopter",
        )
    ]


def test_escape_cancels_and_a_later_click_links_nothing(qtbot, window, project, project_path):
    doc, spans = _spans(project, window)
    view = article(window)
    window.desk.select_span(spans["claim"].id)
    qtbot.keyClick(view, Qt.Key.Key_R)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert window.statusBar().currentMessage() == "Link cancelled"
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, spans["amaq"].start + 1)
    )
    qtbot.wait(50)
    assert QApplication.activePopupWidget() is None
    assert _links(project_path, doc) == []


def test_a_target_no_type_allows_is_refused_with_the_rules(qtbot, window, project, project_path):
    doc, spans = _spans(project, window)
    view = article(window)
    window.desk.select_span(spans["claim"].id)
    qtbot.keyClick(view, Qt.Key.Key_R)
    window.desk.select_span(spans["denial"].id)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    message = window.statusBar().currentMessage()
    assert message == (
        "No relation type goes from claim to denial (attributed_to goes from claim, denial or"
        " casualty_report to attribution; denies goes from denial to claim)"
    )
    assert QApplication.activePopupWidget() is None
    assert window.desk.linker.active  # another target can still be chosen
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert _links(project_path, doc) == []


def test_a_span_no_type_starts_from_does_not_start_a_link(qtbot, window, project):
    _doc, spans = _spans(project, window)
    window.desk.select_span(spans["amaq"].id)
    qtbot.keyClick(article(window), Qt.Key.Key_R)
    assert not window.desk.linker.active
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("No relation type goes from attribution (attributed_to goes from claim")
    )


def test_the_current_spans_relations_are_listed_deleted_and_undone(
    qtbot, window, project, project_path
):
    doc, spans = _spans(project, window)
    desk = window.desk
    window.session.perform(
        lambda: project.add_relation(
            spans["claim"].id, spans["amaq"].id, "attributed_to", annotator="tester"
        )
    )
    window.session.perform(
        lambda: project.add_relation(
            spans["denial"].id, spans["claim"].id, "denies", annotator="tester"
        )
    )
    desk.select_span(spans["claim"].id)
    settle(qtbot)
    table = desk.relation_panel.table
    model = table.model()
    shown = [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]
    assert shown == [
        ("Attributed to", "→ to", "Attribution: Amaq news Agency"),
        (
            "Denies",
            "← from",
            "Denial: refutes information about the death of Russian military",
        ),
    ]
    # both links are drawn; the current span's stronger
    assert len(desk.article.relations) == 2
    assert all(r.emphasised for r in desk.article.relations)
    rect = table.visualRect(model.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert _links(project_path, doc) == [
        ("attributed_to", "they shot down a Russian helicopter", "Amaq news Agency")
    ]
    assert model.rowCount() == 1
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert len(_links(project_path, doc)) == 2
    assert model.rowCount() == 2


def test_deleting_a_linked_span_asks_and_one_undo_brings_all_back(
    qtbot, window, project, project_path, monkeypatch
):
    doc, spans = _spans(project, window)
    for source, target, kind in (
        ("claim", "amaq", "attributed_to"),
        ("denial", "claim", "denies"),
    ):
        window.session.perform(
            lambda s=source, t=target, k=kind: project.add_relation(
                spans[s].id, spans[t].id, k, annotator="tester"
            )
        )
    asked = []
    answer = [False]
    monkeypatch.setattr(
        CONFIRM, lambda _parent, span, count: asked.append((span.text, count)) or answer[0]
    )
    view = article(window)
    put_cursor(window, spans["claim"].start + 2)
    assert window.desk.current_span.id == spans["claim"].id
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # answered No: nothing changes
    assert asked == [("they shot down a Russian helicopter", 2)]
    assert len(_links(project_path, doc)) == 2
    answer[0] = True
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert _links(project_path, doc) == []
    with reopen(project_path) as other:
        assert spans["claim"].id not in {s.id for s in other.spans(doc)}
    assert window.desk.article.relations == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # one step: the span and both links
    assert len(_links(project_path, doc)) == 2
    assert len(window.desk.article.relations) == 2


def test_r_with_no_current_span_says_what_to_do(qtbot, window, project):
    _spans(project, window)
    view = article(window)
    put_cursor(window, 5)  # in the title, which holds no span
    assert window.desk.current_span is None
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert window.statusBar().currentMessage() == "Click a span first"


def test_enter_on_a_listed_relation_goes_to_the_other_span(qtbot, window, project):
    _doc, spans = _spans(project, window)
    window.session.perform(
        lambda: project.add_relation(
            spans["denial"].id, spans["tass"].id, "attributed_to", annotator="tester"
        )
    )
    window.desk.select_span(spans["denial"].id)
    settle(qtbot)
    table = window.desk.relation_panel.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.desk.current_span.id == spans["tass"].id
    settle(qtbot)
    row = [table.model().index(0, c).data() for c in range(3)]
    assert row == [
        "Attributed to",
        "← from",
        "Denial: refutes information about the death of Russian military",
    ]


def test_only_links_on_screen_are_drawn(qtbot, window, project):
    doc = window.ids["sample"]
    text = project.document(doc).text
    window.resize(900, 400)  # a short window: the article's end is off screen
    ends = []
    for label, needle in (("denial", "the Pentagon denied"), ("attribution", "Reuters was told")):
        start = text.index(needle)
        change = window.session.perform(
            lambda label=label, start=start, needle=needle: project.add_span(
                doc, label, start, start + len(needle), annotator="tester"
            )
        )
        ends.append(change.created[0])
    window.session.perform(
        lambda: project.add_relation(ends[0].id, ends[1].id, "attributed_to", annotator="tester")
    )
    view = article(window)
    put_cursor(window, 0)
    settle(qtbot)
    assert len(view.relations) == 1
    assert view.relations_on_screen() == []  # both ends below the page: nothing drawn
    put_cursor(window, len(text))
    settle(qtbot)
    [(relation, y_from, y_to)] = view.relations_on_screen()
    assert relation.relation_id == view.relations[0].relation_id
    assert 0 <= y_from < y_to <= view.viewport().height()


def test_links_that_overlap_on_screen_get_their_own_lanes():
    from claimmark.gui.relation_gutter import MAX_LANES, assign_lanes

    assert assign_lanes([(0, 10), (5, 20), (12, 30), (40, 50)]) == [0, 1, 0, 0]
    assert assign_lanes([(0, 10), (0, 10), (0, 10)]) == [0, 1, 2]
    crowded = assign_lanes([(0, 100)] * (MAX_LANES + 3))
    assert max(crowded) == MAX_LANES - 1  # more links than lanes share the outermost


def test_linking_from_the_span_table_with_keys_only(qtbot, window, project, project_path):
    doc, spans = _spans(project, window)
    window.desk.select_span(spans["denial"].id)
    settle(qtbot)
    table = window.desk.span_table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_R)
    assert window.statusBar().currentMessage().startswith("Linking from denial")
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the row below: TASS
    assert window.desk.current_span.id == spans["tass"].id
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.keyClick(_picker(qtbot), "a")
    assert _links(project_path, doc) == [
        ("attributed_to", "refutes information about the death of Russian military", "TASS")
    ]


def test_opening_another_document_cancels_a_link(qtbot, window, project):
    _doc, spans = _spans(project, window)
    window.desk.select_span(spans["claim"].id)
    qtbot.keyClick(article(window), Qt.Key.Key_R)
    assert window.desk.linker.active
    window.desk.open_document(window.ids["unicode"])
    assert not window.desk.linker.active
    assert window.statusBar().currentMessage() == "Link cancelled"
