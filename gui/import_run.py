"""Running an import with a progress dialog, and saying plainly what it did.

Core imports each file (each brat pair) in its own transaction and calls ``on_file`` after it,
so that is where the GUI counts, repaints and honours Cancel: stopping there never leaves half
a file behind, and the files already imported stay (the summary says so). The progress dialog
waits ``PROGRESS_DELAY_MS`` before it appears, so a one-file import does not flash a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog, QWidget

from claimmark.core.backups import take_backup
from claimmark.core.importing import FileResult, import_paths, import_units
from claimmark.core.model import ClaimmarkError
from claimmark.core.project import Project

from .import_dialog import ImportRequest

PROGRESS_DELAY_MS = 400


class _Cancelled(Exception):
    """Raised from ``on_file`` to stop ``import_paths`` between two files."""


@dataclass
class ImportOutcome:
    files: list[FileResult] = field(default_factory=list)
    #: Files (brat pairs) found in the chosen paths; more than ``len(files)`` after a cancel.
    total: int = 0
    cancelled: bool = False
    backup_problem: str | None = None

    def count(self, what: str) -> int:
        return sum(len(getattr(f, what)) for f in self.files)

    @property
    def refused(self) -> list[FileResult]:
        return [f for f in self.files if f.refused]

    def headline(self) -> str:
        refused = len(self.refused)
        text = (
            f"Imported {self.count('imported')} document(s), skipped {self.count('skipped')}"
            f" already present, refused {refused} file(s)."
        )
        if self.cancelled:
            text += f" Cancelled after {len(self.files)} of {self.total} files."
        return text


def run_import(parent: QWidget, project: Project, request: ImportRequest) -> ImportOutcome:
    outcome = ImportOutcome(total=sum(1 for _ in import_units(request.paths, request.format)))
    outcome.backup_problem = _backup_before(project)
    progress = QProgressDialog(parent)
    progress.setObjectName("importProgress")
    progress.setWindowTitle("Importing")
    # File names come from disk: the built-in label would guess rich text.
    label = QLabel(progress)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(f"Importing {outcome.total} file(s)…")
    progress.setLabel(label)
    progress.setCancelButtonText("Cancel")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setRange(0, max(outcome.total, 1))
    progress.setMinimumDuration(PROGRESS_DELAY_MS)
    progress.setValue(0)

    def on_file(result: FileResult) -> None:
        outcome.files.append(result)
        label.setText(f"Imported {len(outcome.files)} of {outcome.total}: {Path(result.path).name}")
        progress.setValue(len(outcome.files))
        QApplication.processEvents()  # repaint, and let a click on Cancel arrive
        if progress.wasCanceled() and len(outcome.files) < outcome.total:
            raise _Cancelled

    try:
        import_paths(
            project,
            request.paths,
            encoding=request.encoding,
            format=request.format,
            text_key=request.text_key,
            on_file=on_file,
        )
    except _Cancelled:
        outcome.cancelled = True
    finally:
        progress.reset()  # also stops the timer that would show it later
        progress.hide()
        progress.deleteLater()
    return outcome


def _backup_before(project: Project) -> str | None:
    """An import is a big change: keep the project as it was, as the CLI does."""
    if project.path is None or not project.document_count():
        return None
    try:
        take_backup(project, only_if_changed=True)
    except (ClaimmarkError, OSError) as exc:
        return f"No backup was taken before this import: {exc}"
    return None


def import_report(outcome: ImportOutcome) -> str:
    """The summary's body: what happened overall, then every problem as ``path:line: message``."""
    lines: list[str] = []
    if outcome.total == 0:
        lines.append("Nothing to import: the chosen paths hold no files.")
    if outcome.cancelled:
        left = outcome.total - len(outcome.files)
        lines.append(
            f"Cancelled after {len(outcome.files)} of {outcome.total} files. Files imported "
            f"before the cancel stay in the project; the other {left} were not read."
        )
    if outcome.backup_problem:
        lines.append(outcome.backup_problem)
    new_labels = [label for f in outcome.files for label in f.new_labels]
    if new_labels:
        lines.append("New labels added to the schema: " + ", ".join(new_labels))
    refused = outcome.refused
    if refused:
        lines += ["", "Refused files (nothing from them was imported):"]
        lines += [f"  {f.path}" for f in refused]
        lines += ["", "Problems:"]
        lines += [f"  {problem}" for f in refused for problem in f.problems]
    warnings = [w for f in outcome.files for w in f.warnings]
    if warnings:
        lines += ["", "Warnings:"]
        lines += [f"  {warning}" for warning in warnings]
    done = [f for f in outcome.files if not f.refused and (f.imported or f.skipped)]
    if done:
        lines += ["", "Imported files:"]
        lines += [f"  {f.path}: {len(f.imported)} imported, {len(f.skipped)} skipped" for f in done]
    return "\n".join(lines).strip("\n")
