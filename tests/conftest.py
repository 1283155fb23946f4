import os

# Qt must never try to open a real display: CI machines and headless runs have none.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
