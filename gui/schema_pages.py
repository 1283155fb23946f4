"""The Relations and Attributes pages of *Project → Labels and relations…*.

Like the Labels page, every edit goes to the project at once through core's ``SchemaEditor``
(an audited event under the annotator at the keyboard) and a refusal is said on the page in
plain words, the fields going back to what is stored. A relation type's allowed labels are
ticked in two lists, each tick saved at once; an attribute's rule (kind, choices, bounds,
ranges, unknown) is several fields that only make sense together, so it is saved with *Apply
rule*.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.attributes import ATTRIBUTE_KINDS, AttributeDefinition
from claimmark.core.changes import ChangeSet
from claimmark.core.label_schema import display_name, generated_color
from claimmark.core.model import ClaimmarkError, RelationType
from claimmark.core.project import Project

from .annotation_session import AnnotationSession
from .label_bar import swatch
from .message_boxes import plain_box
from .plain_text import plain_tooltip

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def plain_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _button(text: str, name: str, parent: QWidget, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)  # Return in a field confirms that field only
    button.clicked.connect(slot)
    return button


def ask_text(parent: QWidget, title: str, prompt: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, prompt)
    return text.strip() if ok and text.strip() else None


def ask_choice(parent: QWidget, title: str, prompt: str, items: list[str]) -> str | None:
    item, ok = QInputDialog.getItem(parent, title, prompt, items, 0, False)
    return item if ok else None


def confirm(parent: QWidget, title: str, text: str) -> bool:
    box = plain_box(
        parent,
        title,
        text,
        QMessageBox.Icon.Question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    return box.exec() == QMessageBox.StandardButton.Yes


class _SchemaPage(QWidget):
    """A list on the left, the chosen entry's fields on the right, an error line below."""

    def __init__(self, session: AnnotationSession, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._session = session
        self._filling = False
        self.entry_list = QListWidget(self)
        self.entry_list.setObjectName(f"{name}List")
        self.entry_list.currentItemChanged.connect(self._on_current_item)
        self.error_label = plain_label("", self)
        self.error_label.setObjectName(f"{name}Error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020")
        self.form = QFormLayout()
        self.left = QVBoxLayout()
        self.left.addWidget(self.entry_list, 1)
        right = QVBoxLayout()
        right.addLayout(self.form, 1)
        right.addWidget(self.error_label)
        layout = QHBoxLayout(self)
        layout.addLayout(self.left, 2)
        layout.addLayout(right, 3)

    @property
    def project(self) -> Project:
        return self._session.project

    @property
    def who(self) -> str:
        return self._session.annotator

    def current_key(self) -> str | None:
        item = self.entry_list.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def _fill_list(self, entries: list[tuple[str, str, str, str]], select: str | None) -> None:
        """(key, text, colour or '', tooltip) per entry; keep ``select`` chosen."""
        select = select or self.current_key()
        self._filling = True
        try:
            self.entry_list.clear()
            for key, text, color, tooltip in entries:
                item = QListWidgetItem(text)
                if color:
                    item.setIcon(swatch(color))
                item.setData(KEY_ROLE, key)
                item.setToolTip(plain_tooltip(tooltip))
                self.entry_list.addItem(item)
            keys = [entry[0] for entry in entries]
            if keys:
                self.entry_list.setCurrentRow(keys.index(select) if select in keys else 0)
        finally:
            self._filling = False
        self.fill_form()

    def _on_current_item(self, _current, _previous) -> None:
        if not self._filling:
            self.fill_form()

    def apply(self, operation: Callable[[Project], ChangeSet], select: str | None = None) -> bool:
        """Run one schema change now; show a refusal here. The views hear of it as events."""
        try:
            operation(self.project)
        except ClaimmarkError as exc:
            self.error_label.setText(str(exc))
            self.reload(select)
            return False
        self.error_label.clear()
        self._session.updates.catch_up()
        self.reload(select)
        return True

    def reload(self, select: str | None = None) -> None:
        raise NotImplementedError

    def fill_form(self) -> None:
        raise NotImplementedError


class RelationTypesPage(_SchemaPage):
    """Relation types: name, colour, hotkey, guideline, and the labels each end may carry."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(session, "relationTypes", parent)
        self._types: dict[str, RelationType] = {}
        self.add_button = _button("&Add…", "addRelationTypeButton", self, self.add_type)
        self.remove_button = _button(
            "&Remove", "removeRelationTypeButton", self, self.remove_current
        )
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        self.left.addLayout(row)
        self.key_label = plain_label("", self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("relationTypeName")
        self.name_edit.editingFinished.connect(
            lambda: self._change_field("name", self.name_edit.text())
        )
        self.color_button = _button("", "relationTypeColour", self, self.choose_colour)
        self.hotkey_edit = QLineEdit(self)
        self.hotkey_edit.setObjectName("relationTypeHotkey")
        self.hotkey_edit.setMaxLength(1)
        self.hotkey_edit.setMaximumWidth(48)
        self.hotkey_edit.editingFinished.connect(
            lambda: self._change_field("hotkey", self.hotkey_edit.text() or None)
        )
        self.description_edit = QLineEdit(self)
        self.description_edit.setObjectName("relationTypeDescription")
        self.description_edit.editingFinished.connect(
            lambda: self._change_field("description", self.description_edit.text())
        )
        self.from_list = QListWidget(self)
        self.from_list.setObjectName("relationFromLabels")
        self.to_list = QListWidget(self)
        self.to_list.setObjectName("relationToLabels")
        for ends in (self.from_list, self.to_list):
            ends.itemChanged.connect(self._on_end_ticked)
        self.usage_label = plain_label("", self)
        self.usage_label.setObjectName("relationTypeUsage")
        self.form.addRow("Key:", self.key_label)
        self.form.addRow("&Name:", self.name_edit)
        self.form.addRow("&Colour:", self.color_button)
        self.form.addRow("&Hotkey (after R):", self.hotkey_edit)
        self.form.addRow("Guideline:", self.description_edit)
        self.form.addRow("From (none: any):", self.from_list)
        self.form.addRow("To (none: any):", self.to_list)
        self.form.addRow("Used by:", self.usage_label)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        types = self.project.relation_types()
        self._types = {t.key: t for t in types}
        self._fill_list(
            [
                (t.key, f"{t.name}  [{t.hotkey}]" if t.hotkey else t.name, t.color, t.rule)
                for t in types
            ],
            select,
        )

    def fill_form(self) -> None:
        key = self.current_key()
        chosen = self._types.get(key) if key else None
        for widget in (self.name_edit, self.color_button, self.hotkey_edit, self.remove_button):
            widget.setEnabled(chosen is not None)
        self._filling = True
        try:
            for ends in (self.from_list, self.to_list):
                ends.clear()
            if chosen is None:
                return
            self.key_label.setText(chosen.key)
            self.name_edit.setText(chosen.name)
            self.color_button.setIcon(swatch(chosen.color, 16))
            self.color_button.setText(chosen.color)
            self.hotkey_edit.setText(chosen.hotkey or "")
            self.description_edit.setText(chosen.description)
            self.description_edit.setCursorPosition(0)  # a long guideline reads from its start
            for ends, allowed in (
                (self.from_list, chosen.from_labels),
                (self.to_list, chosen.to_labels),
            ):
                for label in self.project.labels():
                    item = QListWidgetItem(swatch(label.color), label.name)
                    item.setData(KEY_ROLE, label.key)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    ticked = label.key in allowed
                    item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                    ends.addItem(item)
            used = self.project.schema.relation_type_usage(chosen.key)
            self.usage_label.setText(f"{used} relation{'s' if used != 1 else ''}")
        finally:
            self._filling = False

    def _change_field(self, field: str, value) -> None:
        key = self.current_key()
        if key is None or self._filling or getattr(self._types[key], field) == value:
            return
        self.apply(
            lambda p: p.schema.change_relation_type(key, annotator=self.who, **{field: value}),
            key,
        )

    def _on_end_ticked(self, _item) -> None:
        if self._filling:
            return
        key = self.current_key()
        if key is None:
            return

        def ticked(ends: QListWidget) -> list[str]:
            return [
                ends.item(i).data(KEY_ROLE)
                for i in range(ends.count())
                if ends.item(i).checkState() == Qt.CheckState.Checked
            ]

        from_labels, to_labels = ticked(self.from_list), ticked(self.to_list)
        self.apply(
            lambda p: p.schema.change_relation_type(
                key, from_labels=from_labels, to_labels=to_labels, annotator=self.who
            ),
            key,
        )

    def choose_colour(self) -> None:
        key = self.current_key()
        if key is None:
            return
        chosen = self._types[key]
        colour = QColorDialog.getColor(QColor(chosen.color), self, f"Colour of {chosen.key}")
        if colour.isValid():
            self._change_field("color", colour.name())

    def add_type(self) -> None:
        key = ask_text(
            self,
            "Add relation type",
            "Key of the new relation type (lower-case letters, digits and _, e.g. supports).",
        )
        if key is None:
            return
        new = RelationType(key, display_name(key), generated_color(key))
        self.apply(lambda p: p.add_relation_type(new, annotator=self.who), key)

    def remove_current(self) -> None:
        key = self.current_key()
        if key is not None:
            self.apply(lambda p: p.schema.remove_relation_type(key, annotator=self.who))


class AttributesPage(_SchemaPage):
    """Attribute definitions: each label's typed fields, their rules and meanings."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(session, "attributes", parent)
        self._definitions: dict[str, AttributeDefinition] = {}
        self.add_button = _button("&Add…", "addAttributeButton", self, self.add_attribute)
        self.remove_button = _button("&Remove…", "removeAttributeButton", self, self.remove_current)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        self.left.addLayout(row)
        self.name_label = plain_label("", self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("attributeKind")
        self.kind_combo.addItems(list(ATTRIBUTE_KINDS))
        self.choices_edit = QLineEdit(self)
        self.choices_edit.setObjectName("attributeChoices")
        self.choices_edit.setPlaceholderText("for a choice: comma-separated")
        self.minimum_edit = QLineEdit(self)
        self.minimum_edit.setObjectName("attributeMinimum")
        self.maximum_edit = QLineEdit(self)
        self.maximum_edit.setObjectName("attributeMaximum")
        self.range_box = QCheckBox("ranges such as 10–12", self)
        self.range_box.setObjectName("attributeAllowRange")
        self.unknown_box = QCheckBox("“unknown”", self)
        self.unknown_box.setObjectName("attributeAllowUnknown")
        self.description_edit = QLineEdit(self)
        self.description_edit.setObjectName("attributeDescription")
        self.apply_button = _button("Apply &rule", "applyAttributeButton", self, self.apply_rule)
        self.usage_label = plain_label("", self)
        self.usage_label.setObjectName("attributeUsage")
        self.form.addRow("Attribute:", self.name_label)
        self.form.addRow("&Kind:", self.kind_combo)
        self.form.addRow("&Choices:", self.choices_edit)
        self.form.addRow("Mi&nimum:", self.minimum_edit)
        self.form.addRow("Ma&ximum:", self.maximum_edit)
        self.form.addRow("Allow:", self.range_box)
        self.form.addRow("", self.unknown_box)
        self.form.addRow("&Meaning:", self.description_edit)
        self.form.addRow("", self.apply_button)
        self.form.addRow("Values held:", self.usage_label)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        definitions = self.project.attribute_definitions()
        self._definitions = {f"{d.label}.{d.name}": d for d in definitions}
        self._fill_list(
            [
                (f"{d.label}.{d.name}", f"{d.label} · {d.name} ({d.kind})", "", d.description)
                for d in definitions
            ],
            select,
        )

    def fill_form(self) -> None:
        key = self.current_key()
        chosen = self._definitions.get(key) if key else None
        for widget in (self.apply_button, self.remove_button, self.kind_combo):
            widget.setEnabled(chosen is not None)
        if chosen is None:
            return
        self.name_label.setText(f"{chosen.label}.{chosen.name}: {chosen.rule}")
        self.kind_combo.setCurrentText(chosen.kind)
        self.choices_edit.setText(", ".join(chosen.choices))
        self.minimum_edit.setText("" if chosen.minimum is None else str(chosen.minimum))
        self.maximum_edit.setText("" if chosen.maximum is None else str(chosen.maximum))
        self.range_box.setChecked(chosen.allow_range)
        self.unknown_box.setChecked(chosen.allow_unknown)
        self.description_edit.setText(chosen.description)
        self.description_edit.setCursorPosition(0)
        held = self.project.schema.attribute_usage(chosen.label, chosen.name)
        self.usage_label.setText(f"{held} span{'s' if held != 1 else ''}")

    def apply_rule(self) -> None:
        key = self.current_key()
        if key is None:
            return
        chosen = self._definitions[key]
        bounds = []
        for edit, what in ((self.minimum_edit, "minimum"), (self.maximum_edit, "maximum")):
            text = edit.text().strip()
            try:
                bounds.append(int(text) if text else None)
            except ValueError:
                self.error_label.setText(f"the {what} must be a whole number, not {text!r}")
                return
        choices = [c.strip() for c in self.choices_edit.text().split(",") if c.strip()]
        fields = {
            "kind": self.kind_combo.currentText(),
            "choices": choices,
            "minimum": bounds[0],
            "maximum": bounds[1],
            "allow_range": self.range_box.isChecked(),
            "allow_unknown": self.unknown_box.isChecked(),
            "description": self.description_edit.text(),
        }
        self.apply(
            lambda p: p.schema.change_attribute(
                chosen.label, chosen.name, annotator=self.who, **fields
            ),
            key,
        )

    def add_attribute(self) -> None:
        labels = [label.key for label in self.project.labels()]
        label = ask_choice(self, "Add attribute", "Label the attribute belongs to:", labels)
        if label is None:
            return
        name = ask_text(
            self,
            "Add attribute",
            "Name of the new attribute (lower-case letters, digits and _, e.g. weapon).\n"
            "It starts as short text; choose its kind and rule, then Apply rule.",
        )
        if name is None:
            return
        new = AttributeDefinition(label=label, name=name, kind="text")
        self.apply(lambda p: p.add_attribute_definition(new, annotator=self.who), f"{label}.{name}")

    def remove_current(self) -> None:
        key = self.current_key()
        if key is None:
            return
        chosen = self._definitions[key]
        held = self.project.schema.attribute_usage(chosen.label, chosen.name)
        if held and not confirm(
            self,
            "Remove attribute",
            f"{held} span{'s hold' if held != 1 else ' holds'} a value of {key}, in everyone's"
            " layer. Remove the attribute and drop those values? This is a schema change: it"
            " is recorded under your name and cannot be undone with Ctrl+Z.",
        ):
            return
        self.apply(
            lambda p: p.schema.remove_attribute(
                chosen.label, chosen.name, drop_values=bool(held), annotator=self.who
            )
        )
