"""The guideline beside the span table: what the current span's label means, in the schema's words.

Annotators decide a label by its guideline; a tooltip on a button is read once and forgotten.
With a span current the panel shows its label's description and, for each of its attributes,
what a value must be and what it means; with none, every label's description, in the label
bar's order, so the panel is a short codebook. Guidelines are data (imported, typed by anyone),
so they are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from claimmark.core.attributes import AttributeDefinition
from claimmark.core.model import Label

#: Where a missing guideline is written.
WHERE_TO_WRITE = "Project → Labels and relations…"


class GuidelinePanel(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinePanel")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setPlaceholderText("Guidelines")
        self._labels: dict[str, Label] = {}
        self._definitions: dict[str, list[AttributeDefinition]] = {}
        self._shown: str | None = None

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._labels = {label.key: label for label in labels}
        self.show_label(self._shown)

    def set_definitions(self, definitions: dict[str, list[AttributeDefinition]]) -> None:
        """Each label's attribute definitions, in schema order."""
        self._definitions = definitions
        self.show_label(self._shown)

    def show_label(self, key: str | None) -> None:
        """The guideline of the label ``key``; None: every label's."""
        self._shown = key if key in self._labels else None
        label = self._labels.get(key) if key else None
        if label is not None:
            guideline = label.description or f"No guideline yet: write one in {WHERE_TO_WRITE}"
            text = f"{label.name} ({label.key})\n\n{guideline}"
            attributes = self._definitions.get(label.key, [])
            if attributes:
                lines = ["", "", "Attributes:"]
                for each in attributes:
                    meaning = f" {each.description}" if each.description else ""
                    lines.append(f"• {each.name}: {each.rule}.{meaning}")
                text += "\n".join(lines)
        else:
            lines = ["Guidelines (click a span to see its label's):", ""]
            for each in self._labels.values():
                hotkey = f" [{each.hotkey}]" if each.hotkey else ""
                lines.append(f"{each.name}{hotkey}: {each.description or '(none yet)'}")
            text = "\n".join(lines)
        if text != self.toPlainText():
            self.setPlainText(text)

    @property
    def shown_label(self) -> str | None:
        return self._shown
