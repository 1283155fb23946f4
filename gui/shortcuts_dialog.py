"""Help > Keyboard shortcuts: generated from the live actions, so it cannot drift from them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout

from claimmark.core.model import Label

FIXED_KEYS = [
    ("Arrows, Home/End, PgUp/PgDn", "Move the cursor in the article"),
    ("Shift+arrows, Ctrl+Shift+arrows", "Select text (by character / by word)"),
    ("Click inside a span", "Make it the current span (also its row in the span table)"),
    ("E", "Add the selection to the current span as another fragment (a split span)"),
    ("Alt+E", "Add the selection as a fragment exactly as selected (no snapping)"),
    ("Shift+E", "Take the fragment under the caret out of the current split span"),
    ("Enter / Esc (attribute form)", "Save the attributes / go back to the article"),
    ("R", "Start a link from the current span to another (a relation)"),
    (
        "While linking: click a span, or Tab / Shift+Tab then Enter",
        "Choose the link's target; then the relation type's key (Esc cancels)",
    ),
]


def shortcut_rows(actions: Sequence[QAction], labels: Sequence[Label]) -> list[tuple[str, str]]:
    rows = list(FIXED_KEYS)
    for label in labels:
        if label.hotkey:
            rows.append(
                (label.hotkey, f"Label the selection “{label.name}” (or relabel the current span)")
            )
            rows.append(
                (f"Alt+{label.hotkey}", f"Label “{label.name}” exactly as selected (no snapping)")
            )
    for action in actions:
        keys = ", ".join(
            s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
        )
        if keys:
            rows.append((keys, action.text().replace("&", "")))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, rows: Sequence[tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        table = QTableWidget(len(rows), 2, self)
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        for row, (keys, what) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(what))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(640, 520)
