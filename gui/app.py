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
    window = MainWindow(project, annotator=annotator, owns_project=True)
    window.show()
    freeze_startup_heap()
    return app.exec()


def freeze_startup_heap() -> None:
    """Exempt what start-up built from the cyclic garbage collector.

    It lives as long as the process. Left in the collector's oldest generation, it is walked
    again by every full collection, and the tens of thousands of span tuples read when a long
    document opens set one off: about 30 ms of that opening.
    """
    gc.freeze()
