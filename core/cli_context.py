"""State shared by every command: which project file and which annotator, resolved once."""

from __future__ import annotations

import click

from .backups import list_backups
from .defaults import open_project, resolve_annotator, resolve_project_path
from .model import ClaimmarkError, DamagedProjectError
from .project import Project


class CliState:
    def __init__(self, project_option: str | None, annotator_option: str | None):
        self.path, self.is_default = resolve_project_path(project_option)
        self.annotator = resolve_annotator(annotator_option)
        self._project: Project | None = None

    def project(self) -> Project:
        if self._project is None:
            try:
                self._project = open_project(self.path, self.annotator, is_default=self.is_default)
            except DamagedProjectError as exc:
                raise click.ClickException(f"{exc}. {damage_advice(self.path)}") from exc
            except ClaimmarkError as exc:
                raise click.ClickException(str(exc)) from exc
            click.echo(f"project: {self.path}", err=True)
        return self._project

    def close(self) -> None:
        if self._project is not None:
            self._project.close()


pass_state = click.make_pass_decorator(CliState)


def damage_advice(path) -> str:
    backups = list_backups(path)
    if not backups:
        return "No backup of it exists; copy the file before trying to rescue it."
    newest = backups[0]
    return (
        f"The newest backup is from {newest.taken_at:%Y-%m-%d %H:%M} UTC ({newest.path}); "
        f"'claimmark --project {path} restore' puts it back and keeps the damaged file aside."
    )
