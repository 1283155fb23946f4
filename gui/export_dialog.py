"""File > Export…: every ``claimmark export`` option as widgets, run with a progress bar.

The dialog builds the same ``ExportOptions`` the CLI builds from its flags and calls core's one
entry point, ``export_project``; core writes into a staging folder and moves it into place only
when everything succeeded, so an error or a Stop leaves nothing half-written. The export runs on
the window's ``TaskRunner`` (its own connection, off the GUI thread), so the bar moves and Stop
is answered while it writes. The formats, their
descriptions and which of them need spaCy come from core's registry, so a new format shows up
here with the options it needs. Option rows that do not apply to the chosen format are hidden
rather than disabled: the dialog then shows only what the export will use.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.export import (
    ExportError,
    ExportOptions,
    ExportReport,
    LossesNotAllowed,
    OutputExists,
    export_project,
    parse_split,
)
from claimmark.core.export.options import ALIGN_MODES, DOCCANO_LAYOUTS, EMAIL_RE, STATUS_CHOICES
from claimmark.core.export.registry import FORMATS
from claimmark.core.formats.labelstudio_reader import PREDICTION_ANNOTATOR
from claimmark.core.formats.utf16_units import CODE_POINTS, UTF16
from claimmark.core.model import Document
from claimmark.core.project import Project

from .export_summary import loss_lines
from .message_boxes import plain_box, tell
from .task_runner import Progress, TaskRunner

STATUS_CAPTIONS = {"done": "done", "in_progress": "in progress", "not_started": "not started"}
DOCCANO_OFFSET_CAPTIONS = {
    UTF16: "UTF-16 units, as doccano's editor counts (an emoji is two)",
    CODE_POINTS: "code points (for Python scripts)",
}


class ExportDialog(QDialog):
    sig_exported = Signal(object)  # ExportReport

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self._runner = runner
        runner.sig_progress.connect(self._on_progress)
        self.setWindowTitle("Export")
        self._project: Project | None = None
        self._document: Document | None = None
        self._running = False
        self._path_edited = False  # once typed or chosen, a format change leaves the path alone

        self.inputs = QWidget(self)  # everything disabled while an export runs
        inputs = QVBoxLayout(self.inputs)
        inputs.setContentsMargins(0, 0, 0, 0)
        inputs.addLayout(self._build_target())
        inputs.addWidget(self._build_filters())
        inputs.addWidget(self._build_split())
        self.spacy_group = self._build_spacy()
        inputs.addWidget(self.spacy_group)
        self.doccano_group = self._build_doccano()
        inputs.addWidget(self.doccano_group)
        self.labelstudio_group = self._build_labelstudio()
        inputs.addWidget(self.labelstudio_group)
        self.strict_box = QCheckBox(
            "Strict: fail, writing nothing, if the format would lose anything (--strict)", self
        )
        self.strict_box.setObjectName("strictBox")
        self.force_box = QCheckBox("Replace an earlier export without asking (--force)", self)
        self.force_box.setObjectName("forceBox")
        inputs.addWidget(self.strict_box)
        inputs.addWidget(self.force_box)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m documents")
        self.progress.setTextVisible(False)  # "0 / 1 documents" before any run would mislead
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("&Close")  # it turns into Stop while an export runs
        self.buttons.accepted.connect(self.run_export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.inputs)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._on_format_changed()

    # ------------------------------------------------------------------ construction
    def _build_target(self) -> QFormLayout:
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("exportFormat")
        for name, fmt in FORMATS.items():
            self.format_combo.addItem(f"{name} — {fmt.description}" if fmt.description else name)
            self.format_combo.setItemData(self.format_combo.count() - 1, name)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("exportPath")
        self.path_edit.textEdited.connect(self._on_path_edited)
        self.choose_button = QPushButton("&Choose…", self)
        self.choose_button.setObjectName("choosePathButton")
        self.choose_button.clicked.connect(self.choose_output)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        self.path_hint = QLabel(self)
        self.path_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.path_hint.setEnabled(False)  # greyed: a hint, not a value
        form = QFormLayout()
        form.addRow("&Format:", self.format_combo)
        output_label = QLabel("&Output:", self)
        output_label.setBuddy(self.path_edit)  # a row holding a layout gets no buddy by itself
        form.addRow(output_label, path_row)
        form.addRow("", self.path_hint)
        return form

    def _build_filters(self) -> QGroupBox:
        group = QGroupBox("Filters (nothing ticked: everything)", self)
        self.annotator_list = _check_list("annotatorFilter", group)
        self.label_list = _check_list("labelFilter", group)
        lists = QHBoxLayout()
        for caption, widget in (("Annotators", self.annotator_list), ("Labels", self.label_list)):
            column = QVBoxLayout()
            column.addWidget(QLabel(caption, group))
            column.addWidget(widget)
            lists.addLayout(column)
        self.status_boxes: dict[str, QCheckBox] = {}
        statuses = QHBoxLayout()
        statuses.addWidget(QLabel("Status:", group))
        for status in STATUS_CHOICES:
            box = QCheckBox(STATUS_CAPTIONS.get(status, status), group)
            box.setObjectName(f"status_{status}")
            self.status_boxes[status] = box
            statuses.addWidget(box)
        statuses.addStretch(1)
        self.current_only_box = QCheckBox("Only the current document", group)
        self.current_only_box.setObjectName("currentOnlyBox")
        layout = QVBoxLayout(group)
        layout.addLayout(lists)
        layout.addLayout(statuses)
        layout.addWidget(self.current_only_box)
        return group

    def _build_split(self) -> QGroupBox:
        group = QGroupBox("Split (optional; the output is then a folder)", self)
        self.split_edit = QLineEdit(group)
        self.split_edit.setObjectName("splitEdit")
        self.split_edit.setPlaceholderText("train=0.8,dev=0.1,test=0.1")
        self.split_edit.textChanged.connect(self._on_format_changed)
        self.seed_spin = QSpinBox(group)
        self.seed_spin.setObjectName("seedSpin")
        self.seed_spin.setRange(0, 2_147_483_647)
        row = QHBoxLayout(group)
        row.addWidget(QLabel("&Parts:", group, buddy=self.split_edit))
        row.addWidget(self.split_edit, 1)
        row.addWidget(QLabel("S&eed:", group, buddy=self.seed_spin))
        row.addWidget(self.seed_spin)
        return group

    def _build_spacy(self) -> QGroupBox:
        group = QGroupBox("spaCy tokenisation", self)
        self.lang_edit = QLineEdit("xx", group)
        self.lang_edit.setObjectName("langEdit")
        self.span_key_edit = QLineEdit("sc", group)
        self.span_key_edit.setObjectName("spanKeyEdit")
        self.align_combo = QComboBox(group)
        self.align_combo.setObjectName("alignCombo")
        self.align_combo.addItems(ALIGN_MODES)
        self.align_combo.setToolTip("Spans not on token boundaries grow, shrink, or are dropped.")
        self.spacy_form = QFormLayout(group)
        self.spacy_form.addRow("&Language (spacy.blank):", self.lang_edit)
        self.spacy_form.addRow("Span &key (doc.spans):", self.span_key_edit)
        self.spacy_form.addRow("&Align to tokens:", self.align_combo)
        return group

    def _build_doccano(self) -> QGroupBox:
        group = QGroupBox("doccano", self)
        self.doccano_combo = QComboBox(group)
        self.doccano_combo.setObjectName("doccanoLayout")
        self.doccano_combo.addItems(DOCCANO_LAYOUTS)
        self.doccano_offsets_combo = QComboBox(group)
        self.doccano_offsets_combo.setObjectName("doccanoOffsets")
        for unit, caption in DOCCANO_OFFSET_CAPTIONS.items():
            self.doccano_offsets_combo.addItem(caption, unit)
        self.doccano_offsets_combo.setToolTip(
            "doccano's editor counts UTF-16 units: an emoji is two. Code points suit Python"
            " scripts, but doccano would show the spans after an emoji shifted."
        )
        form = QFormLayout(group)
        form.addRow("La&yout:", self.doccano_combo)
        form.addRow("O&ffsets:", self.doccano_offsets_combo)
        return group

    def _build_labelstudio(self) -> QGroupBox:
        """One email field per annotator: Label Studio credits an annotation to the member with
        that email, and to whoever imports the file when there is none."""
        group = QGroupBox("Label Studio members (--labelstudio-user)", self)
        note = QLabel(
            "Label Studio matches annotators by member email. Leave a field empty to credit that"
            " annotator's work to whoever imports the file (reported as a loss).",
            group,
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        self.member_rows = QWidget(group)
        self.member_form = QFormLayout(self.member_rows)
        self.member_form.setContentsMargins(0, 0, 0, 0)
        #: annotator -> the email field of their row, rebuilt whenever the dialog opens
        self.member_edits: dict[str, QLineEdit] = {}
        scroll = QScrollArea(group)
        scroll.setWidget(self.member_rows)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMaximumHeight(150)
        layout = QVBoxLayout(group)
        layout.addWidget(note)
        layout.addWidget(scroll)
        return group

    def _fill_members(self, annotators: list[str]) -> None:
        """A row per annotator (predictions are not people), keeping emails typed before."""
        typed = {name: edit.text() for name, edit in self.member_edits.items()}
        while self.member_form.rowCount():
            self.member_form.removeRow(0)
        self.member_edits = {}
        for name in annotators:
            if name == PREDICTION_ANNOTATOR:
                continue
            edit = QLineEdit(typed.get(name, ""), self.member_rows)
            edit.setObjectName(f"member_{name}")
            edit.setPlaceholderText(
                "its name is an email: credited to that member"
                if EMAIL_RE.fullmatch(name)
                else "member email"
            )
            label = QLabel(name, self.member_rows)  # plain text: a name is data
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(edit)
            self.member_form.addRow(label, edit)
            self.member_edits[name] = edit

    # ------------------------------------------------------------------ opening
    def prepare(self, project: Project, document: Document | None) -> None:
        """Refill the lists from ``project``, keeping what was ticked before, then open."""
        if project is not self._project:
            self._path_edited = False
        self._project = project
        self._document = document
        _fill(self.annotator_list, project.annotators())
        _fill(self.label_list, [label.key for label in project.labels()])
        self._fill_members(project.annotators())
        self.current_only_box.setEnabled(document is not None)
        if document is None:
            self.current_only_box.setChecked(False)
            self.current_only_box.setText("Only the current document")
        else:
            title = document.title or document.id
            title = title if len(title) <= 50 else title[:49] + "…"
            self.current_only_box.setText(f"Only the current document ({title})")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self._on_format_changed()

    # ------------------------------------------------------------------ format and path
    def format_name(self) -> str:
        return self.format_combo.currentData()

    def writes_folder(self) -> bool:
        fmt = FORMATS[self.format_name()]
        return fmt.folder or bool(self.split_edit.text().strip())

    def _on_format_changed(self) -> None:
        fmt = FORMATS[self.format_name()]
        self.spacy_group.setVisible(fmt.needs_spacy)
        self.spacy_form.setRowVisible(self.span_key_edit, fmt.name == "spacy")
        self.doccano_group.setVisible(fmt.name == "doccano")
        self.labelstudio_group.setVisible(fmt.name == "labelstudio")
        folder = self.writes_folder()
        self.path_hint.setText(
            "A folder: it is created; one holding an earlier export is replaced after asking,"
            " one holding other files never."
            if folder
            else f"A file ({fmt.extension}); a loss report and a provenance file go beside it."
            " An existing file is replaced only after asking."
        )
        if not self._path_edited:
            self.path_edit.setText(str(self._suggested_path()))
        self.adjustSize()

    def _suggested_path(self) -> Path:
        project = self._project
        folder = project.path.parent if project is not None and project.path else Path.home()
        stem = project.path.stem if project is not None and project.path else "claimmark"
        fmt = FORMATS[self.format_name()]
        name = f"{stem}-{fmt.name}"
        if self.split_edit.text().strip():
            name += "-split"
        return folder / (name if self.writes_folder() else name + fmt.extension)

    def _on_path_edited(self) -> None:
        self._path_edited = True

    def choose_output(self) -> None:
        current = self.path_edit.text().strip()
        if self.writes_folder():
            path = QFileDialog.getExistingDirectory(self, "Export into folder", current)
        else:
            fmt = FORMATS[self.format_name()]
            path, _ = QFileDialog.getSaveFileName(
                self, "Export to file", current, f"{fmt.name} (*{fmt.extension});;All files (*)"
            )
        if path:
            self.path_edit.setText(path)
            self._path_edited = True

    # ------------------------------------------------------------------ options
    def options(self) -> ExportOptions:
        """The options as the CLI would build them; raises ``ExportError`` for a bad value."""
        split = self.split_edit.text().strip()
        current_only = self.current_only_box.isChecked() and self._document is not None
        return ExportOptions(
            annotators=_checked(self.annotator_list),
            labels=_checked(self.label_list),
            statuses=tuple(s for s, box in self.status_boxes.items() if box.isChecked()),
            documents=(self._document.id,) if current_only else (),
            split=parse_split(split) if split else None,
            seed=self.seed_spin.value(),
            strict=self.strict_box.isChecked(),
            force=self.force_box.isChecked(),
            span_key=self.span_key_edit.text().strip(),
            lang=self.lang_edit.text().strip(),
            align=self.align_combo.currentText(),
            doccano_layout=self.doccano_combo.currentText(),
            doccano_offsets=self.doccano_offsets_combo.currentData(),
            labelstudio_users=tuple(
                (name, edit.text().strip())
                for name, edit in self.member_edits.items()
                if edit.text().strip()
            ),
        )

    # ------------------------------------------------------------------ running
    def run_export(self) -> None:
        if self._running or self._project is None:
            return
        try:
            options = self.options()
        except ExportError as exc:
            tell(self, "Export", f"Cannot export: {exc}")
            return
        text = self.path_edit.text().strip()
        if not text:
            tell(self, "Export", "Choose where to write the export.")
            return
        self._start(Path(text).expanduser(), options)

    def _start(self, out: Path, options: ExportOptions) -> None:
        assert self._project is not None
        fmt = self.format_name()

        def work(project: Project, progress: Progress) -> ExportReport:
            return export_project(project, fmt, out, options, on_document=progress)

        self._set_running(True)
        self._runner.start(
            self._project,
            work,
            finished=self._on_finished,
            failed=lambda exc: self._on_failed(exc, out, options),
            cancelled=self._on_stopped,
        )

    def _on_finished(self, report: ExportReport) -> None:
        self._set_running(False)
        if report.documents == 0:
            self.progress.setValue(self.progress.maximum())  # nothing to count: done at once
        self.accept()
        self.sig_exported.emit(report)

    def _on_stopped(self) -> None:
        self._set_running(False)
        tell(self, "Export stopped", "Export stopped; nothing was written.", _INFO)

    def _on_failed(self, exc: Exception, out: Path, options: ExportOptions) -> None:
        self._set_running(False)
        if isinstance(exc, OutputExists):
            if self._replace_confirmed(exc):
                self._start(out, dataclasses.replace(options, force=True))
        elif isinstance(exc, LossesNotAllowed):
            details = "\n".join(["", "What would be lost:", *loss_lines(exc.losses)])
            tell(self, "Export refused", f"{exc}{details}")
        elif isinstance(exc, ExportError):
            tell(self, "Export failed", f"Nothing was written: {exc}")
        elif isinstance(exc, OSError):
            tell(self, "Export failed", f"{out}: cannot write: {exc.strerror or exc}")
        else:
            tell(self, "Export failed", f"Nothing was written: {exc}")

    def _replace_confirmed(self, exc: OutputExists) -> bool:
        """An earlier export (or a file) is where this one goes: replace it only if asked to."""
        box = plain_box(
            self,
            "Replace the earlier export?",
            f"{exc.path} already exists.\n\nReplace it with this export? Its provenance and"
            " loss report are replaced too.",
            QMessageBox.Icon.Question,
            QMessageBox.StandardButton.Cancel,
        )
        replace_button = box.addButton("&Replace", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is replace_button

    def _on_progress(self, done: int, total: int, _text: str) -> None:
        if self._running:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _set_running(self, running: bool) -> None:
        self._running = running
        if running:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setTextVisible(True)
        self.inputs.setEnabled(not running)
        self.export_button.setEnabled(not running)
        self.close_button.setText("&Stop" if running else "&Close")

    def reject(self) -> None:
        """Close, or during an export, stop it (core then removes what it had staged)."""
        if self._running:
            self._runner.cancel()
            return
        super().reject()


_INFO = QMessageBox.Icon.Information


def _check_list(name: str, parent: QWidget) -> QListWidget:
    widget = QListWidget(parent)
    widget.setObjectName(name)
    widget.setMaximumHeight(110)
    return widget


def _fill(widget: QListWidget, names: list[str]) -> None:
    ticked = set(_checked(widget))
    widget.clear()
    for name in names:
        item = QListWidgetItem(name, widget)  # item views show text as is, never as HTML
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if name in ticked else Qt.CheckState.Unchecked)


def _checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(
        widget.item(i).text()
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    )
