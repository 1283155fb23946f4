"""Project → Labels and relations…: editing the schema with keys and clicks, checked in the file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QLabel

from claimmark.core.audit import verify
from claimmark.gui import schema_dialog, schema_pages
from claimmark.gui.schema_dialog import RemoveLabelDialog
from tests.gui.conftest import reopen
from tests.gui.helpers import open_doc, select_with_keys, settle

ALT = Qt.KeyboardModifier.AltModifier


def open_dialog(qtbot, window):
    window.labels_action.trigger()
    dialog = window.findChild(QDialog, "schemaDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()  # as it is when it opens: keys go to it, not the main window
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog.labels_page


def choose(qtbot, page, key: str) -> None:
    """Click the label's row in the list."""
    view = page.label_list
    row = next(i for i in range(view.count()) if view.item(i).data(schema_dialog.KEY_ROLE) == key)
    rect = view.visualItemRect(view.item(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_key() == key


def stored(project_path):
    with reopen(project_path) as project:
        return {label.key: label for label in project.labels()}, verify(project).ok


def test_rename_hotkey_and_guideline_reach_the_file_and_the_label_bar(qtbot, window, project_path):
    page = open_dialog(qtbot, window)
    choose(qtbot, page, "denial")
    page.name_edit.selectAll()
    qtbot.keyClicks(page.name_edit, "Refutation")
    qtbot.keyClick(page.name_edit, Qt.Key.Key_Return)
    page.hotkey_edit.selectAll()
    qtbot.keyClicks(page.hotkey_edit, "q")
    qtbot.keyClick(page.hotkey_edit, Qt.Key.Key_Return)
    page.description_edit.setFocus()
    page.description_edit.selectAll()
    qtbot.keyClicks(page.description_edit, "Someone says a claim is false.")
    qtbot.keyClick(page.description_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    labels, ok = stored(project_path)
    assert (labels["denial"].name, labels["denial"].hotkey) == ("Refutation", "q")
    assert labels["denial"].description == "Someone says a claim is false."
    assert ok
    assert window.desk.label_bar.button("denial").text() == "Refutation  [q]"
    # the new hotkey labels a selection in the article
    page.window().close()
    open_doc(qtbot, window, "sample")
    start = window.desk.document.text.index("refutes")
    select_with_keys(qtbot, window, start, 7)
    qtbot.keyClick(window.desk.article, Qt.Key.Key_Q)
    settle(qtbot)
    with reopen(project_path) as project:
        assert [s.label for s in project.spans(annotators=["tester"])] == ["denial"]


def test_a_taken_hotkey_is_refused_naming_its_label(qtbot, window, project_path):
    page = open_dialog(qtbot, window)
    choose(qtbot, page, "denial")
    page.hotkey_edit.selectAll()
    qtbot.keyClicks(page.hotkey_edit, "1")
    qtbot.keyClick(page.hotkey_edit, Qt.Key.Key_Return)
    assert page.error_label.text() == "hotkey '1' is already used by label 'claim' (Claim)"
    assert page.hotkey_edit.text() == "2"  # back to what is stored
    labels, _ = stored(project_path)
    assert labels["denial"].hotkey == "2"


def test_colour_is_chosen_with_the_colour_dialog(qtbot, window, project_path, monkeypatch):
    monkeypatch.setattr(
        schema_dialog.QColorDialog, "getColor", staticmethod(lambda *a: QColor("#336699"))
    )
    page = open_dialog(qtbot, window)
    choose(qtbot, page, "claim")
    qtbot.mouseClick(page.color_button, Qt.MouseButton.LeftButton)
    labels, ok = stored(project_path)
    assert labels["claim"].color == "#336699" and ok
    assert page.color_button.text() == "#336699"


def test_alt_up_and_down_reorder_and_the_label_bar_follows(qtbot, window, project_path):
    page = open_dialog(qtbot, window)
    choose(qtbot, page, "attribution")
    qtbot.keyClick(page.label_list, Qt.Key.Key_Up, ALT)
    qtbot.keyClick(page.label_list, Qt.Key.Key_Up, ALT)
    labels, ok = stored(project_path)
    assert list(labels) == ["claim", "attribution", "denial", "casualty_report"] and ok
    assert page.current_key() == "attribution"
    qtbot.mouseClick(page.down_button, Qt.MouseButton.LeftButton)
    labels, _ = stored(project_path)
    assert list(labels) == ["claim", "denial", "attribution", "casualty_report"]
    bar = window.desk.label_bar
    order = sorted(
        ("denial", "attribution", "claim", "casualty_report"),
        key=lambda k: bar.layout().indexOf(bar.button(k)),
    )
    assert order == ["claim", "denial", "attribution", "casualty_report"]


def test_add_then_remove_an_unused_label(qtbot, window, project_path, monkeypatch):
    monkeypatch.setattr(schema_dialog, "ask_new_key", lambda parent: "threat")
    monkeypatch.setattr(schema_dialog, "confirm_removal", lambda parent, label: True)
    page = open_dialog(qtbot, window)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.current_key() == "threat"
    labels, _ = stored(project_path)
    assert labels["threat"].name == "Threat"
    assert window.desk.label_bar.button("threat").text() == "Threat"
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    labels, ok = stored(project_path)
    assert "threat" not in labels and ok


def test_removing_a_used_label_says_how_many_spans_and_moves_them(
    qtbot, window, project, project_path, monkeypatch
):
    text = window.desk.document.text
    start = text.index("refutes")
    project.add_span(window.ids["sample"], "denial", start, start + 7, annotator="tester")
    project.add_span(window.ids["sample"], "denial", start, start + 7, annotator="maria")
    asked = {}

    def choose_target(parent, label, usage, targets):
        asked.update(usage)
        return "claim"

    monkeypatch.setattr(schema_dialog, "choose_move_target", choose_target)
    page = open_dialog(qtbot, window)
    choose(qtbot, page, "denial")
    assert page.usage_label.text() == "2 spans in 2 layers"
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert asked == {"tester": 1, "maria": 1}
    with reopen(project_path) as reopened:
        assert {s.label for s in reopened.spans()} == {"claim"}
        assert "denial" not in {label.key for label in reopened.labels()}
        assert verify(reopened).ok
    settle(qtbot)
    assert [row[2] for row in window.desk.span_rows()] == ["claim"]


def test_remove_dialog_names_the_spans_and_takes_the_chosen_target(qtbot, project):
    labels = {label.key: label for label in project.labels()}
    dialog = RemoveLabelDialog(
        labels["denial"], {"maria": 3, "tester": 2}, [labels["claim"], labels["attribution"]]
    )
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert any("is used by 5 spans in 2 layers (maria, tester)" in t for t in texts)
    qtbot.keyClick(dialog.target_combo, Qt.Key.Key_Down)
    assert dialog.target() == "attribution"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)


def test_label_names_are_plain_text(qtbot, window, project):
    project.schema.change_label("claim", name="<b>Bold</b>", annotator="tester")
    page = open_dialog(qtbot, window)
    choose(qtbot, page, "claim")
    assert page.name_edit.text() == "<b>Bold</b>"
    assert page.label_list.currentItem().text().startswith("<b>Bold</b>")


@pytest.mark.parametrize("with_span", [True, False])
def test_guideline_panel_shows_the_current_labels_description(qtbot, window, project, with_span):
    project.schema.change_label("claim", description="A <i>claim</i> of fact.", annotator="x")
    window.session.updates.catch_up()
    panel = window.desk.guideline_panel
    open_doc(qtbot, window, "sample")
    if with_span:
        start = window.desk.document.text.index("they shot down")
        select_with_keys(qtbot, window, start, 4)
        qtbot.keyClick(window.desk.article, Qt.Key.Key_1)
        settle(qtbot)
        assert panel.toPlainText() == "Claim (claim)\n\nA <i>claim</i> of fact."
    else:
        assert "Claim [1]: A <i>claim</i> of fact." in panel.toPlainText()
        assert "Denial [2]: " in panel.toPlainText()


def test_guideline_panel_lists_the_labels_attributes_and_their_rules(qtbot, window):
    open_doc(qtbot, window, "sample")
    start = window.desk.document.text.index("The crew was not injured")
    select_with_keys(qtbot, window, start, 8)
    qtbot.keyClick(window.desk.article, Qt.Key.Key_3)
    settle(qtbot)
    text = window.desk.guideline_panel.toPlainText()
    assert text.startswith("Casualty report (casualty_report)\n\n")
    assert "\n\nAttributes:\n• killed: a whole number" in text
    assert "• group: one of civilians, military, militants, mixed, unknown." in text


def open_tab(qtbot, window, index: int):
    page = open_dialog(qtbot, window)
    dialog = page.window()
    dialog.tabs.setCurrentIndex(index)
    return dialog.tabs.currentWidget()


def choose_entry(qtbot, page, key: str) -> None:
    view = page.entry_list
    row = next(i for i in range(view.count()) if view.item(i).data(schema_dialog.KEY_ROLE) == key)
    rect = view.visualItemRect(view.item(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_key() == key


def tick(qtbot, ends, label: str) -> None:
    """Click the check box of ``label``'s row in a from/to list."""
    row = next(i for i in range(ends.count()) if ends.item(i).data(schema_dialog.KEY_ROLE) == label)
    rect = ends.visualItemRect(ends.item(row))
    qtbot.mouseClick(ends.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    ends.setCurrentRow(row)
    qtbot.keyClick(ends, Qt.Key.Key_Space)


def test_relation_type_edited_in_its_tab(qtbot, window, project_path):
    page = open_tab(qtbot, window, 1)
    choose_entry(qtbot, page, "denies")
    page.name_edit.selectAll()
    qtbot.keyClicks(page.name_edit, "Rejects")
    qtbot.keyClick(page.name_edit, Qt.Key.Key_Return)
    page.to_list.setFocus()
    tick(qtbot, page.to_list, "casualty_report")
    with reopen(project_path) as project:
        denies = project.relation_type("denies")
        assert denies.name == "Rejects"
        assert set(denies.to_labels) == {"claim", "casualty_report"}
        assert verify(project).ok
    # a hotkey another relation type holds is refused, naming it
    page.hotkey_edit.selectAll()
    qtbot.keyClicks(page.hotkey_edit, "a")
    qtbot.keyClick(page.hotkey_edit, Qt.Key.Key_Return)
    assert page.error_label.text() == "hotkey 'a' is already used by relation type 'attributed_to'"
    assert page.hotkey_edit.text() == "d"


def test_attribute_rule_applied_and_removed_with_its_values(
    qtbot, window, project, project_path, monkeypatch
):
    text = window.desk.document.text
    start = text.index("The crew was not injured")
    (span,) = project.add_span(
        window.ids["sample"], "casualty_report", start, start + 24, annotator="tester"
    ).created
    project.set_attributes(span.id, {"injured": 0}, annotator="tester")
    page = open_tab(qtbot, window, 2)
    choose_entry(qtbot, page, "casualty_report.injured")
    assert page.usage_label.text() == "1 span"
    page.minimum_edit.setFocus()
    page.minimum_edit.selectAll()
    qtbot.keyClicks(page.minimum_edit, "1")
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    assert "1 stored value of casualty_report.injured (0) would break" in page.error_label.text()
    page.maximum_edit.selectAll()
    qtbot.keyClicks(page.maximum_edit, "500")
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    assert page.error_label.text() == ""
    with reopen(project_path) as reopened:
        injured = {d.name: d for d in reopened.attribute_definitions("casualty_report")}["injured"]
        assert (injured.minimum, injured.maximum) == (0, 500)
    monkeypatch.setattr(schema_pages, "confirm", lambda *args: True)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    with reopen(project_path) as reopened:
        assert "injured" not in {d.name for d in reopened.attribute_definitions()}
        assert reopened.span(span.id).attributes == {}
        assert verify(reopened).ok
