"""Message boxes that show their text exactly as written.

Error texts carry file paths and article titles, and ``QMessageBox`` guesses rich text: a path
such as ``<img src=...>`` would be rendered (and fetched). Every box here is forced to plain
text. ``tell`` waits for the user (something failed and they must know before going on);
``notify`` does not (the work can go on, the user only needs to know).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def plain_box(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def tell(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> None:
    """A modal box: returns once the user has read it."""
    plain_box(parent, title, text, icon).exec()


def notify(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A non-modal box that leaves the window usable; it deletes itself when closed."""
    box = plain_box(parent, title, text, QMessageBox.Icon.Information)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box
