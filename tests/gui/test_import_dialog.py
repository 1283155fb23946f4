"""File > Import… through the real dialog: folders of mixed formats, a bad file, Cancel.

The file pickers are stubbed (they are the OS's windows); every other step is a click on the
dialog's own widgets, and the result is read back from the project file and the summary.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QToolButton

from claimmark.gui.import_dialog import ImportDialog
from claimmark.gui.main_window import BUSY
from claimmark.gui.task_progress import TaskProgress
from tests.gui.conftest import reopen
from tests.gui.helpers import HeldAtProgress, open_doc, wait_for_runner

LEFT = Qt.MouseButton.LeftButton

BATCH = [
    {
        "id": "jsonl-one",
        "title": "Ministry statement",
        "text": "The ministry denied that any soldiers were killed.",
        "spans": [{"start": 13, "end": 19, "label": "denial"}],
    },
    {
        "id": "jsonl-two",
        "text": "Rebels claimed they downed a drone near the border.",
        "spans": [
            {"start": 0, "end": 14, "label": "claim"},
            {"start": 0, "end": 6, "label": "attribution", "note": "who says so"},
        ],
    },
]
BRAT_TEXT = "Officials reported three casualties.\nA spokesman said so.\n"
BRAT_ANN = "T1\tcasualty_report 19 35\tthree casualties\nT2\tSpeaker 37 48\tA spokesman\n"


def incoming_folder(tmp_path):
    """A .txt article, a claimmark JSONL, a JSONL with a bad line 2, and a brat pair."""
    folder = tmp_path / "incoming"
    (folder / "brat").mkdir(parents=True)
    (folder / "article.txt").write_text(
        "Plain article title\nThe army said the convoy was not attacked.\n", encoding="utf-8"
    )
    (folder / "batch.jsonl").write_text(
        "".join(json.dumps(record) + "\n" for record in BATCH), encoding="utf-8"
    )
    bad = folder / "bad.jsonl"
    bad.write_text(
        json.dumps({"text": "A fine first line."})
        + "\n"
        + json.dumps({"text": "Short.", "spans": [{"start": 0, "end": 60, "label": "claim"}]})
        + "\n",
        encoding="utf-8",
    )
    (folder / "brat" / "report.txt").write_text(BRAT_TEXT, encoding="utf-8", newline="")
    (folder / "brat" / "report.ann").write_text(BRAT_ANN, encoding="utf-8", newline="")
    return folder, bad


def status(window) -> str:
    return window.statusBar().currentMessage()


def open_import_dialog(qtbot, window) -> ImportDialog:
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog, "importDialog")
    qtbot.waitExposed(dialog)
    assert not dialog.import_button.isEnabled()  # nothing chosen yet
    return dialog


def add_folder(qtbot, dialog, monkeypatch, folder) -> None:
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder))
    )
    qtbot.mouseClick(dialog.add_folder_button, LEFT)


def test_importing_a_mixed_folder_reports_the_bad_file_and_keeps_the_good_ones(
    qtbot, window, project_path, monkeypatch, tmp_path
):
    folder, bad = incoming_folder(tmp_path)
    open_doc(qtbot, window, "unicode")  # the document being read stays open
    dialog = open_import_dialog(qtbot, window)
    add_folder(qtbot, dialog, monkeypatch, folder)
    assert [str(p) for p in dialog.paths()] == [str(folder)]
    assert dialog.format_combo.currentData() is None  # detect automatically
    qtbot.mouseClick(dialog.import_button, LEFT)
    wait_for_runner(qtbot, window)

    assert not dialog.isVisible()
    report = window.report_dialog
    assert report.isVisible() and report.windowTitle() == "Import"
    text = report.text()
    assert f"{bad}:2: " in text  # path:line: reason
    assert "Refused files (nothing from them was imported):" in text
    assert "New labels added to the schema: speaker" in text
    for name in ("article.txt", "batch.jsonl", "report.ann"):
        assert f"{folder}" in text and name in text
    headline = "Imported 4 document(s), skipped 0 already present, refused 1 file(s)."
    assert report.headline.text() == headline
    assert window.statusBar().currentMessage() == headline

    with reopen(project_path) as stored:
        titles = {d.title for d in stored.documents("tester")}
        assert len(titles) == 3 + 4
        assert "Plain article title" in titles and "Ministry statement" in titles
        assert "A fine first line." not in titles  # the bad file is refused whole
        assert [(s.label, s.text) for s in stored.spans("jsonl-one")] == [("denial", "denied")]
        two = sorted((s.label, s.text, s.note) for s in stored.spans("jsonl-two"))
        assert two == [("attribution", "Rebels", "who says so"), ("claim", "Rebels claimed", None)]
        brat_doc = next(d for d in stored.documents("tester") if d.title.startswith("Officials"))
        brat_spans = sorted((s.label, s.text) for s in stored.spans(brat_doc.id))
        assert brat_spans == [("casualty_report", "three casualties"), ("speaker", "A spokesman")]
        assert "speaker" in {label.key for label in stored.labels()}

    desk = window.desk
    assert desk.document.id == window.ids["unicode"]
    assert desk.document_model.rowCount() == 7
    assert desk.label_bar.findChild(QToolButton, "labelButton_speaker") is not None


def test_cancel_stops_before_the_next_file_and_keeps_what_was_imported(
    qtbot, window, project_path, monkeypatch, tmp_path
):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(5):
        (folder / f"{n}.txt").write_text(f"Article {n}\nBody of article number {n}.\n")
    held = HeldAtProgress(monkeypatch, at=1)  # the first file is in, the second not begun
    dialog = open_import_dialog(qtbot, window)
    add_folder(qtbot, dialog, monkeypatch, folder)
    qtbot.mouseClick(dialog.import_button, LEFT)
    qtbot.waitUntil(held.reached.is_set)
    progress = window.findChild(TaskProgress, "importProgress")
    qtbot.waitUntil(progress.isVisible)  # after its short delay, over the window
    window.close()  # refused: the import writes into this window's project file
    assert window.isVisible()
    assert status(window) == BUSY
    qtbot.mouseClick(progress.cancel_button, LEFT)
    held.release()
    wait_for_runner(qtbot, window)

    with reopen(project_path) as stored:
        titles = [d.title for d in stored.documents("tester")]
    assert titles[3:] == ["Article 0"]
    text = window.report_dialog.text()
    assert "Cancelled after 1 of 5 files." in text
    assert "Files imported before the cancel stay in the project; the other 4 were not read." in (
        text.replace("\n", " ")
    )
    assert window.statusBar().currentMessage().endswith("Cancelled after 1 of 5 files.")
    qtbot.waitUntil(lambda: window.findChild(TaskProgress) is None)
    assert window.desk.document_model.rowCount() == 4


def test_unknown_encoding_is_said_in_the_dialog(qtbot, window, project_path, monkeypatch, tmp_path):
    folder, _ = incoming_folder(tmp_path)
    dialog = open_import_dialog(qtbot, window)
    add_folder(qtbot, dialog, monkeypatch, folder)
    dialog.encoding_combo.lineEdit().selectAll()
    qtbot.keyClicks(dialog.encoding_combo.lineEdit(), "<b>klingon</b>")
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert dialog.isVisible()
    assert dialog.error_label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.error_label.text() == "Cannot import: unknown encoding '<b>klingon</b>'"
    with reopen(project_path) as stored:
        assert stored.document_count() == 3
