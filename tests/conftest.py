import os
import tempfile

from hypothesis import configuration, settings

# Qt must never try to open a real display: CI machines and headless runs have none.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis keeps what it learns (found examples, constants) in `.hypothesis/` under the working
# directory by default: tests never write into the checkout, so it lives in the temp folder
# (shared by runs on this machine, so a failure found once is still replayed first next time).
_HOME = os.path.join(tempfile.gettempdir(), "claimmark-hypothesis")
configuration.set_hypothesis_home_dir(_HOME)
# The example database is placed by that home; pin it in a profile so the choice is visible.
settings.register_profile("claimmark", database=settings.default.database)
settings.load_profile("claimmark")
