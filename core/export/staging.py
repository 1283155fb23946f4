"""Writing an export so that it is complete or absent.

Every file goes first into a hidden staging folder created next to the destination (same file
system, so renames are atomic). Only when the whole export has succeeded are the files moved into
place: a file output is renamed over its destination with its sidecars (``os.replace`` each), a
folder output is renamed as a whole. Any failure before that removes the staging folder and leaves
the destination as it was. A non-empty destination folder is only replaced with ``force``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from .errors import ExportError


class Staging:
    def __init__(self, out: Path, *, folder: bool, force: bool = False):
        self.out = Path(out)
        self.folder = folder
        self.force = force
        self._files: list[str] = []
        check_destination(self.out, folder=folder, force=force)
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
    def _path(self, name: str) -> Path:
        if name in self._files:
            raise ExportError(f"the export would write {name!r} twice")
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
            check_destination(self.out, folder=True, force=self.force)
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
            os.replace(self.root / name, final)
            finals.append(final)
        shutil.rmtree(self.root, ignore_errors=True)
        return finals

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def check_destination(out: Path, *, folder: bool, force: bool) -> None:
    if folder:
        if out.exists() and not out.is_dir():
            raise ExportError(f"{out}: exists and is not a folder")
        if out.is_dir() and any(out.iterdir()) and not force:
            raise ExportError(f"{out}: folder is not empty (use --force to replace it)")
    else:
        if out.is_dir():
            raise ExportError(f"{out}: is a folder; this format writes a file")
        if not out.parent.is_dir():
            raise ExportError(f"{out.parent}: folder does not exist")
