"""The open document's adjudication candidates as table rows: state, label, text, who proposed.

A document holds a few dozen candidates and each decision changes the state of one or more of
them, so the model is simply reset from core's ``Candidate`` list after every change; the view
keeps the current row by candidate (offsets and label), not by row number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from claimmark.core.adjudication.candidates import Candidate, CandidateState
from claimmark.core.adjudication.records import CandidateKey
from claimmark.core.model import Label

from .plain_text import one_line, plain_tooltip
from .read_only_table_model import Index, ReadOnlyTableModel

#: Decided rows are greyed: what is left to decide stands out.
_DECIDED_TEXT = QColor("#6b6b6b")


def proposed_by(candidate: Candidate) -> str:
    if candidate.state is CandidateState.GOLD_ONLY:
        return "(curator)"
    return ", ".join(candidate.annotators)


class CandidateTableModel(ReadOnlyTableModel):
    COLUMNS = ("State", "Label", "Text", "Offsets", "Proposed by", "Reason")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[Candidate] = []
        self._labels: dict[str, Label] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.key: label for label in labels}

    def set_candidates(self, candidates: Sequence[Candidate]) -> None:
        self.beginResetModel()
        self._rows = list(candidates)
        self.endResetModel()

    def candidates(self) -> list[Candidate]:
        return list(self._rows)

    def candidate(self, row: int) -> Candidate | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: CandidateKey, *, proposed: bool | None = None) -> int | None:
        """The row of the candidate (or gold span) with these offsets and label."""
        for row, candidate in enumerate(self._rows):
            if candidate.key == key and (proposed is None or candidate.proposed == proposed):
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def _label_name(self, key: str) -> str:
        label = self._labels.get(key)
        return label.name if label else key

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        candidate = self.candidate(index.row()) if index.isValid() else None
        if candidate is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                candidate.state.value,
                self._label_name(candidate.label),
                one_line(candidate.text),
                ", ".join(
                    f"{start}–{end}"
                    for start, end in candidate.fragments or ((candidate.start, candidate.end),)
                ),
                proposed_by(candidate),
                one_line(candidate.reason or ""),
            )[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            label = self._labels.get(candidate.label)
            return QColor(label.color) if label else None
        if role == Qt.ItemDataRole.ForegroundRole and not candidate.state.undecided:
            return _DECIDED_TEXT
        if role == Qt.ItemDataRole.FontRole and candidate.state.disagreement and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 5):
            return plain_tooltip(candidate.text if column == 2 else candidate.reason or "")
        return None
