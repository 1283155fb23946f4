"""Starting the GUI: one QApplication, one project, one main window."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from .project_opening import open_project
from .settings import APPLICATION, ORGANISATION


def run_gui(project_path: Path, annotator: str) -> int:
    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    project = open_project(project_path, annotator)
    if project is None:
        return 1
    window = MainWindow(project, owns_project=True)
    window.show()
    # What start-up built lives as long as the process; exempting it from the cyclic garbage
    # collector keeps a full collection (set off by the tens of thousands of span tuples of a
    # long document) from walking it all again, about 30 ms of opening such a document.
    gc.freeze()
    return app.exec()
