"""Progress bars for long CLI imports and exports: click's, on standard error.

Only for a person watching: nothing is drawn when standard error is not a terminal (a script, a
pipe, a log file keep clean output) or when the command is given ``--quiet``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

#: Fed (done, total) as work advances; the total may be known only at the first call.
Advance = Callable[[int, int], None]

quiet_option = click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar (none is drawn either when stderr is not a terminal).",
)


def _terminal_stderr() -> TextIO | None:
    return sys.stderr if sys.stderr.isatty() else None


@contextmanager
def progress_bar(label: str, *, quiet: bool) -> Iterator[Advance]:
    stream = None if quiet else _terminal_stderr()
    if stream is None:
        yield lambda done, total: None
        return
    bar = None

    def advance(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label=label, file=stream)
            bar.render_progress()
        bar.update(done - bar.pos)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.render_finish()
