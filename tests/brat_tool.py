"""brat's own parser (``annotation.py``), run on claimmark's brat files by the tests.

brat's files are not part of this repository, and its parser needs Python 3.10. Both are found
through the environment:

* ``CLAIMMARK_BRAT_SRC``: the folder holding brat's ``annotation.py`` (``server/src`` of a brat
  checkout);
* ``CLAIMMARK_PYTHON310``: a Python 3.10 interpreter, else ``python3.10`` on the PATH.

Without both, ``brat_parser()`` is None; the checks that need brat's parser
(``tests/core/imports/check_with_brat.py``, run by hand) then fail saying so. The checks against
claimmark's own reader run in every test run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DUMP_SCRIPT = Path(__file__).with_name("brat_annotation_dump.py")
MISSING = (
    "brat's annotation.py needs CLAIMMARK_BRAT_SRC (brat's server/src) and Python 3.10"
    " (CLAIMMARK_PYTHON310 or python3.10 on the PATH)"
)


@dataclass(frozen=True)
class BratParser:
    python: str
    source: Path

    def read(self, documents: list[Path]) -> dict[str, dict]:
        """What brat reads of each document (a path without extension), by that path."""
        done = subprocess.run(
            [self.python, str(DUMP_SCRIPT), str(self.source), *map(str, documents)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@cache
def brat_parser() -> BratParser | None:
    source = os.environ.get("CLAIMMARK_BRAT_SRC")
    python = os.environ.get("CLAIMMARK_PYTHON310") or shutil.which("python3.10")
    if not source or not python or not (Path(source) / "annotation.py").is_file():
        return None
    if not os.environ.get("CLAIMMARK_PYTHON310"):
        # pyenv puts a python3.10 on the PATH that may not run: only one that does counts
        check = [python, "-c", "import sys; assert sys.version_info[:2] == (3, 10)"]
        if subprocess.run(check, capture_output=True, check=False).returncode != 0:
            return None
    return BratParser(python, Path(source))
