"""Starting the GUI: one QApplication, one project, one main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from claimmark.core.model import ClaimmarkError
from claimmark.core.project import Project

from .settings import APPLICATION, ORGANISATION


def run_gui(project_path: Path, annotator: str) -> int:
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    try:
        project = Project.open(project_path, annotator=annotator)
    except ClaimmarkError as exc:
        box = QMessageBox(QMessageBox.Icon.Critical, "claimmark", str(exc))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()
        return 1
    window = MainWindow(project, owns_project=True)
    window.show()
    return app.exec()
