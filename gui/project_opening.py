"""Opening a project file from the GUI, including the way back from a damaged one.

Both ``run_gui`` and the File menu open projects through ``open_project``, so the damaged-file
dialog is the same everywhere and testable without an event loop (tests stub ``exec``).

A damaged file is never replaced silently: the user is told what is wrong and, when an
automatic backup exists, may choose to restore it. Core's ``restore`` moves the damaged file
aside instead of deleting it, and the dialog says where, so anything after the backup can
still be rescued from it. A restore is refused while another claimmark window holds the
project: that window would go on writing into the file that was moved aside.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from claimmark.core.backups import Backup, list_backups
from claimmark.core.instance_lock import InstanceLock
from claimmark.core.model import ClaimmarkError, DamagedProjectError
from claimmark.core.project import Project
from claimmark.core.restore import restore

from .message_boxes import plain_box, tell

RESTORE = "Restore latest backup"
TITLE = "Damaged project"


#: The extension the Open dialog filters on; a new project made from the window gets it.
PROJECT_SUFFIX = ".claimmark"
PROJECT_FILTER = "claimmark projects (*.claimmark *.db);;All files (*)"
CREATE = "Create project"


def new_project_path(chosen: str) -> Path:
    """The file a new project chosen as ``chosen`` is stored in: with ``.claimmark`` unless it
    already ends in an extension the Open dialog shows."""
    path = Path(chosen)
    if path.suffix in (PROJECT_SUFFIX, ".db"):
        return path
    return path.with_name(f"{path.name}{PROJECT_SUFFIX}")


def open_project(
    path: Path, annotator: str, parent: QWidget | None = None, *, create: bool = False
) -> Project | None:
    """The opened project, or None once the user has been told why it could not be opened.

    A missing file is created only with ``create`` (File > New) or once the user agreed: a
    mistyped path or a project deleted since it was last opened must not silently become an
    empty project.
    """
    if not create and not path.exists() and not _create_chosen(path, parent):
        return None
    try:
        return Project.open(path, created_by=annotator)
    except DamagedProjectError as exc:
        return _offer_restore(path, annotator, str(exc), parent)
    except ClaimmarkError as exc:
        tell(parent, "Cannot open project", str(exc))
        return None


def _create_chosen(path: Path, parent: QWidget | None) -> bool:
    box = plain_box(
        parent,
        "No such project",
        f"There is no project file at\n{path}\n\nCreate a new, empty project there?",
        QMessageBox.Icon.Question,
        QMessageBox.StandardButton.Cancel,
    )
    create_button = box.addButton(CREATE, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is create_button


def _when(moment: datetime) -> str:
    """A backup time as the user's local wall-clock time."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _offer_restore(
    path: Path, annotator: str, problem: str, parent: QWidget | None
) -> Project | None:
    backups = list_backups(path)
    if not backups:
        tell(
            parent,
            TITLE,
            f"{problem}\n\nNo automatic backup of this project was found. "
            "The file was left as it is.",
            QMessageBox.Icon.Critical,
        )
        return None
    lock = InstanceLock(path)
    if not lock.acquire():
        tell(
            parent,
            TITLE,
            f"{problem}\n\nAnother claimmark window has this project open. Close it, then open "
            "the project again to restore a backup. The file was left as it is.",
            QMessageBox.Icon.Critical,
        )
        return None
    try:
        if not _restore_chosen(backups[0], problem, parent):
            return None
        try:
            aside = restore(path, backups[0].path)
        except (ClaimmarkError, OSError) as exc:
            tell(parent, TITLE, f"The backup could not be restored: {exc}")
            return None
        tell(
            parent,
            "Backup restored",
            f"The project was restored from the backup of {_when(backups[0].taken_at)}."
            f"\n\nThe damaged file was kept, moved to:\n{aside}",
            QMessageBox.Icon.Information,
        )
    finally:
        lock.release()
    try:
        return Project.open(path, created_by=annotator)
    except ClaimmarkError as exc:
        tell(parent, "Cannot open project", f"The restored project cannot be opened: {exc}")
        return None


def _restore_chosen(backup: Backup, problem: str, parent: QWidget | None) -> bool:
    box = plain_box(
        parent,
        TITLE,
        f"{problem}\n\n"
        f"The latest automatic backup was taken {_when(backup.taken_at)} "
        f"({backup.events} recorded changes). Restoring puts it in place of the damaged file, "
        "which is moved aside, not deleted. Changes made after the backup are not in it.",
        QMessageBox.Icon.Critical,
        QMessageBox.StandardButton.Cancel,
    )
    restore_button = box.addButton(RESTORE, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is restore_button
