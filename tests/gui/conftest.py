"""A real project file with the sample article and a hostile-Unicode article, in a real window."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from claimmark.core.project import NewDocument, Project

SAMPLE = files("claimmark.resources.samples").joinpath("syria-helicopter.txt").read_text("utf-8")

#: Every line exercises a different way Qt positions and code points disagree.
UNICODE_TEXT = (
    "👨🏻\u200d🚒 firemen drive firetrucks\r\n"
    "cafe\u0301 society met\u00a0today\r\n"
    "قال المتحدث إن الهجوم فشل\u2028"
    "אמר הדובר שהמסוק הופל\u2029"
    "final words here 😀 end"
)
HTML_TITLE = '<b>Bold</b> <img src="/etc/passwd"> title'
HTML_TEXT = "An <i>article</i> with <b>markup</b> &amp; entities"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory):
    """Point every QSettings at a throwaway folder; never touch the real user's settings."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def isolated_user_data(tmp_path_factory, monkeypatch):
    """Automatic backups go to the user data folder: keep every GUI test's backups in a tmp dir."""
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


@pytest.fixture
def project_path(tmp_path) -> Path:
    return tmp_path / "p.db"


@pytest.fixture
def project(project_path):
    project = Project.open(project_path, created_by="tester")
    ids = {}
    for key, text, title in (
        ("sample", SAMPLE, "ISIS militants declared in Syria shot down a Russian helicopter"),
        ("unicode", UNICODE_TEXT, "Unicode: emoji, CRLF, RTL"),
        ("html", HTML_TEXT, HTML_TITLE),
    ):
        ids[key], _ = project.import_document(
            NewDocument(text=text, title=title), annotator="tester"
        )
    project.ids = ids  # test convenience: which id is which article
    yield project
    project.close()


@pytest.fixture
def window(qtbot, project):
    from claimmark.gui.main_window import MainWindow

    window = MainWindow(project, annotator="tester")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.ids = project.ids
    return window


def reopen(path: Path) -> Project:
    """A second connection, as another process would see the file."""
    return Project.open(path, created_by="x")
