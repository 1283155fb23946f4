"""The agreement report as Qt tables: pairs, two heatmaps, and the disagreements behind them.

Heatmap cells are coloured on one scale, red (−1 and below 0) through amber (0.5) to green (1),
so a low number stands out before it is read; an undefined measure is grey and says why in its
tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from claimmark.core.agreement.report import Disagreement

from .plain_text import one_line, plain_tooltip
from .read_only_table_model import Index, ReadOnlyTableModel

_UNDEFINED = QColor("#d9d9d9")


def score_color(value: float | None) -> QColor:
    if value is None:
        return _UNDEFINED
    v = max(0.0, min(1.0, value))
    hue = 120 * v  # 0 red → 60 amber → 120 green
    return QColor.fromHsv(int(hue), 90, 245)


def number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


class PairsModel(ReadOnlyTableModel):
    COLUMNS = (
        "Annotator A",
        "Annotator B",
        "Documents",
        "F1 strict",
        "F1 exact",
        "F1 partial",
        "F1 type",
        "Cohen κ",
    )
    _MODES = ("strict", "exact", "partial", "type")

    def __init__(self) -> None:
        super().__init__()
        self._pairs: list[dict[str, Any]] = []

    def set_pairs(self, pairs: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._pairs = list(pairs)
        self.endResetModel()

    def pair(self, row: int) -> dict[str, Any]:
        return self._pairs[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._pairs)

    def _value(self, pair: dict[str, Any], column: int) -> float | None:
        if 3 <= column <= 6:
            return pair["f1"][self._MODES[column - 3]]
        return pair["cohen_kappa"]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        pair, column = self._pairs[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column < 2:
                return pair["a" if column == 0 else "b"]
            if column == 2:
                return str(pair["documents"])
            return number(self._value(pair, column))
        if role == Qt.ItemDataRole.BackgroundRole and column >= 3:
            return score_color(self._value(pair, column))
        if role == Qt.ItemDataRole.ToolTipRole and column == 7 and pair["cohen_kappa"] is None:
            return plain_tooltip(pair.get("reasons", {}).get("cohen_kappa", ""))
        return None


class MatrixModel(ReadOnlyTableModel):
    """A square or rectangular heatmap: rows × columns of numbers, with a tooltip per cell."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[str] = []
        self._columns: list[str] = []
        self._cells: dict[tuple[int, int], tuple[float | None, str]] = {}

    def set_matrix(
        self,
        rows: Sequence[str],
        columns: Sequence[str],
        cells: dict[tuple[int, int], tuple[float | None, str]],
    ) -> None:
        self.beginResetModel()
        self._rows, self._columns, self._cells = list(rows), list(columns), dict(cells)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        names = self._columns if orientation == Qt.Orientation.Horizontal else self._rows
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self._cells.get((index.row(), index.column()))
        if cell is None:
            return None
        value, tip = cell
        if role == Qt.ItemDataRole.DisplayRole:
            return "—" if tip == "self" else number(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor("#f4f4f4") if tip == "self" else score_color(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole and tip and tip != "self":
            return plain_tooltip(tip)
        return None


def annotator_matrix(report: dict[str, Any], measure: str) -> tuple[list[str], dict]:
    """annotator × annotator: a pair's F1 (``strict``…) or ``cohen_kappa``, the same both ways."""
    names = list(report["annotators"])
    cells: dict[tuple[int, int], tuple[float | None, str]] = {}
    for i in range(len(names)):
        cells[(i, i)] = (None, "self")
    for pair in report["pairs"]:
        i, j = names.index(pair["a"]), names.index(pair["b"])
        value = pair["cohen_kappa"] if measure == "cohen_kappa" else pair["f1"][measure]
        reason = pair.get("reasons", {}).get(measure, "")
        tip = f"{pair['a']} – {pair['b']}: {number(value)} over {pair['documents']} document(s)"
        if reason:
            tip += f" ({reason})"
        cells[(i, j)] = cells[(j, i)] = (value, tip)
    return names, cells


LABEL_MEASURES = (
    ("f1_strict", "F1 strict"),
    ("krippendorff_alpha", "Krippendorff α"),
    ("alpha_u", "αu"),
)


def label_matrix(
    report: dict[str, Any], names: dict[str, str]
) -> tuple[list[str], list[str], dict]:
    """label × measure."""
    labels = list(report["per_label"])
    cells: dict[tuple[int, int], tuple[float | None, str]] = {}
    for i, label in enumerate(labels):
        entry = report["per_label"][label]
        for j, (key, caption) in enumerate(LABEL_MEASURES):
            reason = entry.get("reasons", {}).get(key, "")
            tip = f"{names.get(label, label)}, {caption}: {number(entry[key])}"
            cells[(i, j)] = (entry[key], f"{tip} ({reason})" if reason else tip)
    return [names.get(k, k) for k in labels], [c for _, c in LABEL_MEASURES], cells


_KINDS = {
    "missing": "not in the other layer",
    "label": "other label, same span",
    "boundaries": "other boundaries",
}


class DisagreementModel(ReadOnlyTableModel):
    COLUMNS = ("Document", "Annotator", "Compared with", "Label", "What differs", "Text")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Disagreement] = []
        self._titles: dict[str, str] = {}
        self._names: dict[str, str] = {}

    def set_rows(
        self, rows: Sequence[Disagreement], titles: dict[str, str], names: dict[str, str]
    ) -> None:
        self.beginResetModel()
        self._rows, self._titles, self._names = list(rows), titles, names
        self.endResetModel()

    def disagreement(self, row: int) -> Disagreement:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                one_line(self._titles.get(d.document_id, d.document_id), 60),
                d.annotator,
                d.other,
                self._names.get(d.label, d.label),
                _KINDS[d.kind],
                one_line(d.text),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (0, 5):
            return plain_tooltip(d.text if index.column() == 5 else d.document_id)
        return None
