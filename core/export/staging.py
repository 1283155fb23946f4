"""Writing an export so that it is complete or absent.

Every file goes first into a hidden staging folder created next to the destination (same file
system, so renames are atomic). Only when the whole export has succeeded are the files moved into
place: a file output is renamed over its destination with its sidecars (``os.replace`` each), a
folder output is renamed as a whole. Any failure before that removes the staging folder and leaves
the destination as it was. A non-empty destination folder is only replaced with ``force``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from .errors import ExportError, OutputExists

#: Reports an export writes inside its folder besides the files its provenance lists.
_FOLDER_REPORTS = ("provenance.json", "losses.jsonl")


class Staging:
    def __init__(
        self,
        out: Path,
        *,
        folder: bool,
        force: bool = False,
        protected: Protected | None = None,
    ):
        self.out = Path(out)
        self.folder = folder
        self.force = force
        self.protected = protected or Protected()
        self._files: list[str] = []
        check_destination(self.out, folder=folder, force=force, protected=self.protected)
        if not folder:
            for suffix in (".provenance.json", ".losses.jsonl"):
                self._check_final(self.beside_name(suffix))
        parent = self.out.parent
        if folder:
            parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.", suffix=".part", dir=parent))

    # ------------------------------------------------------------------ names
    def data_name(self, part: str | None, extension: str) -> str:
        """Where a part's data go: the destination itself, or ``<part><extension>`` inside it."""
        if part is None:
            return "" if self.folder else self.out.name
        return f"{part}{extension}"

    def beside_name(self, suffix: str) -> str:
        """A report next to the data: ``<out><suffix>`` beside a file, ``<suffix[1:]>`` inside a
        folder (``.provenance.json`` -> ``provenance.json``)."""
        return suffix[1:] if self.folder else f"{self.out.name}{suffix}"

    def schema_name(self, suffix: str) -> str:
        """A schema file: ``<stem><suffix>`` beside a file (``.labels.json``), inside a folder
        ``<suffix[1:]>``."""
        return suffix[1:] if self.folder else f"{self.out.stem}{suffix}"

    @property
    def files(self) -> list[str]:
        """Names written so far, relative to the destination's folder (or the folder)."""
        return list(self._files)

    # ------------------------------------------------------------------ writing
    def _check_final(self, name: str) -> None:
        if not self.folder:
            check_file_destination(self.out.parent / name, self.force, self.protected)

    def _path(self, name: str) -> Path:
        if name in self._files:
            raise ExportError(f"the export would write {name!r} twice")
        self._check_final(name)
        self._files.append(name)
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    @contextmanager
    def text(self, name: str) -> Iterator[TextIO]:
        # newline="" so CRLF inside texts is written exactly as stored (brat offsets count CR).
        with open(self._path(name), "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())

    @contextmanager
    def binary(self, name: str) -> Iterator[BinaryIO]:
        with open(self._path(name), "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())

    # ------------------------------------------------------------------ finishing
    def commit(self) -> list[Path]:
        """Move everything into place; returns the final paths (folder: the folder itself)."""
        if self.folder:
            check_destination(self.out, folder=True, force=self.force, protected=self.protected)
            old = None
            if self.out.exists():
                if any(self.out.iterdir()):
                    old = Path(
                        tempfile.mkdtemp(
                            prefix=f".{self.out.name}.", suffix=".old", dir=self.out.parent
                        )
                    )
                    os.replace(self.out, old / "previous")
                else:
                    self.out.rmdir()
            os.replace(self.root, self.out)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            return [self.out / name for name in self._files]
        finals = []
        for name in self._files:
            final = self.out.parent / name
            self._check_final(name)  # nothing appeared there meanwhile
            os.replace(self.root / name, final)
            finals.append(final)
        shutil.rmtree(self.root, ignore_errors=True)
        return finals

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class Protected:
    """Files an export must never replace or delete: the open project and what belongs to it."""

    def __init__(self, files: tuple[Path, ...] = (), folders: tuple[Path, ...] = ()):
        self.files = tuple(_resolved(f) for f in files)
        self.folders = tuple(_resolved(f) for f in folders)

    @classmethod
    def for_project(cls, project_path: Path | None, backups: Path | None) -> Protected:
        if project_path is None:
            return cls()
        base = str(project_path)
        companions = (project_path, *(Path(base + s) for s in ("-wal", "-shm", "-journal")))
        return cls(companions, (backups,) if backups is not None else ())

    def what_is(self, path: Path) -> str | None:
        """Why ``path`` may not be written, or None."""
        target = _resolved(path)
        for protected in self.files:
            if target == protected or _same_file(path, protected):
                return "it is the open project file or one of its journal files"
        for folder in self.folders:
            if target == folder or folder in target.parents:
                return "it is in the project's backup folder"
        return None

    def inside(self, folder: Path) -> str | None:
        """Why the folder ``folder`` may not be replaced (it holds something protected), or None."""
        target = _resolved(folder)
        for protected in (*self.files, *self.folders):
            if protected == target or target in protected.parents:
                return "it holds the open project or its backups"
        return self.what_is(folder)


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_file_destination(path: Path, force: bool, protected: Protected) -> None:
    reason = protected.what_is(path)
    if reason:
        raise ExportError(f"{path}: refused, {reason}; choose another output")
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(f"{path}: cannot check it: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(mode):
        raise ExportError(f"{path}: is a folder; this format writes a file")
    if not stat.S_ISREG(mode):
        raise ExportError(
            f"{path}: is not a regular file (a device, pipe or socket); export to a file"
            " (JSONL can also go to standard output with -o -)"
        )
    if not force:
        raise OutputExists(f"{path}: already exists (use --force to replace it)", path)


def check_destination(out: Path, *, folder: bool, force: bool, protected: Protected) -> None:
    if folder:
        reason = protected.inside(out)
        if reason:
            raise ExportError(f"{out}: refused, {reason}; choose another folder")
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out}: exists and is not a folder")
        if out.is_dir() and any(out.iterdir()):
            foreign = files_not_written_by_claimmark(out)
            if foreign:
                more = len(foreign) - 3
                shown = ", ".join(foreign[:3]) + (f" and {more} more" if more > 0 else "")
                raise ExportError(
                    f"{out}: folder is not empty and holds files claimmark did not write"
                    f" ({shown}); it is never replaced, even with --force: choose another folder"
                )
            if not force:
                raise OutputExists(
                    f"{out}: folder is not empty: it holds an earlier export"
                    " (use --force to replace it)",
                    out,
                )
    else:
        if not out.parent.is_dir():
            raise ExportError(f"{out.parent}: folder does not exist")
        check_file_destination(out, force, protected)


def files_not_written_by_claimmark(folder: Path) -> list[str]:
    """Files in ``folder`` that no claimmark export put there, by its ``provenance.json``."""
    written = set(_FOLDER_REPORTS)
    try:
        record = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
        listed = record["files"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        listed = []
    if isinstance(listed, list):
        written |= {name for name in listed if isinstance(name, str)}
    if "provenance.json" not in {p.name for p in folder.iterdir()}:
        written = set()
    return sorted(
        relative
        for path in folder.rglob("*")
        if not path.is_dir() or path.is_symlink()
        if (relative := path.relative_to(folder).as_posix()) not in written
    )
