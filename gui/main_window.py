"""The main window: menus, shortcuts, status bar, settings and project files around the desk.

Everything about documents and spans lives in ``AnnotationDesk``; this class wires actions to
it, says "Saved" when the session reports a committed change, and swaps projects. Each project
it shows is watched by ``ProjectSafety`` (instance lock, automatic backups) for exactly as long
as it is shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
)

from claimmark.core.agreement.report import Disagreement
from claimmark.core.export import ExportReport
from claimmark.core.merge.run import MergeRefused
from claimmark.core.merge.summary import MergeSummary
from claimmark.core.model import GOLD_LAYER
from claimmark.core.project import Project
from claimmark.core.project_rules import annotator_name_problem

from . import export_summary, project_opening
from .adjudication_view import AdjudicationWindow
from .agreement_view import AgreementWindow
from .annotation_desk import AnnotationDesk
from .annotation_session import AnnotationSession
from .export_dialog import ExportDialog
from .history_panel import HistoryPanel
from .import_dialog import ImportDialog, ImportRequest
from .import_run import import_report, import_work
from .merge_run import merge_report, merge_work
from .message_boxes import notify, tell
from .plain_text import plain_tooltip
from .project_safety import ProjectSafety
from .report_dialog import ReportDialog
from .schema_dialog import SchemaDialog
from .settings import app_settings, recent_projects, remember_project
from .shortcuts_dialog import ShortcutsDialog, shortcut_rows
from .task_progress import TaskProgress
from .task_runner import TaskRunner

SAVED = "Saved"
BUSY = "An import, export or merge is running: cancel it or wait for it to finish"
SHARED_WARNING = (
    "Another claimmark window has this project open. Both save safely, and each shows the "
    "other's changes within a second."
)


class MainWindow(QMainWindow):
    def __init__(
        self,
        project: Project,
        *,
        annotator: str,
        settings: QSettings | None = None,
        owns_project: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or app_settings()
        self._owns_project = owns_project
        self._zoom = 0
        self.session = AnnotationSession(project, annotator, self)
        self.desk = AnnotationDesk(self.session, self)
        self.setCentralWidget(self.desk)
        self.history = HistoryPanel(self.session, self)
        self.desk.sig_current_changed.connect(self.history.show_subject)
        self.history_dock = QDockWidget("History", self)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setWidget(self.history)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.history_dock)
        self.history_dock.hide()  # shown from View > History; restoreState remembers it
        self.safety = ProjectSafety(self)
        self.safety.sig_backup_failed.connect(
            self._show_message, Qt.ConnectionType.QueuedConnection
        )
        self.session.sig_write_failed.connect(self._on_write_failed)
        # Stays in sight after the transient warning and its box are gone.
        self.shared_label = QLabel("Also open in another window", self)
        self.shared_label.setObjectName("sharedProjectLabel")
        self.shared_label.setToolTip(plain_tooltip(SHARED_WARNING))
        self.shared_label.hide()
        self._annotator_label = QLabel(self)
        self._progress_label = QLabel(self)
        for label in (self.shared_label, self._annotator_label, self._progress_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.statusBar().addPermanentWidget(label)
        self.desk.sig_saved.connect(lambda: self.statusBar().showMessage(SAVED))
        self.desk.sig_message.connect(self._show_message)
        self.desk.sig_progress_changed.connect(
            lambda done, total: self._progress_label.setText(f"{done} / {total} documents done")
        )
        self._actions: list[QAction] = []
        self._import_dialog: ImportDialog | None = None
        self._export_dialog: ExportDialog | None = None
        #: imports and exports run here, one at a time, on their own connection
        self.runner = TaskRunner(self)
        self._agreement: AgreementWindow | None = None
        self._schema_dialog: SchemaDialog | None = None
        self._adjudication: AdjudicationWindow | None = None
        self._painted = False  # the opening backup waits for the first paint
        self.report_dialog = ReportDialog(self)
        self._build_menus()
        self._restore_settings()
        self._start_project(project)

    @property
    def project(self) -> Project:
        return self.session.project

    # ------------------------------------------------------------------ actions
    def _action(self, text: str, slot, shortcuts=(), *, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work wherever focus is in the window
        self._actions.append(action)
        return action

    def _build_menus(self) -> None:
        d = self.desk
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self._action("&New project…", self.new_project, ["Ctrl+N"]))
        file_menu.addAction(self._action("&Open project…", self.choose_project, ["Ctrl+O"]))
        self.recent_menu = file_menu.addMenu("&Recent projects")
        file_menu.addSeparator()
        self.import_action = self._action("&Import…", self.import_files, ["Ctrl+I"])
        self.export_action = self._action("&Export…", self.export, ["Ctrl+Shift+E"])
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        self.merge_action = self._action("&Merge project files…", self.merge_project_files)
        file_menu.addAction(self.merge_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, ["Ctrl+Q"]))

        edit = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo", self.session.undo, ["Ctrl+Z"])
        self.redo_action = self._action("&Redo", self.session.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])
        self.session.sig_history_changed.connect(self._update_undo_actions)
        self._update_undo_actions()
        for action in (self.undo_action, self.redo_action):
            edit.addAction(action)
        edit.addSeparator()
        edit.addAction(self._action("&Find in article…", d.find_bar.open_bar, ["Ctrl+F"]))

        span = bar.addMenu("&Span")
        span.addAction(self._action("&Delete span", d.delete_current_span, ["Delete"]))
        span.addAction(self._action("Edit &note…", d.edit_current_note, ["F2", "Ctrl+E"]))
        span.addAction(
            self._action("&Copy into my layer", d.copy_current_span, ["Ins", "Ctrl+Shift+C"])
        )
        span.addAction(self._action("Edit &attributes", d.focus_attributes, ["F4"]))
        span.addSeparator()
        # R itself is read by the article and the span table (a label may use the letter).
        span.addAction(self._action("&Link to another span (R)…", d.start_link))
        span.addAction(self._action("Ne&xt span", lambda: d.step_span(1), ["Ctrl+."]))
        span.addAction(self._action("Pre&vious span", lambda: d.step_span(-1), ["Ctrl+,"]))
        span.addSeparator()
        for text, edge, direction, keys in (
            ("Grow start (move start left)", "start", -1, ["Alt+Shift+Left"]),
            ("Shrink start (move start right)", "start", 1, ["Alt+Shift+Right"]),
            ("Shrink end (move end left)", "end", -1, ["Alt+Left"]),
            ("Grow end (move end right)", "end", 1, ["Alt+Right"]),
        ):
            span.addAction(
                self._action(
                    text, lambda _=False, e=edge, k=direction: d.move_current_edge(e, k), keys
                )
            )
        span.addSeparator()
        self.snap_action = self._action("&Snap to words", self._set_snap, checkable=True)
        self.snap_action.setChecked(d.snap_enabled)
        span.addAction(self.snap_action)

        document = bar.addMenu("&Document")
        document.addAction(
            self._action("&Next document", lambda: d.step_document(1), ["Ctrl+PgDown", "Alt+Down"])
        )
        document.addAction(
            self._action("&Previous document", lambda: d.step_document(-1), ["Ctrl+PgUp", "Alt+Up"])
        )
        document.addAction(
            self._action(
                "Next document &not done",
                lambda: d.step_document(1, only_not_done=True),
                ["Ctrl+Shift+PgDown"],
            )
        )
        document.addAction(
            self._action(
                "&Toggle done / in progress", d.toggle_status, ["Ctrl+Return", "Ctrl+Enter"]
            )
        )
        document.addSeparator()
        self.annotator_action = self._action("Change &annotator…", self.change_annotator)
        document.addAction(self.annotator_action)

        project_menu = bar.addMenu("&Project")
        self.labels_action = self._action(
            "&Labels and relations…", self.show_schema_editor, ["Ctrl+Shift+L"]
        )
        project_menu.addAction(self.labels_action)

        view = bar.addMenu("&View")
        view.addAction(self._action("Zoom &in", lambda: self.zoom(1), ["Ctrl++", "Ctrl+="]))
        view.addAction(self._action("Zoom &out", lambda: self.zoom(-1), ["Ctrl+-"]))
        view.addAction(self._action("&Reset zoom", lambda: self.zoom(-self._zoom), ["Ctrl+0"]))
        view.addSeparator()
        self.history_action = self.history_dock.toggleViewAction()
        self.history_action.setText("&History")
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.addAction(self.history_action)
        self._actions.append(self.history_action)
        view.addAction(self.history_action)
        view.addAction(self._action("&Agreement…", self.show_agreement, ["Ctrl+Shift+A"]))
        view.addAction(self._action("A&djudicate…", self.show_adjudication, ["Ctrl+Shift+G"]))

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", self.show_shortcuts, ["F1"]))

        toolbar = QToolBar("Annotation", self)
        toolbar.setObjectName("annotationToolbar")
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        toolbar.addSeparator()
        toolbar.addAction(self.snap_action)
        self.addToolBar(toolbar)

    def _set_snap(self, on: bool) -> None:
        self.desk.snap_enabled = on
        self.settings.setValue("snapToWords", on)

    def _update_undo_actions(self) -> None:
        """Undo and redo name the current annotator's own last step (their history only)."""
        history = self.session.history
        for action, verb, caption in (
            (self.undo_action, "Undo", history.undo_caption),
            (self.redo_action, "Redo", history.redo_caption),
        ):
            action.setEnabled(caption is not None)
            action.setText(f"&{verb} {caption}" if caption else f"&{verb}")

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text)

    def _on_write_failed(self, text: str) -> None:
        """Say so twice: the status bar keeps it in sight, the box makes sure it was read."""
        self._show_message(text)
        self._error("Not saved", text)

    # ------------------------------------------------------------------ project files
    def _start_project(self, project: Project) -> None:
        if self._schema_dialog is not None:  # it edited the previous project's schema
            self._schema_dialog.close()
            self._schema_dialog.deleteLater()
            self._schema_dialog = None
        self.setWindowTitle(f"claimmark — {project.name}")
        if project.path is not None:
            remember_project(self.settings, project.path)
        self._refresh_recent_menu()
        self._annotator_label.setText(f"Annotator: {self.session.annotator}")
        self.desk.load_project()
        shared = not self.safety.watch(project)
        if self._painted:
            QTimer.singleShot(0, self.safety, self.safety.start_backups)
        self.shared_label.setVisible(shared)
        if shared:
            self._show_message(SHARED_WARNING)
            # After the event loop turns, so the box comes up over the window, not before it.
            QTimer.singleShot(
                0, self, lambda: notify(self, "Project open in another window", SHARED_WARNING)
            )

    def open_project(self, path: Path, *, create: bool = False) -> bool:
        if self.runner.is_running():
            self._show_message(BUSY)
            return False
        project = project_opening.open_project(path, self.session.annotator, self, create=create)
        if project is None:
            return False
        old, owned = self.project, self._owns_project
        self.safety.release()
        if self._adjudication is not None:  # it shows the old file's candidates
            self._adjudication.close()
            self._adjudication = None
        self.session.set_project(project)
        self._owns_project = True
        self._start_project(project)
        if owned:
            old.close()
        return True

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New project", "", project_opening.PROJECT_FILTER
        )
        if path:
            target = project_opening.new_project_path(path)
            if target.exists():
                self._error("New project", f"{target} already exists; use Open project instead.")
                return
            self.open_project(target, create=True)

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open project", "", project_opening.PROJECT_FILTER
        )
        if path:
            self.open_project(Path(path))

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        for entry in recent_projects(self.settings):
            action = self.recent_menu.addAction(entry)
            action.triggered.connect(lambda _=False, p=entry: self.open_project(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    # ------------------------------------------------------------------ import and export
    def import_files(self) -> None:
        """File > Import…: the dialog gathers paths and options, ``_run_import`` does the work."""
        if self.runner.is_running():
            self._show_message(BUSY)
            return
        if self._import_dialog is None:
            self._import_dialog = ImportDialog(self)
            self._import_dialog.sig_import_requested.connect(self._run_import)
        self._import_dialog.start()

    def _run_import(self, request: ImportRequest) -> None:
        """Import on the runner: the window paints and answers Cancel meanwhile."""
        TaskProgress(self.runner, "Importing", "Counting files…", self, name="importProgress")
        self.runner.start(
            self.project,
            import_work(request, self.session.annotator),
            finished=self._on_imported,
            failed=lambda exc: self._error("Import failed", f"The import stopped: {exc}"),
            cancelled=lambda: None,  # the work catches its own cancel: it reports what it did
        )

    def _on_imported(self, outcome) -> None:
        self.session.updates.catch_up()  # new documents and labels reach the views as events
        headline = outcome.headline()
        self._show_message(headline)
        self.report_dialog.show_report("Import", headline, import_report(outcome))

    def merge_project_files(self) -> None:
        """File > Merge project files…: other annotators' copies into this project."""
        if self.runner.is_running():
            self._show_message(BUSY)
            return
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            "Merge project files",
            str(self.project.path.parent) if self.project.path else "",
            "claimmark projects (*.claimmark *.db);;All files (*)",
        )
        if not paths:
            return
        TaskProgress(self.runner, "Merging", "Checking the files…", self, name="mergeProgress")
        self.runner.start(
            self.project,
            merge_work([Path(p) for p in paths], self.session.annotator),
            finished=self._on_merged,
            failed=self._on_merge_failed,
            cancelled=lambda: None,  # the work catches its own cancel: it reports what it did
        )

    def _on_merged(self, summary: MergeSummary) -> None:
        self.session.updates.catch_up()  # new documents, labels and spans arrive as events
        headline = summary.headline()
        self._show_message(headline)
        self.report_dialog.show_report("Merge", headline, merge_report(summary))

    def _on_merge_failed(self, exc: Exception) -> None:
        if isinstance(exc, MergeRefused):  # bad files: say which, left open to be read
            headline = "Nothing was merged: these files cannot be merged."
            self._show_message(headline)
            self.report_dialog.show_report("Merge", headline, "\n".join(exc.reasons))
            return
        self._error("Merge failed", f"The merge stopped: {exc}")

    def export(self) -> None:
        """File > Export…: one dialog for every format; it runs ``export_project`` itself."""
        if self.runner.is_running():
            self._show_message(BUSY)
            return
        if self._export_dialog is None:
            self._export_dialog = ExportDialog(self.runner, self)
            self._export_dialog.sig_exported.connect(self._on_exported)
        self._export_dialog.prepare(self.project, self.desk.document)
        self._export_dialog.open()

    def show_schema_editor(self) -> None:
        """Project > Labels and relations…: beside the window (not modal), so the label bar
        and the article can be seen following each change."""
        if self._schema_dialog is None:
            self._schema_dialog = SchemaDialog(self.session, self)
        else:
            self._schema_dialog.labels_page.reload()
        self._schema_dialog.show()
        self._schema_dialog.raise_()
        self._schema_dialog.activateWindow()

    def show_agreement(self) -> None:
        """View > Agreement…: computed afresh each time, since annotators keep working."""
        if self._agreement is not None:
            self._agreement.close()
        self._agreement = AgreementWindow(self.project, self)
        self._agreement.sig_disagreement_chosen.connect(self.show_disagreement)
        self._agreement.show()
        self._agreement.start()

    def show_adjudication(self) -> AdjudicationWindow:
        """View > Adjudicate: the curator (the current annotator) decides what goes into gold,
        starting with the document open on the desk."""
        if self._adjudication is None:
            self._adjudication = AdjudicationWindow(self.session, self)
        document = self.desk.document
        self._adjudication.open_document(document.id if document is not None else None)
        self._adjudication.show()
        self._adjudication.raise_()
        self._adjudication.activateWindow()
        return self._adjudication

    def show_disagreement(self, found: Disagreement) -> None:
        """Open the disagreement's document with both annotators' layers shown, its span current."""
        desk = self.desk
        desk.open_document(found.document_id)
        others = {found.annotator, found.other} - {self.session.annotator}
        desk.show_layers(sorted(others | set(desk.model.shown_layers)))
        desk.select_span(found.span_id)
        self.raise_()
        self.activateWindow()

    def _on_exported(self, report: ExportReport) -> None:
        headline = export_summary.headline(report)
        self._show_message(headline)
        self.report_dialog.show_report("Export", headline, export_summary.summary_text(report))

    def _error(self, title: str, text: str, icon=QMessageBox.Icon.Warning) -> None:
        tell(self, title, text, icon)

    # ------------------------------------------------------------------ annotator, view, help
    def change_annotator(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Annotator", "Who is annotating?", text=self.session.annotator
        )
        if not ok:
            return
        name = name.strip()
        current = self.session.annotator
        if not name:
            self._show_message(f"An annotator name cannot be empty; still annotating as {current}")
            return
        if name == current:
            return
        problem = annotator_name_problem(name) or (
            "the gold layer is written only by adjudication" if name == GOLD_LAYER else None
        )
        if problem:
            self._show_message(
                f"That annotator name cannot be used: {problem}; still annotating as {current}"
            )
            return
        self.desk.change_annotator(name)  # shows this annotator's spans as the editable layer
        self._annotator_label.setText(f"Annotator: {name}")

    def zoom(self, steps: int) -> None:
        self._zoom = max(-6, min(30, self._zoom + steps))
        self.desk.article.set_zoom(self._zoom)
        self.settings.setValue("zoom", self._zoom)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(shortcut_rows(self._actions, self.project.labels()), self).exec()

    # ------------------------------------------------------------------ settings
    def _restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = s.value("windowState")
        if state is not None:
            self.restoreState(state)
        splitter = s.value("splitter")
        if splitter is not None:
            self.desk.restoreState(splitter)
        zoom = int(s.value("zoom", 0))
        if zoom:
            self.zoom(zoom)
        snap = s.value("snapToWords", True)
        snap = snap if isinstance(snap, bool) else str(snap).lower() == "true"
        self.snap_action.setChecked(snap)
        self.desk.snap_enabled = snap

    def save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self.settings.setValue("splitter", self.desk.saveState())
        self.settings.sync()

    def changeEvent(self, event: QEvent) -> None:
        """Back in front: show at once what other windows or commands changed meanwhile."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.session.updates.check_elsewhere()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.safety, self.safety.start_backups)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner.is_running():  # its thread still writes into this project's file
            self._show_message(BUSY)
            event.ignore()
            return
        self.save_settings()
        self.safety.release()
        if self._owns_project:
            self.project.close()
            self._owns_project = False
        super().closeEvent(event)
