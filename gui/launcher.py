"""The ``claimmark`` console script: the core command line, with the GUI as its default command.

Qt is imported only when the window is actually opened, so ``claimmark export`` on a server
without a display never loads it.
"""

from __future__ import annotations

from pathlib import Path


def _open_gui(project_path: Path, annotator: str) -> int:
    from .app import run_gui

    return run_gui(project_path, annotator)


def main() -> None:
    from claimmark.core.cli import cli

    cli.main(obj={"open_gui": _open_gui}, prog_name="claimmark")
