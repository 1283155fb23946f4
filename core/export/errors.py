"""Why an export stopped; the message is meant for the user as it is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import ClaimmarkError

if TYPE_CHECKING:
    from .losses import Loss


class ExportError(ClaimmarkError):
    """The export cannot run as asked; nothing was written."""


class OutputExists(ExportError):
    """The output (or a report beside it) exists and ``force`` was not given; nothing was written.

    The window catches this to ask before replacing; the command line asks for ``--force``.
    """

    def __init__(self, message: str, path: Path):
        super().__init__(message)
        self.path = path


class LossesNotAllowed(ExportError):
    """``strict`` was asked for and the format cannot carry everything; nothing was written."""

    def __init__(self, losses: Sequence[Loss]):
        self.losses = list(losses)
        super().__init__(
            f"--strict: the export would lose or change {len(self.losses)} thing(s); "
            "nothing was written"
        )
