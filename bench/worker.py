"""One measurement in a fresh process: ``python -m bench.worker SCENARIO VARIANT PARAMS_JSON``.

Prints its result as the last stdout line, prefixed with ``BENCH-RESULT``. Running each
(scenario, variant, repeat) in its own process means no run warms the next: Python imports,
Qt's font and glyph caches, SQLite's page cache inside the process all start cold every time
(the OS file cache does not: the corpora are read once before the first run).
"""

from __future__ import annotations

import cProfile
import importlib
import json
import os
import sys
import traceback

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from . import measure

RESULT_PREFIX = "BENCH-RESULT "

MODULES = {
    "label": "label_action",
    "label_layers": "layers",
    "open_layers": "layers",
    "open": "open_document",
    "scroll": "scroll",
    "import": "import_corpus",
    "import_long": "import_corpus",
    "export_jsonl": "export",
    "export_spacy": "export",
    "big_project": "big_project",
    "cold_start": "cold_start",
}


def main(argv: list[str]) -> int:
    scenario, variant, raw = argv
    params = json.loads(raw)
    params["scenario"] = scenario
    profile_path = params.get("profile")
    module = importlib.import_module(f"bench.scenarios.{MODULES[scenario]}")
    # A scenario that measures a child process profiles that child itself.
    if profile_path and not getattr(module, "PROFILES_CHILD", False):
        measure.profiler = cProfile.Profile()
    try:
        result = module.run(variant, params)
    except Exception:
        traceback.print_exc()
        return 1
    if measure.profiler is not None:
        measure.profiler.dump_stats(profile_path)
    result["peak_rss_mb"] = measure.peak_rss_mb()
    result["loadavg_1min"] = os.getloadavg()[0]
    sys.stdout.flush()
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    # Skip interpreter teardown: destroying a window full of Qt objects costs seconds and is
    # nothing the user waits for.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
