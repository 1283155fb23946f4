"""State shared by every command: which project file and which annotator, resolved once."""

from __future__ import annotations

import click

from .backups import list_backups
from .cli_output import echo
from .defaults import open_project, resolve_annotator, resolve_project_path
from .model import ClaimmarkError, DamagedProjectError
from .project import Project


class CliState:
    def __init__(self, project_option: str | None, annotator_option: str | None):
        self.path, self.is_default = resolve_project_path(project_option)
        try:
            self.annotator = resolve_annotator(annotator_option)
        except ClaimmarkError as exc:
            raise click.UsageError(str(exc)) from exc
        self._project: Project | None = None

    def project(self, *, create: bool = False) -> Project:
        """The project, opened once. Only commands that add data pass ``create``: a mistyped
        ``--project`` given to ``stats`` or ``export`` must not become a new empty project
        reported as "0 documents". The default project is made on first use by any command."""
        if self._project is None:
            if not create and not self.is_default:
                self._refuse_missing()
            try:
                self._project = open_project(self.path, self.annotator, is_default=self.is_default)
            except DamagedProjectError as exc:
                raise click.ClickException(f"{exc}. {damage_advice(self.path)}") from exc
            except ClaimmarkError as exc:
                raise click.ClickException(str(exc)) from exc
            echo(f"project: {self.path}", err=True)
        return self._project

    def _refuse_missing(self) -> None:
        if self.path.exists() and not self.path.is_file():
            return  # a folder or a device: opening it gives the precise message
        if self.path.is_file() and self.path.stat().st_size > 0:
            return
        what = "is empty" if self.path.is_file() else "does not exist"
        raise click.ClickException(
            f"no project at {self.path}: the file {what}. Check --project (or "
            "$CLAIMMARK_PROJECT); 'claimmark import', 'claimmark merge' or 'claimmark labels add'"
            " create a project, and the window offers to."
        )

    def close(self) -> None:
        if self._project is not None:
            self._project.close()


pass_state = click.make_pass_decorator(CliState)


def state_of(ctx: click.Context) -> CliState:
    """The root group's state, for a command that takes the click context itself."""
    state = ctx.find_object(CliState)
    if state is None:  # like pass_state: the root group makes it before any command runs
        raise RuntimeError("claimmark's CLI state is missing: run the command through the CLI")
    return state


def damage_advice(path) -> str:
    backups = list_backups(path)
    if not backups:
        return "No backup of it exists; copy the file before trying to rescue it."
    newest = backups[0]
    return (
        f"The newest backup is from {newest.taken_at:%Y-%m-%d %H:%M} UTC ({newest.path}); "
        f"'claimmark --project {path} restore' puts it back and keeps the damaged file aside."
    )
