"""Render the main window offscreen to docs/screenshots/, for the README and for eyeballing.

Builds a throwaway in-memory project with the sample article (a few labelled spans, one nested
in another) and a Unicode/RTL article, and saves one PNG of each, plus one with the history
panel open on a span that was relabelled and resized by a second annotator, one with two
other annotators' layers shown beside your own (Layers panel), one with a casualty report's
attributes in the form beside the span table, one with a split (discontinuous) claim current,
two of the Export dialog (set up for a spaCy export with a split, and for Label Studio with
members' emails), the agreement window, the adjudication window and the sample article's
relations. Settings go to a temporary folder so the real user's window geometry is neither used
nor overwritten.

    python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog

from claimmark.core.project import NewDocument, Project

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

UNICODE_TEXT = (
    "👨🏻\u200d🚒 firemen drive firetrucks\r\n"
    "cafe\u0301 society met\u00a0today\r\n"
    "قال المتحدث إن الهجوم فشل\u2028"
    "אמר הדובר שהמסוק הופל\u2029"
    "final words here 😀 end"
)

#: (label, text, text it comes after): the title has its own "a Russian helicopter".
SAMPLE_SPANS = [
    ("claim", "they shot down a Russian helicopter"),
    ("casualty_report", "a Russian helicopter", "they shot down"),
    ("attribution", "monitoring group SITE Intelligence Group"),
    ("attribution", "Amaq news Agency"),
    ("denial", "refutes information about the death of Russian military"),
    ("casualty_report", "The crew was not injured"),
    ("claim", "shot down an American attack plane And-10"),
]
UNICODE_SPANS = [
    ("claim", "firetrucks"),
    ("attribution", "المتحدث"),
    ("denial", "שהמסוק הופל"),
    ("casualty_report", "met\u00a0today"),
]


#: Two other annotators' layers of the sample article, for the layers screenshot.
OTHER_LAYERS = {
    "maria": [
        ("claim", "they shot down a Russian helicopter"),
        ("attribution", "SITE Intelligence Group"),
        ("denial", "refutes information about the death of Russian military"),
    ],
    "omar": [
        ("claim", "shot down a Russian helicopter"),
        ("casualty_report", "The crew was not injured"),
        ("attribution", "the defense Ministry"),
    ],
}


def build_project() -> tuple[Project, str, str]:
    project = Project.open(None, created_by="screenshot")
    sample = files("claimmark.resources.samples").joinpath("syria-helicopter.txt")
    text = sample.read_text("utf-8")
    sample_id, _ = project.import_document(
        NewDocument(text=text, title="ISIS militants declared in Syria shot down a helicopter"),
        annotator="screenshot",
    )
    unicode_id, _ = project.import_document(
        NewDocument(text=UNICODE_TEXT, title="Unicode: emoji, CRLF, Arabic, Hebrew"),
        annotator="screenshot",
    )
    project.import_document(
        NewDocument(text="A third article.", title="<b>HTML</b> title"), annotator="screenshot"
    )
    for document_id, body, spans in (
        (sample_id, text, SAMPLE_SPANS),
        (unicode_id, UNICODE_TEXT, UNICODE_SPANS),
    ):
        for label, needle, *after in spans:
            start = body.index(needle, body.index(after[0]) if after else 0)
            project.add_span(document_id, label, start, start + len(needle), annotator="screenshot")
    project.set_status(unicode_id, "done", annotator="screenshot")
    # A casualty report with its figures, and a claim split around the place it names.
    report = text.index("On Board were five people, all of them died")
    made = project.add_span(
        sample_id, "casualty_report", report, report + 43, annotator="screenshot"
    )
    project.set_attributes(
        made.created[0].id,
        {"killed": 5, "group": "military", "injured": "unknown"},
        annotator="screenshot",
    )
    landing = text.index("a Russian helicopter made an emergency landing")
    split = project.add_span(sample_id, "claim", landing, landing + 46, annotator="screenshot")
    during = text.index("during a humanitarian aid delivery")
    project.add_fragment(split.created[0].id, during, during + 34, annotator="screenshot")
    # Some history worth showing: the annotator relabels and widens a span.
    span = next(s for s in project.spans(sample_id) if s.text == "Amaq news Agency")
    project.relabel_span(span.id, "claim", annotator="screenshot")
    project.resize_span(span.id, span.start - len("militants "), span.end, annotator="screenshot")
    for annotator, spans in OTHER_LAYERS.items():
        for label, needle in spans:
            start = text.index(needle)
            project.add_span(sample_id, label, start, start + len(needle), annotator=annotator)
    return project, sample_id, unicode_id


def save_export_dialog(app, window) -> None:
    """File > Export… set up for a spaCy export of one annotator's claims, with a split."""
    from PySide6.QtCore import Qt

    window.export()
    dialog = window.findChild(QDialog, "exportDialog")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("spacy"))
    annotators = dialog.annotator_list
    annotators.item(annotators.count() - 1).setCheckState(Qt.CheckState.Checked)
    dialog.split_edit.setText("train=0.8,dev=0.1,test=0.1")
    dialog.path_edit.setText("/home/maria/exports/helicopter-spacy-split")
    app.processEvents()
    dialog.grab().save(str(OUT / "export-dialog.png"))
    # Label Studio: the annotators credited to members by email (one left to the importer).
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("labelstudio"))
    dialog.split_edit.clear()
    dialog.path_edit.setText("/home/maria/exports/helicopter-labelstudio.json")
    dialog.member_edits["maria"].setText("maria@newsroom.example")
    dialog.member_edits["omar"].setText("omar@newsroom.example")
    app.processEvents()
    dialog.grab().save(str(OUT / "export-labelstudio.png"))
    dialog.close()


def save_agreement(app, window) -> None:
    """View > Agreement… on the three annotators' layers of the sample article."""
    from claimmark.gui.agreement_view import AgreementWindow

    window.show_agreement()
    agreement = window.findChild(AgreementWindow)
    agreement.resize(960, 640)
    app.processEvents()
    agreement.grab().save(str(OUT / "agreement.png"))
    agreement.tabs.setCurrentIndex(2)
    app.processEvents()
    agreement.grab().save(str(OUT / "agreement-disagreements.png"))
    agreement.close()


def save_adjudication(app, window, sample_id: str) -> None:
    """View > Adjudicate on the sample article: one candidate accepted, one rejected with a
    reason, the next disagreement current."""
    from claimmark.core.adjudication.candidates import CandidateState

    window.desk.open_document(sample_id)
    view = window.show_adjudication()
    view.resize(1300, 640)
    candidates = view.model.candidates()
    some = next(c for c in candidates if c.state is CandidateState.SOME)
    view._select_row(view.model.row_of(some.key))
    view.accept_current()
    one = next(c for c in view.model.candidates() if c.state is CandidateState.ONE)
    view._select_row(view.model.row_of(one.key))
    view.reject_current("the ministry is not the source here")
    view.next_disagreement()
    app.processEvents()
    view.grab().save(str(OUT / "adjudication.png"))
    view.close()


def save_relations(app, window, project: Project, sample_id: str) -> None:
    """The sample article with its claims and denials linked to their sources (and the denial
    to the claim it denies), the claim current: its links drawn stronger and listed."""
    text = project.document(sample_id).text
    mine = {s.text: s for s in project.spans(sample_id, annotators=["screenshot"])}
    for needle in ("the defense Ministry", "TASS"):
        start = text.index(needle)
        change = project.add_span(
            sample_id, "attribution", start, start + len(needle), annotator="screenshot"
        )
        mine[needle] = change.created[0]
    claim = mine["they shot down a Russian helicopter"]
    for source, target, kind in (
        (claim, mine["monitoring group SITE Intelligence Group"], "attributed_to"),
        (
            mine["a Russian helicopter"],
            mine["monitoring group SITE Intelligence Group"],
            "attributed_to",
        ),
        (mine["refutes information about the death of Russian military"], claim, "denies"),
        (
            mine["refutes information about the death of Russian military"],
            mine["TASS"],
            "attributed_to",
        ),
        (mine["The crew was not injured"], mine["the defense Ministry"], "attributed_to"),
    ):
        project.add_relation(source.id, target.id, kind, annotator="screenshot")
    desk = window.desk
    desk.refresh_after_import()
    desk.open_document(sample_id)
    desk.select_span(claim.id)
    app.processEvents()
    window.grab().save(str(OUT / "relations.png"))


def save_labels_dialog(app, window) -> None:
    """Project > Labels and relations… on the denial label, with a guideline written."""
    window.project.schema.change_label(
        "denial",
        description="A source says a claim is false (refutes, denies, calls it fake).",
        annotator="screenshot",
    )
    window.show_schema_editor()
    dialog = window.findChild(QDialog, "schemaDialog")
    page = dialog.labels_page
    page.label_list.setCurrentRow(1)
    app.processEvents()
    dialog.grab().save(str(OUT / "labels-dialog.png"))
    dialog.tabs.setCurrentIndex(1)
    dialog.relations_page.entry_list.setCurrentRow(0)
    app.processEvents()
    dialog.grab().save(str(OUT / "labels-dialog-relations.png"))
    dialog.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as settings_dir:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
        app = QApplication.instance() or QApplication(sys.argv)
        from claimmark.gui.main_window import MainWindow

        project, sample_id, unicode_id = build_project()
        window = MainWindow(project, annotator="screenshot")
        window.resize(1440, 860)
        window.show()
        app.processEvents()
        desk = window.desk
        desk.open_document(sample_id)
        first = desk.spans()[0]
        desk.select_span(first.id)  # shows the current-span overlay and its table row
        app.processEvents()
        window.grab().save(str(OUT / "main-window.png"))
        desk.open_document(unicode_id)
        app.processEvents()
        window.grab().save(str(OUT / "unicode-rtl.png"))
        desk.open_document(sample_id)
        window.history_action.trigger()
        amaq = next(s for s in project.spans(sample_id) if "Amaq" in s.text)
        desk.select_span(amaq.id)
        app.processEvents()
        window.grab().save(str(OUT / "history.png"))
        window.history_action.trigger()
        layers = desk.layers_panel.model
        for annotator in OTHER_LAYERS:
            layers.set_shown(annotator, True)
        theirs = next(row for layer, row in desk.model.other_rows() if layer == "omar")
        desk.select_span(theirs[3])
        app.processEvents()
        window.grab().save(str(OUT / "layers.png"))
        for annotator in OTHER_LAYERS:
            layers.set_shown(annotator, False)
        desk.open_document(sample_id)
        report = next(s for s in project.spans(sample_id) if s.attributes)
        desk.select_span(report.id)
        desk.focus_attributes()
        app.processEvents()
        window.grab().save(str(OUT / "attributes.png"))
        split = next(s for s in project.spans(sample_id) if s.fragments)
        desk.select_span(split.id)
        app.processEvents()
        window.grab().save(str(OUT / "split-span.png"))
        save_export_dialog(app, window)
        save_agreement(app, window)
        save_adjudication(app, window, sample_id)
        save_relations(app, window, project, sample_id)
        save_labels_dialog(app, window)
        window.close()
        project.close()
    shots = (
        "main-window.png",
        "unicode-rtl.png",
        "history.png",
        "layers.png",
        "attributes.png",
        "split-span.png",
        "export-dialog.png",
        "export-labelstudio.png",
        "agreement.png",
        "agreement-disagreements.png",
        "adjudication.png",
        "relations.png",
        "labels-dialog.png",
        "labels-dialog-relations.png",
    )
    names = ", ".join(f"{OUT / n}" for n in shots)
    print(f"wrote {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
