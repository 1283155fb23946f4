"""Where the GUI remembers things between runs (geometry, zoom, recent projects).

Always an INI file in the user scope, so tests can redirect every instance with
``QSettings.setPath(IniFormat, UserScope, tmp)`` and never touch the real user's settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "claimmark"
APPLICATION = "claimmark"
MAX_RECENT = 8


def app_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def recent_projects(settings: QSettings) -> list[str]:
    value = settings.value("recentProjects", [])
    if isinstance(value, str):  # INI stores a one-element list as a plain string
        value = [value]
    return [str(v) for v in value or []]


def remember_project(settings: QSettings, path: Path) -> list[str]:
    entry = str(path.resolve())
    recent = [entry] + [p for p in recent_projects(settings) if p != entry]
    recent = recent[:MAX_RECENT]
    settings.setValue("recentProjects", recent)
    return recent
