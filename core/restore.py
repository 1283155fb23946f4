"""Putting a backup in place of a project file, all at once or not at all.

The backup is first copied (SQLite's backup API) into a hidden file beside the project and
synced; only then is the current file moved aside, and the copy renamed over the project in one
step. A full disk or a killed process therefore leaves either the old project or the restored
one in place, never a partial file. The replaced file is kept (``<name>.replaced-<time>``, with
its ``-wal`` when that holds anything), never deleted, so a restore can itself be undone.

A restore must not run while a claimmark window has the project open: the window would go on
saving into the moved-aside file. Callers hold ``InstanceLock`` around it (the CLI and the
window's damaged-file dialog both do).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from .backups import backup_folder
from .model import ClaimmarkError, ProjectFileError
from .project_file import file_uri, project_uuid, read_mode, recognise_file


def restore(project_path: Path, backup: Path, *, force: bool = False) -> Path | None:
    """Put ``backup`` in place of ``project_path``; returns where the replaced file was moved
    (None when there was no file).

    Refuses anything that is not a claimmark project, and a backup of another project (its
    project id differs) unless ``force``; a backup that has no id (made before projects had
    one) is trusted only from this project's own backup folder, or with ``force``.
    """
    project_path, backup = Path(project_path), Path(backup)
    try:
        recognise_file(backup)
    except ProjectFileError as exc:
        raise ClaimmarkError(f"Not restored: {exc}. {project_path} was not changed.") from exc
    exists = project_path.exists() and project_path.stat().st_size > 0
    if exists and not force:
        _check_same_project(project_path, backup)
    staging = project_path.with_name(f".{project_path.name}.restoring")
    try:
        _copy(backup, staging)
    except (OSError, sqlite3.Error) as exc:
        _remove(staging)
        raise ClaimmarkError(
            f"Not restored: could not write the restored copy next to {project_path} "
            f"({_reason(exc)}). {project_path} was not changed."
        ) from exc
    aside = _move_aside(project_path) if exists else None
    os.replace(staging, project_path)
    _sync_folder(project_path.parent)
    return aside


def _check_same_project(project_path: Path, backup: Path) -> None:
    ours, theirs = project_uuid(project_path), project_uuid(backup)
    if ours is not None and theirs is not None:
        if ours != theirs:
            raise ClaimmarkError(
                f"Not restored: {backup} belongs to another project (project id {theirs}), "
                f"not to {project_path} (project id {ours}). {project_path} was not changed; "
                "use --force to replace it with that project anyway."
            )
        return
    if Path(backup).resolve().parent != backup_folder(project_path):
        raise ClaimmarkError(
            f"Not restored: cannot tell whether {backup} is a backup of {project_path} (one of "
            f"them has no project id: it comes from an older claimmark). {project_path} was not "
            "changed; use --force to restore it anyway."
        )


def _copy(backup: Path, staging: Path) -> None:
    """A complete, synced, self-contained copy of ``backup`` at ``staging`` (no ``-wal``)."""
    _remove(staging)
    source = sqlite3.connect(file_uri(backup, read_mode(backup)), uri=True)
    try:
        target = sqlite3.connect(staging)
        try:
            source.backup(target)
            # The copy carries the source's WAL flag; a rollback journal leaves no -wal behind.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()
    with open(staging, "rb+") as handle:
        os.fsync(handle.fileno())


def _move_aside(project_path: Path) -> Path:
    """Keep the current file (and its WAL, whose commits belong to it) under another name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    aside = project_path.with_name(f"{project_path.name}.replaced-{stamp}")
    try:
        os.link(project_path, aside)  # the project keeps its name until the copy replaces it
    except OSError:
        os.replace(project_path, aside)
    wal, shm = Path(f"{project_path}-wal"), Path(f"{project_path}-shm")
    if wal.exists() and wal.stat().st_size > 0:
        os.replace(wal, Path(f"{aside}-wal"))
    else:
        wal.unlink(missing_ok=True)
    shm.unlink(missing_ok=True)  # only an index of the WAL, rebuilt from it when needed
    return aside


def _remove(staging: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{staging}{suffix}").unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if "full" in text or getattr(exc, "errno", None) == 28:
        return "the disk is full"
    return text


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (a no-op where folders cannot be opened, as on Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
