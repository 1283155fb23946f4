"""One button per label: the mouse route to labelling, and the place guidelines are read."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from claimmark.core.model import Label

from .plain_text import plain_tooltip


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class LabelBar(QWidget):
    sig_label_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelBar")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self._buttons: dict[str, QToolButton] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)  # gone now, not at the next event loop turn
                widget.deleteLater()
        self._buttons.clear()
        caption = QLabel("Label:")
        caption.setTextFormat(Qt.TextFormat.PlainText)
        self._layout.addWidget(caption)
        for label in labels:
            button = QToolButton(self)
            button.setObjectName(f"labelButton_{label.key}")
            text = f"{label.name}  [{label.hotkey}]" if label.hotkey else label.name
            button.setText(text)
            button.setIcon(swatch(label.color))
            button.setIconSize(QSize(14, 14))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(plain_tooltip(label.description or label.name))
            # Clicking must leave keyboard focus and the selection in the article.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, key=label.key: self.sig_label_chosen.emit(key))
            self._layout.addWidget(button)
            self._buttons[label.key] = button
        self._layout.addStretch(1)

    def button(self, key: str) -> QToolButton:
        return self._buttons[key]
