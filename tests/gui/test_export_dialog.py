"""File > Export… through the real dialog: formats, filters, a split, strict, and the summary.

Each export is checked on disk with the consumer's own reader (claimmark's import, brat's line
layout, spaCy's DocBin), and the summary against the project's own provenance hash.
"""

from __future__ import annotations

import json

import pytest
import spacy
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from spacy.tokens import DocBin

from claimmark.core.export import ExportOptions, export_project
from claimmark.core.importing import import_paths
from claimmark.core.project import Project
from claimmark.gui.export_dialog import ExportDialog
from claimmark.gui.main_window import MainWindow
from tests.gui.helpers import HeldAtProgress, MessageBoxes, open_doc, wait_for_runner

LEFT = Qt.MouseButton.LeftButton

#: (annotator, label, text, text it comes after) in the sample article.
SAMPLE_SPANS = [
    ("tester", "claim", "they shot down a Russian helicopter", None),
    ("tester", "casualty_report", "a Russian helicopter", "they shot down"),  # nested
    ("tester", "attribution", "Amaq news Agency", None),
    ("maria", "denial", "refutes information about the death of Russian military", None),
]


@pytest.fixture
def annotated(qtbot, project):
    """The fixture project with spans by two annotators, then a window on it."""
    sample = project.ids["sample"]
    text = project.document(sample).text
    for annotator, label, needle, after in SAMPLE_SPANS:
        start = text.index(needle, text.index(after) if after else 0)
        project.add_span(sample, label, start, start + len(needle), annotator=annotator)
    unicode_text = project.document(project.ids["unicode"]).text
    start = unicode_text.index("firetrucks")
    project.add_span(
        project.ids["unicode"], "claim", start, start + len("firetrucks"), annotator="tester"
    )
    project.set_status(sample, "done", annotator="tester")
    window = MainWindow(project, annotator="tester")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.ids = project.ids
    return window


def open_export(qtbot, window) -> ExportDialog:
    window.export_action.trigger()
    dialog = window.findChild(ExportDialog, "exportDialog")
    qtbot.waitExposed(dialog)
    return dialog


def choose_format(qtbot, dialog, name: str) -> None:
    """Home, then Down to the format: a keyboard user's way through the combo."""
    combo = dialog.format_combo
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findData(name)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert dialog.format_name() == name


def tick(qtbot, widget, name: str) -> None:
    """Click an entry of a checkable list, then Space ticks it."""
    item = next(widget.item(i) for i in range(widget.count()) if widget.item(i).text() == name)
    qtbot.mouseClick(widget.viewport(), LEFT, pos=widget.visualItemRect(item).center())
    qtbot.keyClick(widget, Qt.Key.Key_Space)
    assert item.checkState() == Qt.CheckState.Checked


def type_into(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def export(qtbot, window, dialog) -> str:
    """Click Export; returns the summary shown afterwards."""
    qtbot.mouseClick(dialog.export_button, LEFT)
    wait_for_runner(qtbot, window)
    assert not dialog.isVisible()
    bar = dialog.progress
    assert bar.maximum() > 0 and bar.value() == bar.maximum()  # 100%
    report = window.report_dialog
    assert report.isVisible() and report.windowTitle() == "Export"
    return report.text()


def span_facts(project: Project, **filters) -> set[tuple]:
    return {
        (project.document(d.id).text, s.label, s.start, s.end, s.annotator, s.text)
        for d in project.documents("fresh")
        for s in project.spans(d.id, **filters)
    }


def test_jsonl_with_filters_and_a_split_reimports_to_the_same_spans(qtbot, annotated, tmp_path):
    window, project = annotated, annotated.project
    out = tmp_path / "split-out"
    dialog = open_export(qtbot, window)
    assert dialog.format_name() == "jsonl"
    assert not dialog.spacy_group.isVisible() and not dialog.doccano_group.isVisible()
    assert [dialog.annotator_list.item(i).text() for i in range(2)] == ["maria", "tester"]
    tick(qtbot, dialog.annotator_list, "tester")
    tick(qtbot, dialog.label_list, "claim")
    tick(qtbot, dialog.label_list, "casualty_report")
    type_into(qtbot, dialog.split_edit, "train=0.67,test=0.33")
    type_into(qtbot, dialog.seed_spin.lineEdit(), "7")
    assert dialog.writes_folder()
    type_into(qtbot, dialog.path_edit, str(out))
    text = export(qtbot, window, dialog)

    assert dialog.progress.value() == 3
    assert sorted(p.name for p in out.iterdir()) == ["provenance.json", "test.jsonl", "train.jsonl"]
    with Project.open(None, created_by="fresh") as fresh:
        summary = import_paths(fresh, [out / "train.jsonl", out / "test.jsonl"], annotator="fresh")
        assert summary.ok and summary.count("imported") == 3
        expected = span_facts(project, annotators=["tester"], labels=["claim", "casualty_report"])
        assert len(expected) == 3
        assert span_facts(fresh) == expected
    assert f"hash {project.latest_event_hash()}" in text
    assert "Parts: train 2 docs, test 1 docs" in text
    assert "Losses: none (this format carries everything)" in text
    assert f"Provenance: {out / 'provenance.json'}" in text


def test_brat_folder_for_the_current_document_says_where_the_losses_are(
    qtbot, annotated, tmp_path, monkeypatch
):
    window, project = annotated, annotated.project
    boxes = MessageBoxes(monkeypatch)
    out = tmp_path / "brat-out"
    out.mkdir()
    (out / "old.txt").write_text("an earlier export")
    open_doc(qtbot, window, "sample")
    dialog = open_export(qtbot, window)
    choose_format(qtbot, dialog, "brat")
    assert dialog.writes_folder()
    tick(qtbot, dialog.label_list, "claim")
    tick(qtbot, dialog.label_list, "denial")  # maria's: annotators are merged, a loss
    qtbot.mouseClick(dialog.current_only_box, LEFT)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(out)))
    qtbot.mouseClick(dialog.choose_button, LEFT)
    assert dialog.path_edit.text() == str(out)

    qtbot.mouseClick(dialog.force_box, LEFT)  # even so, files claimmark did not write stay
    qtbot.mouseClick(dialog.export_button, LEFT)
    wait_for_runner(qtbot, window)
    [box] = boxes.shown
    assert box["plain"] and box["title"] == "Export failed"
    assert "holds files claimmark did not write (old.txt)" in box["text"]
    assert dialog.isVisible() and [p.name for p in out.iterdir()] == ["old.txt"]

    (out / "old.txt").unlink()  # an earlier export of every document is there instead
    export_project(project, "brat", out, ExportOptions())
    earlier = sorted(p.name for p in out.iterdir())
    qtbot.mouseClick(dialog.force_box, LEFT)  # not ticked: the dialog asks first
    qtbot.mouseClick(dialog.export_button, LEFT)
    wait_for_runner(qtbot, window)
    question = boxes.shown[-1]
    assert question["plain"] and question["title"] == "Replace the earlier export?"
    assert set(question["buttons"]) == {"Cancel", "&Replace"}
    assert dialog.isVisible() and sorted(p.name for p in out.iterdir()) == earlier  # cancelled
    boxes.answers = ("&Replace",)
    text = export(qtbot, window, dialog)
    sample = project.ids["sample"]
    body = project.document(sample).text
    stems = {p.stem for p in out.glob("*.ann")}
    assert len(stems) == 1  # only the current document
    [stem] = stems
    with open(out / f"{stem}.txt", encoding="utf-8", newline="") as handle:
        assert handle.read() == body
    lines = (out / f"{stem}.ann").read_text(encoding="utf-8").splitlines()
    expected = []
    for number, (_, label, needle, _) in enumerate(
        sorted(
            (s for s in SAMPLE_SPANS if s[1] in ("claim", "denial")), key=lambda s: body.index(s[2])
        ),
        start=1,
    ):
        start = body.index(needle)
        expected.append(f"T{number}\t{label} {start} {start + len(needle)}\t{needle}")
    assert lines == expected
    assert len(earlier) > len(list(out.iterdir()))  # the other documents' files went
    assert "Losses: 4 (annotators_merged: 1, document_fields_not_carried: 1," in text
    assert f"Loss report: {out / 'losses.jsonl'}" in text
    assert (out / "losses.jsonl").read_text(encoding="utf-8").count("\n") == 4
    assert f"hash {project.latest_event_hash()}" in text
    assert window.statusBar().currentMessage().startswith("Exported 1 document(s), 2 span(s)")


def test_spacy_docbin_loads_with_the_chosen_span_key(qtbot, annotated, tmp_path, monkeypatch):
    window, project = annotated, annotated.project
    out = tmp_path / "train.spacy"
    dialog = open_export(qtbot, window)
    choose_format(qtbot, dialog, "spacy")
    assert dialog.spacy_group.isVisible() and dialog.span_key_edit.isVisible()
    type_into(qtbot, dialog.span_key_edit, "claims")
    tick(qtbot, dialog.annotator_list, "tester")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    qtbot.mouseClick(dialog.choose_button, LEFT)
    text = export(qtbot, window, dialog)

    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    assert len(docs) == 3
    by_text = {doc.text: doc for doc in docs}
    sample = by_text[project.document(project.ids["sample"]).text]
    assert sorted((s.label_, s.text) for s in sample.spans["claims"]) == sorted(
        (label, needle) for who, label, needle, _ in SAMPLE_SPANS if who == "tester"
    )
    assert f"hash {project.latest_event_hash()}" in text
    # the overlapping pair: the longer one is in doc.ents, the shorter one only in doc.spans
    # (one more status than before: a first span marks a document in progress)
    assert "Losses: 8 (document_fields_not_carried: 3, overlap_not_in_ents: 1," in text
    assert "Tokens: 3 document(s) have no imported tokens; tokenised with spacy.blank('xx')" in text
    assert len(sample.ents) == 2
    assert f"Loss report: {tmp_path / 'train.spacy.losses.jsonl'}" in text

    window.export_action.trigger()  # the options stay for the next export
    assert dialog.format_name() == "spacy" and dialog.span_key_edit.text() == "claims"
    choose_format(qtbot, dialog, "jsonl")
    assert not dialog.spacy_group.isVisible()


def test_strict_refuses_a_lossy_conll_export_and_writes_nothing(
    qtbot, annotated, tmp_path, monkeypatch
):
    boxes = MessageBoxes(monkeypatch)
    window = annotated
    out = tmp_path / "exports" / "all.conll"
    out.parent.mkdir()
    dialog = open_export(qtbot, window)
    choose_format(qtbot, dialog, "conll")
    assert dialog.spacy_group.isVisible() and not dialog.span_key_edit.isVisible()
    qtbot.mouseClick(dialog.strict_box, LEFT)
    type_into(qtbot, dialog.path_edit, str(out))
    qtbot.mouseClick(dialog.export_button, LEFT)
    wait_for_runner(qtbot, window)

    [box] = boxes.shown
    assert box["plain"] and box["modal"] and box["title"] == "Export refused"
    assert "nothing was written" in box["text"]
    assert ": overlap" in box["text"]  # the nested span cannot be in IOB tags
    assert list(out.parent.iterdir()) == []  # no file, no sidecar, no staging folder
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    assert not window.report_dialog.isVisible()


def test_a_bad_split_is_said_before_anything_runs(qtbot, annotated, tmp_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)
    dialog = open_export(qtbot, annotated)
    type_into(qtbot, dialog.split_edit, "train=0.8,<b>dev</b>=0.2")
    type_into(qtbot, dialog.path_edit, str(tmp_path / "never"))
    qtbot.mouseClick(dialog.export_button, LEFT)
    [box] = boxes.shown
    assert box["plain"] and box["text"].startswith("Cannot export: split part name '<b>dev</b>'")
    assert not (tmp_path / "never").exists()
    assert dialog.progress.value() == 0


def test_stop_during_an_export_leaves_nothing(qtbot, annotated, tmp_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)
    out = tmp_path / "stopped.jsonl"
    dialog = open_export(qtbot, annotated)
    type_into(qtbot, dialog.path_edit, str(out))
    assert dialog.close_button.text() == "&Close"

    held = HeldAtProgress(monkeypatch, at=1)  # the first document is written, no more
    qtbot.mouseClick(dialog.export_button, LEFT)
    qtbot.waitUntil(held.reached.is_set)
    assert dialog.close_button.text() == "&Stop"
    qtbot.mouseClick(dialog.close_button, LEFT)
    held.release()
    wait_for_runner(qtbot, annotated)
    [box] = boxes.shown
    assert (box["title"], box["text"]) == ("Export stopped", "Export stopped; nothing was written.")
    assert sorted(p.name for p in tmp_path.iterdir() if "stopped" in p.name) == []
    assert dialog.isVisible() and dialog.close_button.text() == "&Close"
    assert not annotated.report_dialog.isVisible()


def choose_item(qtbot, combo, data) -> None:
    """Home, then Down to the entry holding ``data``: a keyboard user's way through a combo."""
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.findData(data)):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data


def doccano_firetrucks(path) -> tuple[int, int, str]:
    """The offsets of the span on "firetrucks" in a doccano export, and the text they cover
    counted in UTF-16 units (what doccano's editor counts)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "firetrucks" in record["text"]:
            [entity] = record["entities"]
            start, end = entity["start_offset"], entity["end_offset"]
            units = record["text"].encode("utf-16-le")[2 * start : 2 * end]
            return start, end, units.decode("utf-16-le")
    raise AssertionError("no document with firetrucks")


def test_doccano_offsets_in_utf16_units_or_code_points(qtbot, annotated, tmp_path, monkeypatch):
    boxes = MessageBoxes(monkeypatch)
    window, project = annotated, annotated.project
    text = project.document(project.ids["unicode"]).text
    start = text.index("firetrucks")  # after "👨🏻‍🚒": 4 code points, 7 UTF-16 units
    out = tmp_path / "doccano.jsonl"
    dialog = open_export(qtbot, window)
    choose_format(qtbot, dialog, "doccano")
    assert dialog.doccano_group.isVisible() and not dialog.labelstudio_group.isVisible()
    assert dialog.doccano_offsets_combo.currentData() == "utf16"  # doccano's own count
    type_into(qtbot, dialog.path_edit, str(out))
    export(qtbot, window, dialog)
    assert doccano_firetrucks(out) == (start + 3, start + 13, "firetrucks")
    assert (
        json.loads((tmp_path / "doccano.jsonl.provenance.json").read_text())["options"][
            "doccano_offsets"
        ]
        == "utf16"
    )

    window.export_action.trigger()
    choose_item(qtbot, dialog.doccano_offsets_combo, "codepoints")
    boxes.answers = ("&Replace",)  # the earlier export is replaced after asking
    export(qtbot, window, dialog)
    assert boxes.shown[-1]["title"] == "Replace the earlier export?"
    offsets = doccano_firetrucks(out)[:2]
    assert offsets == (start, start + 10)  # code points, as Python slices the text
    assert text[offsets[0] : offsets[1]] == "firetrucks"


def test_label_studio_members_are_credited_by_the_emails_typed(
    qtbot, annotated, tmp_path, monkeypatch
):
    boxes = MessageBoxes(monkeypatch)
    window = annotated
    out = tmp_path / "tasks.json"
    dialog = open_export(qtbot, window)
    choose_format(qtbot, dialog, "labelstudio")
    assert dialog.labelstudio_group.isVisible() and not dialog.doccano_group.isVisible()
    assert list(dialog.member_edits) == ["maria", "tester"]
    type_into(qtbot, dialog.path_edit, str(out))
    type_into(qtbot, dialog.member_edits["maria"], "maria at example")
    qtbot.mouseClick(dialog.export_button, LEFT)
    [box] = boxes.shown
    assert box["plain"] and box["text"].startswith(
        "Cannot export: Label Studio member of 'maria': 'maria at example' is not an email"
    )
    assert not out.exists()

    type_into(qtbot, dialog.member_edits["maria"], "maria@example.org")
    text = export(qtbot, window, dialog)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    work = [
        entry for task in tasks for entry in (*task.get("annotations", ()), *task.get("drafts", ()))
    ]
    maria = [entry for entry in work if entry["created_username"] == "maria"]
    tester = [entry for entry in work if entry["created_username"] == "tester"]
    assert maria and all(entry["user"] == "maria@example.org" for entry in maria)  # a draft
    assert tester and not any("completed_by" in e or "user" in e for e in tester)
    assert "annotator_not_carried" in text  # tester's work goes to whoever imports it
    provenance = json.loads((tmp_path / "tasks.json.provenance.json").read_text())
    assert provenance["options"]["labelstudio_users"] == {"maria": "maria@example.org"}

    window.export_action.trigger()  # the email stays for the next export
    assert dialog.member_edits["maria"].text() == "maria@example.org"
