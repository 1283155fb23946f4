"""The current span's attributes (a casualty report's figures) as a small form beside the table.

One field per attribute the span's label defines: a line edit for a figure (a number, a range
such as 10–12, or "unknown") and for short text, a list for a choice, a check box for yes/no
(half-checked: not set). Everything works from the keyboard: the desk's key focuses the first
field, Tab moves on, Enter saves every field at once, Esc goes back to the article. A refused
value leaves the form as typed, with the rule it breaks shown under it (plain text: values
and rules can come from an imported file).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.attributes import MAX_TEXT, AttributeDefinition, value_text
from claimmark.core.model import AttributeValues

from .plain_text import plain_tooltip

Field = QLineEdit | QComboBox | QCheckBox


class AttributeForm(QWidget):
    #: Enter pressed (or Save clicked): the span's id and every field's value (None: empty)
    sig_save_requested = Signal(str, dict)
    #: Esc pressed in the form: the annotator is done with it
    sig_done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attributeForm")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.heading = _plain_label(self, "headingLabel")
        self.heading.setStyleSheet("font-weight: bold")
        self._form = QFormLayout()
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem = _plain_label(self, "problemLabel")
        self.problem.setStyleSheet("color: #b00020")
        self.save_button = QPushButton("Save (Enter)", self)
        self.save_button.setObjectName("saveAttributes")
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.heading)
        layout.addLayout(self._form)
        layout.addWidget(self.problem)
        layout.addWidget(self.save_button)
        layout.addStretch(1)
        self._span_id: str | None = None
        self._shown: tuple | None = None
        self.fields: dict[str, Field] = {}
        self.show_span(None, (), AttributeValues(), editable=False, label_name="")

    # ------------------------------------------------------------------ content
    def show_span(
        self,
        span_id: str | None,
        definitions: Sequence[AttributeDefinition],
        values: AttributeValues,
        *,
        editable: bool,
        label_name: str,
    ) -> None:
        """The fields of ``span_id``'s label filled with its values (None: no span current)."""
        shown = (span_id, tuple(definitions), values, editable, label_name)
        if shown == self._shown:
            return  # the caret moved within the same span: keep what is being typed
        self._shown = shown
        had_focus = self.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self._span_id = span_id
        while self._form.rowCount():
            self._form.removeRow(0)
        self.fields = {}
        self.problem.clear()
        if span_id is None:
            self.heading.setText("Attributes: click a span")
        elif not definitions:
            self.heading.setText(f"{label_name} has no attributes")
        elif not editable:
            self.heading.setText(f"Attributes of {label_name} (another layer: read-only)")
        else:
            self.heading.setText(f"Attributes of {label_name}")
        for definition in definitions:
            field = _field(self, definition, values.get(definition.name))
            field.setEnabled(editable)
            field.installEventFilter(self)
            name = _plain_label(self, f"label_{definition.name}")
            name.setText(definition.name.replace("_", " "))
            name.setBuddy(field)
            tip = plain_tooltip(f"{definition.description}\n\nAllowed: {definition.rule}")
            name.setToolTip(tip)
            field.setToolTip(tip)
            self._form.addRow(name, field)
            # Shown now, not on the layout's next turn: the desk's key focuses a field at once.
            name.show()
            field.show()
            self.fields[definition.name] = field
        self.save_button.setEnabled(editable and bool(definitions))
        self.save_button.setVisible(bool(definitions))
        if had_focus and self.fields and editable:
            self.focus_first()

    def focus_first(self) -> bool:
        """Put the keyboard in the first field; False when there is none to edit."""
        for field in self.fields.values():
            if field.isEnabled():
                field.setFocus(Qt.FocusReason.ShortcutFocusReason)
                if isinstance(field, QLineEdit):
                    field.selectAll()
                return True
        return False

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)

    def values(self) -> dict[str, Any]:
        """Every field as typed: None for an empty one (which removes the value)."""
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            if isinstance(field, QLineEdit):
                values[name] = field.text().strip() or None
            elif isinstance(field, QComboBox):
                values[name] = field.currentText() or None
            else:
                state = field.checkState()
                values[name] = (
                    None
                    if state == Qt.CheckState.PartiallyChecked
                    else state == Qt.CheckState.Checked
                )
        return values

    def save(self) -> None:
        if self._span_id is not None and self.save_button.isEnabled():
            self.problem.clear()
            self.sig_save_requested.emit(self._span_id, self.values())

    # ------------------------------------------------------------------ keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            popup_open = isinstance(watched, QComboBox) and watched.view().isVisible()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not popup_open:
                self.save()
                return True
            if key == Qt.Key.Key_Escape and not popup_open:
                self.sig_done.emit()
                return True
        return super().eventFilter(watched, event)


def _plain_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _field(parent: QWidget, definition: AttributeDefinition, value: Any) -> Field:
    field: Field
    if definition.kind == "choice":
        field = QComboBox(parent)
        field.addItem("")
        field.addItems(list(definition.choices))
        if definition.allow_unknown and "unknown" not in definition.choices:
            field.addItem("unknown")
        field.setCurrentIndex(max(0, field.findText(value)) if isinstance(value, str) else 0)
    elif definition.kind == "boolean":
        field = QCheckBox("yes", parent)
        field.setTristate(True)
        field.setCheckState(
            Qt.CheckState.PartiallyChecked
            if value is None or value == "unknown"
            else Qt.CheckState.Checked
            if value
            else Qt.CheckState.Unchecked
        )
    else:
        field = QLineEdit(parent)
        field.setMaxLength(MAX_TEXT)
        field.setPlaceholderText(definition.rule)
        field.setText("" if value is None else value_text(value))
    field.setObjectName(f"attribute_{definition.name}")
    return field
