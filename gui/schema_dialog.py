"""Project → Labels and relations…: the label schema (labels here, relation types and attributes
in ``schema_pages``), edited in place.

Every edit goes to the project at once through core's ``SchemaEditor`` (one audited event each,
under the annotator at the keyboard) and then reaches the window the way every change does, as
events through the session's updates: the label bar, the highlighting and the span table follow
by themselves. A refused edit (a hotkey another label holds, a colour that is not one) is
said in the dialog in plain words and the field goes back to what is stored. Names and
guidelines come from files anyone can write, so everything here is plain text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.changes import ChangeSet
from claimmark.core.event_kinds import (
    ATTRIBUTE_EFFECTS,
    LABEL_EFFECTS,
    RELATION_TYPE_EFFECTS,
    Effect,
    EventKind,
)
from claimmark.core.label_schema import display_name, generated_color
from claimmark.core.model import ClaimmarkError, Event, Label, LabelKey
from claimmark.core.project import Project

from .annotation_session import AnnotationSession
from .label_bar import swatch
from .plain_text import plain_tooltip
from .schema_pages import (
    KEY_ROLE,
    AttributesPage,
    RelationTypesPage,
    ask_text,
    confirm,
    plain_label,
)


class _GuidelineEdit(QPlainTextEdit):
    """Plain text; Ctrl+Enter saves (Enter is a new line in a guideline)."""

    sig_save_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.accept()
            self.sig_save_requested.emit()
            return
        super().keyPressEvent(event)


class RemoveLabelDialog(QDialog):
    """Removing a label spans use: say how many, in how many layers, and where they go."""

    def __init__(
        self,
        label: Label,
        usage: dict[str, int],
        targets: list[Label],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("removeLabelDialog")
        self.setWindowTitle("Remove label")
        spans = sum(usage.values())
        layers = len(usage)
        text = (
            f"“{label.name}” ({label.key}) is used by {spans} span{'s' if spans != 1 else ''}"
            f" in {layers} layer{'s' if layers != 1 else ''} ({', '.join(sorted(usage))})."
            " To remove it, every one of them, in everyone's layer, is moved to the label:"
        )
        message = plain_label(text, self)
        message.setWordWrap(True)
        self.target_combo = QComboBox(self)
        self.target_combo.setObjectName("moveTargetCombo")
        for target in targets:
            self.target_combo.addItem(swatch(target.color), target.name, target.key)
        message.setBuddy(self.target_combo)
        note = plain_label(
            "This is a schema change: it is recorded under your name and cannot be undone with"
            " Ctrl+Z. A span that would then be identical to another in its layer is merged"
            " into it.",
            self,
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.remove_button = buttons.addButton(
            "Move spans and remove", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.remove_button.setObjectName("moveAndRemoveButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.target_combo)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(440, 200)

    def target(self) -> str:
        return self.target_combo.currentData()


def choose_move_target(
    parent: QWidget, label: Label, usage: dict[str, int], targets: list[Label]
) -> str | None:
    """The label to move ``label``'s spans to, or None when the user cancelled."""
    dialog = RemoveLabelDialog(label, usage, targets, parent)
    try:
        return dialog.target() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def confirm_removal(parent: QWidget, label: Label) -> bool:
    return confirm(
        parent, "Remove label", f"Remove the label “{label.name}” ({label.key})? No span uses it."
    )


def ask_new_key(parent: QWidget) -> str | None:
    return ask_text(
        parent,
        "Add label",
        "Key of the new label (lower-case letters, digits and _, e.g. threat).\n"
        "The key never changes; its display name, colour and hotkey can.",
    )


class LabelsPage(QWidget):
    """The labels: list in label-bar order on the left, the chosen one's fields on the right."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelsPage")
        self._session = session
        self._labels: dict[str, Label] = {}
        self._filling = False

        self.label_list = QListWidget(self)
        self.label_list.setObjectName("labelList")
        self.label_list.installEventFilter(self)
        self.label_list.currentItemChanged.connect(self._on_current_item)
        self.up_button = QPushButton("Move &up", self)
        self.up_button.setObjectName("moveUpButton")
        self.up_button.setToolTip("Alt+Up")
        self.up_button.clicked.connect(lambda: self._move_current(-1))
        self.down_button = QPushButton("Move &down", self)
        self.down_button.setObjectName("moveDownButton")
        self.down_button.setToolTip("Alt+Down")
        self.down_button.clicked.connect(lambda: self._move_current(1))
        self.add_button = QPushButton("&Add…", self)
        self.add_button.setObjectName("addLabelButton")
        self.add_button.clicked.connect(self.add_label)
        self.remove_button = QPushButton("&Remove…", self)
        self.remove_button.setObjectName("removeLabelButton")
        self.remove_button.clicked.connect(self.remove_current)

        self.key_label = plain_label("", self)
        self.key_label.setObjectName("labelKey")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("labelName")
        self.name_edit.editingFinished.connect(self._commit_name)
        self.color_button = QPushButton(self)
        self.color_button.setObjectName("labelColour")
        self.color_button.clicked.connect(self.choose_colour)
        self.hotkey_edit = QLineEdit(self)
        self.hotkey_edit.setObjectName("labelHotkey")
        self.hotkey_edit.setMaxLength(1)
        self.hotkey_edit.setMaximumWidth(48)
        self.hotkey_edit.setToolTip("One character; empty: no hotkey")
        self.hotkey_edit.editingFinished.connect(self._commit_hotkey)
        self.description_edit = _GuidelineEdit(self)
        self.description_edit.setObjectName("labelDescription")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText("The annotation guideline for this label")
        self.description_edit.sig_save_requested.connect(self.commit_description)
        self.save_description_button = QPushButton("&Save guideline", self)
        self.save_description_button.setObjectName("saveDescriptionButton")
        self.save_description_button.setToolTip("Ctrl+Enter")
        self.save_description_button.clicked.connect(self.commit_description)
        self.usage_label = plain_label("", self)
        self.usage_label.setObjectName("labelUsage")
        self.error_label = plain_label("", self)
        self.error_label.setObjectName("schemaError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020")

        # Return in a field confirms that field only: no button of the dialog is the default
        for button in (
            self.up_button,
            self.down_button,
            self.add_button,
            self.remove_button,
            self.color_button,
            self.save_description_button,
        ):
            button.setAutoDefault(False)

        left = QVBoxLayout()
        left.addWidget(self.label_list, 1)
        order_row = QHBoxLayout()
        order_row.addWidget(self.up_button)
        order_row.addWidget(self.down_button)
        left.addLayout(order_row)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.add_button)
        edit_row.addWidget(self.remove_button)
        left.addLayout(edit_row)

        form = QFormLayout()
        form.addRow("Key:", self.key_label)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Colour:", self.color_button)
        form.addRow("&Hotkey:", self.hotkey_edit)
        form.addRow("Guideline:", self.description_edit)
        form.addRow("", self.save_description_button)
        form.addRow("Used by:", self.usage_label)
        right = QVBoxLayout()
        right.addLayout(form, 1)
        right.addWidget(self.error_label)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self.reload()

    # ------------------------------------------------------------------ reading
    @property
    def project(self) -> Project:
        return self._session.project

    def current_key(self) -> str | None:
        item = self.label_list.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def reload(self, select: str | None = None) -> None:
        """Re-read the labels (after any change, own or elsewhere) and keep one chosen."""
        select = select or self.current_key()
        labels = self.project.labels()
        self._labels = {label.key: label for label in labels}
        self._filling = True
        try:
            self.label_list.clear()
            for label in labels:
                text = f"{label.name}  [{label.hotkey}]" if label.hotkey else label.name
                item = QListWidgetItem(swatch(label.color), text)
                item.setData(KEY_ROLE, label.key)
                item.setToolTip(plain_tooltip(label.description or label.name))
                self.label_list.addItem(item)
            keys = [label.key for label in labels]
            row = keys.index(select) if select in keys else 0
            if labels:
                self.label_list.setCurrentRow(row)
        finally:
            self._filling = False
        self._fill_form()

    def _fill_form(self) -> None:
        key = self.current_key()
        label = self._labels.get(key) if key else None
        for widget in (
            self.name_edit,
            self.color_button,
            self.hotkey_edit,
            self.description_edit,
            self.save_description_button,
            self.remove_button,
        ):
            widget.setEnabled(label is not None)
        if label is None:
            return
        self.key_label.setText(label.key)
        self.name_edit.setText(label.name)
        self.color_button.setIcon(swatch(label.color, 16))
        self.color_button.setText(label.color)
        self.hotkey_edit.setText(label.hotkey or "")
        self.description_edit.setPlainText(label.description)
        self.show_usage()

    def show_usage(self) -> None:
        key = self.current_key()
        if key is None:
            self.usage_label.clear()
            return
        usage = self.project.schema.usage_by_layer(key)
        spans = sum(usage.values())
        self.usage_label.setText(
            f"{spans} span{'s' if spans != 1 else ''} in {len(usage)}"
            f" layer{'s' if len(usage) != 1 else ''}"
        )

    def _on_current_item(self, current, previous) -> None:
        if self._filling:
            return
        if previous is not None:
            self._commit_description_of(previous.data(KEY_ROLE))
        self._fill_form()

    # ------------------------------------------------------------------ changing
    def _apply(self, operation: Callable[[Project], ChangeSet], select: str | None = None) -> bool:
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

    def _change(self, key: str, select: str | None = None, **fields) -> bool:
        who = self._session.annotator
        return self._apply(
            lambda p: p.schema.change_label(key, annotator=who, **fields), select or key
        )

    def _commit_name(self) -> None:
        key = self.current_key()
        if key is not None and self.name_edit.text() != self._labels[key].name:
            self._change(key, name=self.name_edit.text())

    def _commit_hotkey(self) -> None:
        key = self.current_key()
        hotkey = self.hotkey_edit.text() or None
        if key is not None and hotkey != self._labels[key].hotkey:
            self._change(key, hotkey=hotkey)

    def commit_description(self) -> None:
        key = self.current_key()
        if key is not None:
            self._commit_description_of(key)

    def _commit_description_of(self, key: str) -> None:
        label = self._labels.get(key)
        text = self.description_edit.toPlainText()
        if label is not None and text != label.description:
            self._change(key, select=self.current_key(), description=text)

    def choose_colour(self) -> None:
        key = self.current_key()
        if key is None:
            return
        label = self._labels[key]
        colour = QColorDialog.getColor(QColor(label.color), self, f"Colour of {label.key}")
        if colour.isValid():
            self._change(key, color=colour.name())

    def _move_current(self, step: int) -> None:
        key = self.current_key()
        if key is None:
            return
        position = self.label_list.currentRow() + 1 + step
        if not 1 <= position <= self.label_list.count():
            return
        who = self._session.annotator
        self._apply(lambda p: p.schema.move_label(key, position, annotator=who), key)

    def add_label(self) -> None:
        key = ask_new_key(self)
        if key is None:
            return
        label = Label(LabelKey(key), display_name(key), generated_color(key))
        who = self._session.annotator
        if self._apply(lambda p: p.add_label(label, annotator=who), key):
            self.name_edit.setFocus()
            self.name_edit.selectAll()

    def remove_current(self) -> None:
        key = self.current_key()
        if key is None:
            return
        label = self._labels[key]
        usage = self.project.schema.usage_by_layer(key)
        who = self._session.annotator
        if not usage:
            if confirm_removal(self, label):
                self._apply(lambda p: p.schema.remove_label(key, annotator=who))
            return
        targets = [other for other in self._labels.values() if other.key != key]
        if not targets:
            self.error_label.setText("The only label cannot be removed while spans use it.")
            return
        target = choose_move_target(self, label, usage, targets)
        if target is not None:
            self._apply(
                lambda p: p.schema.remove_label(key, move_spans_to=target, annotator=who), target
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Alt+Up / Alt+Down in the list move the chosen label."""
        if (
            watched is self.label_list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            self._move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)


class SchemaDialog(QDialog):
    """The project's labels (and, as they arrive, relation types and attributes)."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("schemaDialog")
        self.setWindowTitle("Labels and relations")
        self.tabs = QTabWidget(self)
        self.labels_page = LabelsPage(session, self.tabs)
        self.tabs.addTab(self.labels_page, "&Labels")
        self.relations_page = RelationTypesPage(session, self.tabs)
        self.tabs.addTab(self.relations_page, "Rela&tions")
        self.attributes_page = AttributesPage(session, self.tabs)
        self.tabs.addTab(self.attributes_page, "Attri&butes")
        intro = plain_label(
            "Changes are saved at once and recorded under your name; they apply to everyone"
            " working on this project and are not undone with Ctrl+Z.",
            self,
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        session.updates.sig_events_arrived.connect(self._on_events)
        self.resize(760, 520)

    def _on_events(self, events: list[Event]) -> None:
        """Another window or a CLI command may change the schema too: show what the file
        holds (the usage count follows span changes)."""
        effects: set[Effect] = set()
        for event in events:
            try:
                effects.add(EventKind.of(event.kind).effect)
            except ValueError:
                continue  # written by a newer claimmark
        if effects & LABEL_EFFECTS:
            self.labels_page.reload()
            self.relations_page.reload()  # the labels each end may carry
            self.attributes_page.reload()
        else:
            self.labels_page.show_usage()
        if effects & (RELATION_TYPE_EFFECTS | {Effect.RELATION_INSERT, Effect.RELATION_DELETE}):
            self.relations_page.reload()
        if effects & ATTRIBUTE_EFFECTS or Effect.SPAN_UPDATE in effects:
            self.attributes_page.reload()

    def done(self, result: int) -> None:
        self.labels_page.commit_description()  # a guideline typed but not saved is kept
        super().done(result)
