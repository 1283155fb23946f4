"""Sizes and budgets, in one place: the full run uses the issue's sizes, ``--quick`` a smoke size.

Budgets are the issue's ("Speed and scale, measured"), for a 2-core machine. Quick runs are
compared with the same budgets, but their corpora are smaller, so only a full run says whether
a budget is met.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sizes:
    #: Scenario 1: one article already holding many spans; several label actions per process.
    label_chars: int
    label_spans: int
    label_actions: int
    #: Scenarios 2 and 3: one very long article (cached project), opened then scrolled.
    open_chars: int
    open_spans: int
    #: Scroll at most this many pages (None: the whole article).
    scroll_max_frames: int | None
    #: Scenarios 4, 5, 6: a JSONL corpus split into files, imported into a fresh project.
    import_docs: int
    import_spans_per_doc: int
    import_doc_chars: int
    import_files: int


FULL = Sizes(
    label_chars=200_000,
    label_spans=5_000,
    label_actions=30,
    open_chars=2_000_000,
    open_spans=20_000,
    scroll_max_frames=None,
    import_docs=10_000,
    import_spans_per_doc=10,
    import_doc_chars=2_000,
    import_files=10,
)

QUICK = Sizes(
    label_chars=50_000,
    label_spans=1_250,
    label_actions=10,
    open_chars=200_000,
    open_spans=2_000,
    scroll_max_frames=60,
    import_docs=500,
    import_spans_per_doc=10,
    import_doc_chars=2_000,
    import_files=2,
)


@dataclass(frozen=True)
class Budget:
    scenario: str
    metric: str
    #: "ms", "s", "MB", "ratio" or "count": what ``limit`` is compared with.
    unit: str
    limit: float
    #: True when the limit is exclusive ("< 16 ms") instead of inclusive ("<= 16 ms").
    strict: bool = False

    def passes(self, value: float) -> bool:
        return value < self.limit if self.strict else value <= self.limit

    def describe(self) -> str:
        op = "<" if self.strict else "≤"
        unit = {"ratio": "×", "count": ""}.get(self.unit, f" {self.unit}")
        number = f"{self.limit:g}"
        return f"{op} {number}{unit}"


BUDGETS = [
    Budget("label", "median", "ms", 16),
    Budget("label", "p95", "ms", 33),
    Budget("label_layers", "median", "ms", 16),
    Budget("label_layers", "p95", "ms", 33),
    Budget("open", "ratio", "ratio", 2.0),
    Budget("open_layers", "ratio", "ratio", 2.0),
    Budget("scroll", "median", "ms", 16, strict=True),
    Budget("scroll", "p95", "ms", 16, strict=True),
    Budget("import", "ratio", "ratio", 2.0),
    Budget("import_long", "ratio", "ratio", 2.0),
    Budget("export_jsonl", "ratio", "ratio", 2.0),
    Budget("export_spacy", "ratio", "ratio", 1.3),
    Budget("big_project", "peak_rss", "MB", 400),
    Budget("big_project", "texts_loaded", "count", 1),
    Budget("cold_start", "median", "s", 1.5),
]

DEFAULT_SEED = 20240611
DEFAULT_REPEAT = 5
QUICK_REPEAT = 2

#: Where generated corpora and prebuilt projects are kept between runs.
CACHE_ENV = "CLAIMMARK_BENCH_CACHE"


def cache_root() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or tempfile.gettempdir()
    return Path(base) / "claimmark-bench"


def sizes_dict(sizes: Sizes) -> dict:
    return asdict(sizes)
