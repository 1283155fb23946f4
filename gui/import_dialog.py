"""File > Import…: which files and folders to read, in which format and encoding.

The dialog only gathers an ``ImportRequest``; it never touches the project, so the window that
runs the import (with its progress and its summary) stays the one place an import happens. The
file filter and the format list come from core's own tables, so a format core learns to read
appears here without a change. A folder is how brat data come in (``.txt``/``.ann`` pairs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from claimmark.core.formats.decoding import DecodeProblem, check_encoding
from claimmark.core.formats.detect import BY_EXTENSION, FORMATS

#: How each format is named in the combo; a format core adds later shows under its own name.
FORMAT_CAPTIONS = {
    "jsonl": "claimmark JSONL",
    "txt": "Plain text article (first line is the title)",
    "brat": "brat standoff (.txt + .ann pairs)",
    "doccano": "doccano JSONL",
    "labelstudio": "Label Studio JSON",
    "conll": "CoNLL / IOB2",
    "spacy": "spaCy DocBin",
}
DETECT = "Detect automatically"
ENCODINGS = ("utf-8", "cp1252", "latin-1", "utf-16")


def file_filter() -> str:
    """Every extension core reads first (so the default shows them all), then all files."""
    patterns = " ".join(f"*{ext}" for ext in BY_EXTENSION)
    return f"Everything claimmark imports ({patterns});;All files (*)"


@dataclass(frozen=True)
class ImportRequest:
    paths: tuple[Path, ...]
    format: str | None  #: None: detected from each path
    encoding: str
    text_key: str | None  #: Label Studio: the task data key holding the text


class ImportDialog(QDialog):
    sig_import_requested = Signal(object)  # ImportRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import")
        self._last_folder = ""

        self.path_list = QListWidget(self)
        self.path_list.setObjectName("importPaths")
        self.path_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.add_files_button = QPushButton("Add &files…", self)
        self.add_files_button.setObjectName("addFilesButton")
        self.add_files_button.clicked.connect(self.add_files)
        self.add_folder_button = QPushButton("Add f&older…", self)
        self.add_folder_button.setObjectName("addFolderButton")
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setObjectName("removePathButton")
        self.remove_button.clicked.connect(self._remove_selected)
        side = QVBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            side.addWidget(button)
        side.addStretch(1)
        paths_row = QHBoxLayout()
        paths_row.addWidget(self.path_list, 1)
        paths_row.addLayout(side)

        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("importFormat")
        self.format_combo.addItem(DETECT, None)
        for name in FORMATS:
            self.format_combo.addItem(FORMAT_CAPTIONS.get(name, name), name)
        self.encoding_combo = QComboBox(self)
        self.encoding_combo.setObjectName("importEncoding")
        self.encoding_combo.setEditable(True)  # any codec Python knows, checked on Import
        self.encoding_combo.addItems(ENCODINGS)
        self.text_key_edit = QLineEdit(self)
        self.text_key_edit.setObjectName("importTextKey")
        self.text_key_edit.setPlaceholderText("text (else the first string value)")
        form = QFormLayout()
        form.addRow("&Format:", self.format_combo)
        form.addRow("&Encoding:", self.encoding_combo)
        form.addRow("Label Studio &text key:", self.text_key_edit)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("importError")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # quotes what was typed
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        hint = QLabel(
            "Each file (each brat .txt/.ann pair) is imported whole or not at all. "
            "A document whose text is already in the project is skipped.",
            self,
        )
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Files and folders (folders are read with their subfolders):"))
        layout.addLayout(paths_row, 1)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.path_list.model().rowsInserted.connect(self._update_buttons)
        self.path_list.model().rowsRemoved.connect(self._update_buttons)
        self.resize(620, 420)
        self._update_buttons()

    # ------------------------------------------------------------------ paths
    def start(self) -> None:
        """Open afresh: no paths (they were imported), format and encoding as last chosen."""
        self.path_list.clear()
        self.error_label.hide()
        self.open()

    def paths(self) -> list[Path]:
        return [Path(self.path_list.item(i).text()) for i in range(self.path_list.count())]

    def add_paths(self, paths: list[str]) -> None:
        known = {str(p) for p in self.paths()}
        for path in paths:
            if path and path not in known:
                self.path_list.addItem(path)
                known.add(path)
        if paths:
            self._last_folder = str(Path(paths[-1]).parent)

    def add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import files", self._last_folder, file_filter()
        )
        self.add_paths(paths)

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import folder", self._last_folder)
        if folder:
            self.add_paths([folder])
            self._last_folder = folder

    def _remove_selected(self) -> None:
        for item in self.path_list.selectedItems():
            self.path_list.takeItem(self.path_list.row(item))

    def _update_buttons(self) -> None:
        has_paths = self.path_list.count() > 0
        self.import_button.setEnabled(has_paths)
        self.remove_button.setEnabled(has_paths)

    # ------------------------------------------------------------------ the request
    def request(self) -> ImportRequest:
        """What to import; raises ``DecodeProblem`` for an encoding Python does not know."""
        encoding = self.encoding_combo.currentText().strip() or "utf-8"
        check_encoding(encoding)
        return ImportRequest(
            tuple(self.paths()),
            self.format_combo.currentData(),
            encoding,
            self.text_key_edit.text().strip() or None,
        )

    def accept(self) -> None:
        if not self.paths():
            return
        try:
            request = self.request()
        except DecodeProblem as exc:
            self.error_label.setText(f"Cannot import: {exc}")
            self.error_label.show()
            self.encoding_combo.setFocus()
            return
        super().accept()
        self.sig_import_requested.emit(request)
