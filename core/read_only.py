"""Telling which part of a project cannot be written, so a read-only project is never "damaged".

A project is more than its file: SQLite in WAL mode writes a ``-wal`` and a ``-shm`` file beside
it, so the folder must be writable too. Opened once while the file was read-only (``chmod 444``),
SQLite leaves ``-wal``/``-shm`` files with the file's own permissions, and those block every
write after the file is made writable again, whatever the message says about the file. So the
message names the exact part: the mount, the folder, the file, or the ``-wal``/``-shm`` file.
"""

from __future__ import annotations

import os
from pathlib import Path


def sidecars(path: Path) -> tuple[Path, Path]:
    """The ``-wal`` and ``-shm`` files SQLite keeps beside a WAL-mode project."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def folder_writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


def file_writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def read_only_reason(path: Path) -> str | None:
    """Why nothing can be saved into the project at ``path``, in words naming the part that
    is read-only, with what to do; None when every part can be written."""
    path = Path(path)
    try:
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return (
                f"the disk or mount holding {path.parent} is read-only; copy {path.name} to a "
                "writable folder to change it"
            )
    except OSError:
        pass
    if not folder_writable(path):
        return (
            f"the folder {path.parent} is read-only (SQLite needs to write {path.name}-wal and "
            f"{path.name}-shm beside the project); make the folder writable, or copy "
            f"{path.name} to a writable folder"
        )
    if path.exists() and not file_writable(path):
        return f"the file {path} is read-only; make it writable (chmod u+w), or open a copy"
    blocked = [side for side in sidecars(path) if side.exists() and not file_writable(side)]
    if blocked:
        names = " and ".join(str(side) for side in blocked)
        return (
            f"{names} {'is' if len(blocked) == 1 else 'are'} read-only (left by an earlier "
            "opening while the project file was read-only); with every claimmark window on "
            f"this project closed, make {'it' if len(blocked) == 1 else 'them'} writable "
            f"(chmod u+w), or delete {path.name}-shm (SQLite rebuilds it; never delete a "
            f"{path.name}-wal that is not empty)"
        )
    return None
