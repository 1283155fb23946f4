"""View → Agreement: the numbers of ``claimmark agreement``, two heatmaps, and the disagreements.

The report is computed through a ``TaskRunner`` (a worker thread with its own connection to the
project file), so the window stays responsive on a large project and Cancel works between
stages; nothing is written.
A click on a disagreement asks the desk (``sig_disagreement_chosen``) to open that document with
both annotators' layers shown and the span selected.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.agreement.report import (
    AgreementQuery,
    Disagreement,
    compute_agreement,
    disagreements,
)
from claimmark.core.model import ClaimmarkError
from claimmark.core.project import Project

from .agreement_models import (
    DisagreementModel,
    MatrixModel,
    PairsModel,
    annotator_matrix,
    label_matrix,
    number,
)
from .tables import plain_table
from .task_runner import TaskRunner


class AgreementResult:
    def __init__(
        self,
        report: dict[str, Any],
        found: dict[tuple[str, str], list[Disagreement]],
        titles: dict[str, str],
    ) -> None:
        self.report, self.disagreements, self.titles = report, found, titles


def compute(
    project: Project, query: AgreementQuery, progress=lambda stage: None
) -> AgreementResult:
    report = compute_agreement(project, query, progress)
    found: dict[tuple[str, str], list[Disagreement]] = {}
    for pair in report["pairs"]:
        progress(f"listing disagreements of {pair['a']} and {pair['b']}")
        found[(pair["a"], pair["b"])] = disagreements(project, pair["a"], pair["b"], query.labels)
    ids = {d.document_id for rows in found.values() for d in rows}
    titles = {d.id: d.title for d in project.iter_documents(sorted(ids))}
    return AgreementResult(report, found, titles)


class AgreementWindow(QDialog):
    sig_disagreement_chosen = Signal(object)  # Disagreement

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementWindow")
        self.setWindowTitle("Agreement between annotators")
        self.resize(900, 600)
        self._project = project
        self.runner = TaskRunner(self)
        self.runner.sig_progress.connect(lambda _done, _total, text: self.stage.setText(text))
        self.result: AgreementResult | None = None
        self._names = {label.key: label.name for label in project.labels()}

        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        busy = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.stage = QLabel(self)
        self.stage.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel)
        for widget in (self.progress, self.stage, self.cancel_button):
            busy.addWidget(widget)
        layout.addLayout(busy)

        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)

        overview = QWidget(self)
        ov = QVBoxLayout(overview)
        self.pairs_model = PairsModel()
        self.pairs_table = plain_table(overview, "agreementPairs", self.pairs_model)
        self.pairs_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        ov.addWidget(self.pairs_table, 1)
        ov.addWidget(QLabel("Per label (red: low, green: high; grey: undefined, hover for why)"))
        self.label_model = MatrixModel()
        self.label_heatmap = self._heatmap(overview, "labelHeatmap", self.label_model)
        ov.addWidget(self.label_heatmap, 1)
        self.tabs.addTab(overview, "Overview")

        annotators = QWidget(self)
        an = QVBoxLayout(annotators)
        row = QHBoxLayout()
        row.addWidget(QLabel("Measure:"))
        self.measure = QComboBox(annotators)
        for key, caption in (
            ("strict", "F1 strict"),
            ("exact", "F1 exact"),
            ("partial", "F1 partial"),
            ("type", "F1 type"),
            ("cohen_kappa", "Cohen κ"),
        ):
            self.measure.addItem(caption, key)
        self.measure.currentIndexChanged.connect(self._fill_annotator_matrix)
        row.addWidget(self.measure)
        row.addStretch(1)
        an.addLayout(row)
        self.annotator_model = MatrixModel()
        self.annotator_heatmap = self._heatmap(annotators, "annotatorHeatmap", self.annotator_model)
        an.addWidget(self.annotator_heatmap, 1)
        self.tabs.addTab(annotators, "Annotator × annotator")

        found = QWidget(self)
        fd = QVBoxLayout(found)
        row = QHBoxLayout()
        row.addWidget(QLabel("Pair:"))
        self.pair_choice = QComboBox(found)
        self.pair_choice.setObjectName("disagreementPair")
        self.pair_choice.currentIndexChanged.connect(self._fill_disagreements)
        row.addWidget(self.pair_choice)
        row.addWidget(QLabel("Click a row to open the document with both layers shown."))
        row.addStretch(1)
        fd.addLayout(row)
        self.disagreement_model = DisagreementModel()
        self.disagreement_table = plain_table(found, "disagreements", self.disagreement_model)
        self.disagreement_table.horizontalHeader().setStretchLastSection(True)
        self.disagreement_table.clicked.connect(self._choose)
        self.disagreement_table.activated.connect(self._choose)
        fd.addWidget(self.disagreement_table, 1)
        self.tabs.addTab(found, "Disagreements")

        self.excluded = QPlainTextEdit(self)
        self.excluded.setReadOnly(True)
        self.tabs.addTab(self.excluded, "What was counted")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    @staticmethod
    def _heatmap(parent: QWidget, name: str, model: MatrixModel) -> QTableView:
        view = QTableView(parent)
        view.setObjectName(name)
        view.setModel(model)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        return view

    # ------------------------------------------------------------------ computing
    def start(self, query: AgreementQuery | None = None) -> None:
        """Compute through the window's ``TaskRunner``: off the GUI thread, with Cancel."""
        query = query or AgreementQuery()
        self._set_busy("reading the project")

        def work(project: Project, progress) -> AgreementResult:
            return compute(project, query, lambda stage: progress(0, 1, stage))

        self.runner.start(
            self._project, work, finished=self._show, failed=self._failed, cancelled=self._cancelled
        )

    def cancel(self) -> None:
        self.runner.cancel()

    def _cancelled(self) -> None:
        self._set_busy(None)
        self.summary.setText("Cancelled: nothing was computed.")

    def closeEvent(self, event) -> None:
        if self.runner.is_running():
            self.runner.cancel()
            self.runner.wait()
        super().closeEvent(event)

    def _set_busy(self, stage: str | None) -> None:
        for widget in (self.progress, self.stage, self.cancel_button):
            widget.setVisible(stage is not None)
        self.stage.setText(stage or "")

    def _failed(self, error: Exception) -> None:
        self._set_busy(None)
        if not isinstance(error, ClaimmarkError):
            raise error  # a bug, not bad data: let the application's hook report it
        self.summary.setText(str(error))

    # ------------------------------------------------------------------ showing
    def _show(self, result: AgreementResult) -> None:
        self._set_busy(None)
        self.result = result
        report = result.report
        reasons = report["reasons"]

        def overall(key: str, caption: str) -> str:
            why = f" ({reasons[key]})" if key in reasons else ""
            return f"{caption} {number(report[key])}{why}"

        self.summary.setText(
            f"{', '.join(report['annotators'])}: {report['documents']} document(s) labelled"
            f" by all, {report['tokens']} tokens. "
            + "; ".join(
                overall(k, c)
                for k, c in (
                    ("fleiss_kappa", "Fleiss κ"),
                    ("krippendorff_alpha", "Krippendorff α"),
                    ("alpha_u", "αu"),
                )
            )
        )
        self.pairs_model.set_pairs(report["pairs"])
        rows, columns, cells = label_matrix(report, self._names)
        self.label_model.set_matrix(rows, columns, cells)
        self._fill_annotator_matrix()
        self.pair_choice.blockSignals(True)
        self.pair_choice.clear()
        for pair in report["pairs"]:
            self.pair_choice.addItem(f"{pair['a']} – {pair['b']}", (pair["a"], pair["b"]))
        self.pair_choice.blockSignals(False)
        self._fill_disagreements()
        self.excluded.setPlainText(_counted_text(report))

    def _fill_annotator_matrix(self) -> None:
        if self.result is None:
            return
        names, cells = annotator_matrix(self.result.report, self.measure.currentData())
        self.annotator_model.set_matrix(names, names, cells)

    def _fill_disagreements(self) -> None:
        if self.result is None or self.pair_choice.currentData() is None:
            self.disagreement_model.set_rows([], {}, self._names)
            return
        rows = self.result.disagreements.get(tuple(self.pair_choice.currentData()), [])
        self.disagreement_model.set_rows(rows, self.result.titles, self._names)
        self.disagreement_table.resizeColumnsToContents()

    def _choose(self, index) -> None:
        if index.isValid():
            self.sig_disagreement_chosen.emit(self.disagreement_model.disagreement(index.row()))


def _counted_text(report: dict[str, Any]) -> str:
    lines = [
        f"Documents counted: {report['documents']} (each labelled by every compared annotator).",
        f"Tokens: {report['tokens']} — {report['tokenisation']}.",
        "Spans: " + ", ".join(f"{a} {n}" for a, n in report["spans"].items()),
        "",
        "Excluded documents:" if report["excluded"]["documents"] else "No document was excluded.",
    ]
    for doc in report["excluded"]["documents"]:
        scope = " (still counted for the pairs who labelled it)" if doc.get("pairs_only") else ""
        lines.append(f"  {doc['id']}: {doc['reason']}{scope}")
    contested = report["excluded"]["tokens_with_two_labels"]
    lines.append(
        "Tokens touched by two labels of one annotator (coded with the longest span's label): "
        + (", ".join(f"{a} {n}" for a, n in contested.items()) or "none")
    )
    return "\n".join(lines)
