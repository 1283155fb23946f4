"""An import as work for the ``TaskRunner``, and saying plainly what it did.

Core imports each file (each brat pair) in its own transaction and calls ``on_file`` after it,
so that is where the work reports progress and where Cancel stops it: stopping there never
leaves half a file behind, and the files already imported stay (the summary says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimmark.core.backups import take_backup
from claimmark.core.importing import FileResult, import_paths, import_units
from claimmark.core.model import ClaimmarkError
from claimmark.core.project import Project

from .import_dialog import ImportRequest
from .task_runner import Cancelled, Progress, Work


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
        duplicates = sum(f.duplicate_spans for f in self.files if not f.refused)
        if duplicates:
            text += f" Skipped {duplicates} duplicate span(s) (see the warnings)."
        if self.cancelled:
            text += f" Cancelled after {len(self.files)} of {self.total} files."
        return text


def import_work(request: ImportRequest, annotator: str) -> Work:
    """The import ``request`` describes, performed by ``annotator``, to run on the runner's own
    connection."""

    def work(project: Project, progress: Progress) -> ImportOutcome:
        outcome = ImportOutcome(total=sum(1 for _ in import_units(request.paths, request.format)))
        progress(0, outcome.total, f"Importing {outcome.total} file(s)…")
        outcome.backup_problem = _backup_before(project)

        def on_file(result: FileResult) -> None:
            outcome.files.append(result)
            done = len(outcome.files)
            name = Path(result.path).name
            progress(done, outcome.total, f"Imported {done} of {outcome.total}: {name}")

        try:
            import_paths(
                project,
                request.paths,
                annotator=annotator,
                encoding=request.encoding,
                format=request.format,
                text_key=request.text_key,
                on_file=on_file,
            )
        except Cancelled:
            outcome.cancelled = True
        return outcome

    return work


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
