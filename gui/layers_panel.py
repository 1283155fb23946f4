"""The Layers panel: every annotator's layer of the open document, its span count, a checkbox.

The first row is the layer being edited (always shown, its box cannot be cleared); ticking
another row shows that annotator's spans beside yours, read-only and drawn outlined. The panel
observes the open document's model: counts follow every change, whoever made it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from claimmark.core.open_document import OpenDocument, initials

from .plain_text import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
LAYER_ROLE = Qt.ItemDataRole.UserRole + 1


class LayersModel(QAbstractListModel):
    #: the set of other layers the user ticked changed
    sig_shown_layers_changed = Signal(object)

    def __init__(self, document: OpenDocument, parent=None) -> None:
        super().__init__(parent)
        self._document = document
        self._layers: list[str] = []
        self._shown: set[str] = set()
        document.sig_reset.connect(self.refresh)
        document.sig_counts_changed.connect(self._on_counts)

    def layers(self) -> list[str]:
        return list(self._layers)

    def refresh(self) -> None:
        """Re-list the layers (the document, the annotator or the project changed)."""
        layers = self._document.layers()
        shown = set(self._document.shown_layers)
        if layers != self._layers:
            self.beginResetModel()
            self._layers, self._shown = layers, shown
            self.endResetModel()
        else:
            self._shown = shown
            self._on_counts()

    def _on_counts(self) -> None:
        layers = self._document.layers()
        if layers != self._layers:
            self.refresh()
        elif self._layers:
            self.dataChanged.emit(self.index(0), self.index(len(self._layers) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._layers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._layers):
            return None
        layer = self._layers[index.row()]
        own = index.row() == 0
        count: int | str = self._document.layer_counts.get(layer, 0)
        if not own and not self._document.others_complete:
            count = "…"  # counted once the other layers shown beside a new document are read
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{layer} (you) — {count}" if own else f"{layer} — {count}"
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = own or layer in self._shown
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if own:
                return plain_tooltip(f"Your layer ({count} spans here): the one you edit")
            return plain_tooltip(
                f"{layer} [{initials(layer)}]: {count} spans here. Tick to show them outlined,"
                " read-only; Ins copies the current one into your layer."
            )
        if role == LAYER_ROLE:
            return layer
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.row() != 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.row() == 0
            or index.row() >= len(self._layers)
        ):
            return False
        layer = self._layers[index.row()]
        state = value.value if isinstance(value, Qt.CheckState) else value
        if state == Qt.CheckState.Checked.value:
            self._shown.add(layer)
        else:
            self._shown.discard(layer)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.sig_shown_layers_changed.emit(frozenset(self._shown))
        return True

    def set_shown(self, layer: str, shown: bool) -> bool:
        """Tick or clear a layer's box as a click would."""
        if layer not in self._layers:
            return False
        state = Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked
        return self.setData(
            self.index(self._layers.index(layer)), state, Qt.ItemDataRole.CheckStateRole
        )


class LayersPanel(QWidget):
    def __init__(self, document: OpenDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layersPanel")
        heading = QLabel("Layers", self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.model = LayersModel(document, self)
        self.view = QListView(self)
        self.view.setObjectName("layersList")
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(heading)
        layout.addWidget(self.view)
        self.view.setMaximumHeight(110)  # a few annotators; more scroll
