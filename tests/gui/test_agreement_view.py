"""View → Agreement on a two-annotator project: numbers, heatmaps, and a click to a disagreement."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from claimmark.core.project import NewDocument, NewSpan, Project
from claimmark.gui.agreement_view import AgreementWindow

TEXT = "Rebels said the ministry denied that the helicopter was downed. Five people died."


@pytest.fixture
def team(tmp_path):
    path = tmp_path / "team.claimmark"
    with Project.open(path, created_by="setup") as project:
        spans = [
            NewSpan(0, 11, "claim", annotator="alice"),
            NewSpan(16, 31, "denial", annotator="alice"),
            NewSpan(0, 11, "claim", annotator="bob"),
            NewSpan(16, 24, "denial", annotator="bob"),
            NewSpan(64, 80, "casualty_report", annotator="bob"),
        ]
        project.import_document(
            NewDocument(TEXT, "Helicopter", id="heli", spans=spans), annotator="setup"
        )
    project = Project.open(path, created_by="alice")
    yield project
    project.close()


def _computed(qtbot, project) -> AgreementWindow:
    window = AgreementWindow(project)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.result is not None, timeout=10_000)
    return window


def test_numbers_and_heatmaps_are_shown(qtbot, team, qapp, tmp_path):
    window = _computed(qtbot, team)
    assert window.progress.isHidden()
    pairs = window.pairs_model
    assert pairs.rowCount() == 1
    assert [pairs.index(0, c).data() for c in range(3)] == ["alice", "bob", "1"]
    assert pairs.index(0, 3).data() == f"{2 * 0.5 * (1 / 3) / (0.5 + 1 / 3):.3f}"  # strict F1
    assert "Fleiss κ" in window.summary.text()
    # Heatmaps: low numbers red, high green, undefined grey with the reason on hover.
    labels = window.label_model
    rows = [labels.headerData(r, Qt.Orientation.Vertical) for r in range(labels.rowCount())]
    claim = labels.index(rows.index("Claim"), 0)
    casualty = labels.index(rows.index("Casualty report"), 0)
    attribution = labels.index(rows.index("Attribution"), 0)
    assert claim.data() == "1.000" and casualty.data() == "0.000"
    assert claim.data(Qt.ItemDataRole.BackgroundRole).hue() == 120
    assert casualty.data(Qt.ItemDataRole.BackgroundRole).hue() == 0
    assert attribution.data() == "n/a"
    assert "no annotator used this label" in attribution.data(Qt.ItemDataRole.ToolTipRole)
    matrix = window.annotator_model
    assert matrix.index(0, 1).data() == matrix.index(1, 0).data() == pairs.index(0, 3).data()
    window.grab().save(str(tmp_path / "agreement.png"))


def test_clicking_a_disagreement_asks_to_show_it(qtbot, team):
    window = _computed(qtbot, team)
    window.tabs.setCurrentIndex(2)
    table = window.disagreement_table
    model = window.disagreement_model
    texts = {model.index(r, 5).data(): model.index(r, 4).data() for r in range(model.rowCount())}
    assert texts == {
        "ministry denied": "other boundaries",
        "ministry": "other boundaries",
        "Five people died": "not in the other layer",
    }
    row = next(r for r in range(model.rowCount()) if model.index(r, 5).data() == "Five people died")
    with qtbot.waitSignal(window.sig_disagreement_chosen) as chosen:
        rect = table.visualRect(model.index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    found = chosen.args[0]
    assert (found.document_id, found.annotator, found.other) == ("heli", "bob", "alice")
    assert TEXT[found.start : found.end] == "Five people died"


def test_one_annotator_says_why_nothing_is_shown(qtbot, tmp_path):
    path = tmp_path / "solo.claimmark"
    with Project.open(path, created_by="alice") as project:
        project.import_document(
            NewDocument(TEXT, "Solo", spans=[NewSpan(0, 11, "claim", annotator="alice")]),
            annotator="alice",
        )
    with Project.open(path, created_by="alice") as project:
        window = AgreementWindow(project)
        qtbot.addWidget(window)
        window.start()
        qtbot.waitUntil(lambda: "two or more annotators" in window.summary.text(), timeout=10_000)
        assert window.pairs_model.rowCount() == 0


def test_view_agreement_opens_the_disagreement_with_both_layers(qtbot, team):
    """View > Agreement…, then a click on bob's casualty report that alice lacks: the desk shows
    that document with bob's layer beside alice's and bob's span current."""
    from claimmark.gui.main_window import MainWindow

    window = MainWindow(team, annotator="alice")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window.desk.article,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    agreement = window.findChild(AgreementWindow)
    assert agreement is not None
    qtbot.waitUntil(lambda: agreement.result is not None, timeout=10_000)
    agreement.tabs.setCurrentIndex(2)
    table, model = agreement.disagreement_table, agreement.disagreement_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 5).data() == "Five people died")
    rect = table.visualRect(model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    desk = window.desk
    qtbot.waitUntil(lambda: desk.current_span is not None)
    assert desk.document.id == "heli"
    assert "bob" in desk.model.shown_layers
    span = desk.current_span
    assert (span.annotator, span.text, span.label) == ("bob", "Five people died", "casualty_report")
    assert desk.layer_of(span.id) == "bob"


def test_agreement_models_pass_qtmodeltester(qtbot, qtmodeltester, team):
    window = _computed(qtbot, team)
    window.tabs.setCurrentIndex(2)
    for model in (
        window.pairs_model,
        window.label_model,
        window.annotator_model,
        window.disagreement_model,
    ):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
