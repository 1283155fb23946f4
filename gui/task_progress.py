"""A window-modal progress box for a ``TaskRunner`` run: what is happening, how far, Cancel.

It appears only after ``DELAY_MS``, so a one-file import does not flash a window, and closes
itself when the run ends. Unlike ``QProgressDialog``, updating it never turns the event loop
(a modal ``QProgressDialog.setValue`` calls ``processEvents``). Its label is plain text: file
names come from disk.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from .task_runner import TaskRunner

DELAY_MS = 400


class TaskProgress(QDialog):
    def __init__(
        self, runner: TaskRunner, title: str, text: str, parent: QWidget, *, name: str
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._runner = runner
        self.label = QLabel(text, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # busy until the first report says how much there is
        self.bar.setFormat("%v / %m")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelTaskButton")
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())
        runner.sig_progress.connect(self._on_progress)
        runner.sig_running_changed.connect(self._on_running_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._appear)
        self._timer.start()

    def _appear(self) -> None:
        if self._runner.is_running():
            self.show()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if text:
            self.label.setText(text)

    def _on_running_changed(self, running: bool) -> None:
        if not running:
            self._timer.stop()
            self.hide()
            self._runner.sig_progress.disconnect(self._on_progress)
            self._runner.sig_running_changed.disconnect(self._on_running_changed)
            self.deleteLater()

    def reject(self) -> None:
        """Cancel (or Esc): the work stops at its next safe point, then this box closes."""
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling after the current step…")
        self._runner.cancel()
