"""Scenario 7: cold start, from process start to the main window shown.

The worker starts ``python -c SCRIPT`` and notes ``perf_counter()`` just before; the child
prints ``perf_counter()`` from a ``QTimer.singleShot(0)`` queued at the first paint event of
the main window (so after that paint pass), then quits. On Linux ``perf_counter`` is
CLOCK_MONOTONIC, one clock for every process, so the difference is the start-up time.

App: imports ``claimmark.gui.app`` and runs ``run_gui`` (the console script's path:
``Project.open``, ``MainWindow``, ``show``, ``exec``) on a copy of the default sample project.
Baseline: a child that only creates a QApplication and shows an empty QMainWindow.

Process-cold, disk-warm: one untimed child of each kind runs first, so .pyc files exist and the
libraries are in the OS file cache, as on a machine where the app has run before.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from ..corpus import copy_project
from ..measure import Stopwatch

#: ``--profile cold_start`` runs the measured child under cProfile (the whole child).
PROFILES_CHILD = True

_FIRST_PAINT = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class _FirstPaint(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if (not self.seen and event.type() == QEvent.Type.Paint and obj.isWidgetType()
                and isinstance(obj.window(), QMainWindow)):
            self.seen = True
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self.shown)
        return False
    def shown(self):
        print("SHOWN", time.perf_counter(), flush=True)
        QApplication.instance().quit()
"""

APP_SCRIPT = """
import sys
from pathlib import Path
import claimmark.gui.app as gui_app
{first_paint}
app = QApplication(sys.argv)
watcher = _FirstPaint()
app.installEventFilter(watcher)
gui_app.run_gui(Path(sys.argv[1]), "bench")
"""

BASELINE_SCRIPT = """
import sys
{first_paint}
app = QApplication(sys.argv)
watcher = _FirstPaint()
app.installEventFilter(watcher)
window = QMainWindow()
window.resize(1400, 860)
window.show()
app.exec()
"""


def _start(script: str, args: list[str], env: dict, profile: str | None) -> float:
    command = [sys.executable]
    if profile:
        command += ["-m", "cProfile", "-o", profile]
        script_file = Path(env["BENCH_TMP"]) / "cold_start_child.py"
        script_file.write_text(script)
        command += [str(script_file), *args]
    else:
        command += ["-c", script, *args]
    t0 = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    shown = [line for line in done.stdout.splitlines() if line.startswith("SHOWN ")]
    if done.returncode != 0 or not shown:
        raise RuntimeError(f"child failed ({done.returncode}): {done.stderr[-2000:]}")
    return float(shown[-1].split()[1]) - t0


def run(variant: str, params: dict) -> dict:
    tmp = Path(params["tmp"])
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp / "config"),  # QSettings (INI, user scope) lands here
        XDG_DATA_HOME=str(tmp / "data"),  # and the opening backup here
        BENCH_TMP=str(tmp),
    )
    if variant == "app":
        script = APP_SCRIPT.format(first_paint=_FIRST_PAINT)
        args = [str(copy_project(Path(params["project"]), tmp))]
    else:
        script = BASELINE_SCRIPT.format(first_paint=_FIRST_PAINT)
        args = []
    _start(script, args, env, None)  # warm-up: .pyc files and OS file cache, untimed
    watch = Stopwatch()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = _start(script, args, env, params.get("profile"))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    watch.samples.append(seconds * 1000)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    watch.cpu_samples.append(cpu * 1000)  # the whole child, including its exit
    return watch.result({"what": "process start -> first paint + 0 ms"})
