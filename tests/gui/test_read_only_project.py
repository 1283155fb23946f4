"""A project in a read-only folder opens in the window (it is not "damaged"), and a change to it
is refused with a message naming the read-only folder.

Run in a child process without root's permission override (see ``tests/unprivileged.py``): as
root, the folder would be writable after all.
"""

from __future__ import annotations

import os
import textwrap

from claimmark.core.project import NewDocument, Project
from tests.unprivileged import run_python

WINDOW = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication
    from claimmark.core.model import ProjectWriteError
    from claimmark.gui import project_opening

    app = QApplication([])
    project_opening.tell = lambda parent, title, text, *rest: print("BOX", title, text)
    project = project_opening.open_project(__import__("pathlib").Path(sys.argv[1]), "bob")
    if project is None:
        sys.exit(3)
    print("OPENED", [d.title for d in project.documents("bob")])
    try:
        project.set_status(project.documents("bob")[0].id, "done", annotator="bob")
    except ProjectWriteError as exc:  # what the window shows in its "Not saved" box
        print("WRITE", exc)
    """
)


def test_read_only_folder_opens_and_a_change_names_the_folder(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "p.claimmark"
    with Project.open(path, created_by="alice") as project:
        project.import_document(
            NewDocument(text="Officials said 12 died.", title="Toll"), annotator="alice"
        )
    folder.chmod(0o555)
    try:
        said = run_python("-c", WINDOW, str(path))
    finally:
        folder.chmod(0o755)
    assert "damaged" not in said.lower(), said
    assert "BOX" not in said, said
    assert "OPENED ['Toll']" in said, said
    assert f"WRITE Not saved: the folder {folder} is read-only" in said, said
    assert not os.path.exists(f"{path}-shm"), "opening a read-only folder's project wrote"
