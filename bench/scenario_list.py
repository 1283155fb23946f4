"""The scenarios in the order they run, with the artefact each needs and its parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import corpus
from .config import Sizes


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    #: Builds (or finds in the cache) what the scenario runs on; returns worker parameters.
    prepare: Callable[[int, Sizes, Callable[[str], None]], dict]
    #: Runs per variant in a full run when ``--repeat`` is not given (None: the default).
    #: Scenarios judged on one sample per run get more: on a machine whose speed drifts by a
    #: third from minute to minute, five medians of single samples swing by ±0.2 in ratio.
    repeat: int | None = None
    #: The variants run per repeat; the first baseline named after "app" is the budget's.
    variants: tuple[str, ...] = ("app", "baseline")


def _label(seed: int, sizes: Sizes, log) -> dict:
    return {"project": str(corpus.label_project(seed, sizes, log)), "actions": sizes.label_actions}


def _label_layers(seed: int, sizes: Sizes, log) -> dict:
    return {
        "project": str(corpus.layers_project(seed, sizes, log)),
        "actions": sizes.label_actions,
    }


def _open_layers(seed: int, sizes: Sizes, log) -> dict:
    return {"project": str(corpus.layers_project(seed, sizes, log))}


def _open(seed: int, sizes: Sizes, log) -> dict:
    return {"project": str(corpus.open_project(seed, sizes, log))}


def _scroll(seed: int, sizes: Sizes, log) -> dict:
    return _open(seed, sizes, log) | {"max_frames": sizes.scroll_max_frames}


def _import(seed: int, sizes: Sizes, log) -> dict:
    folder = corpus.import_corpus(seed, sizes, log)
    return {"corpus": str(folder), "corpus_mb": corpus.corpus_bytes(folder) / 1e6}


def _import_long(seed: int, sizes: Sizes, log) -> dict:
    folder = corpus.long_import_corpus(seed, sizes, log)
    return {"corpus": str(folder), "corpus_mb": corpus.corpus_bytes(folder) / 1e6}


def _imported(seed: int, sizes: Sizes, log) -> dict:
    return {"project": str(corpus.imported_project(seed, sizes, log))}


def _exported(seed: int, sizes: Sizes, log) -> dict:
    bare = corpus.bare_loaded(corpus.import_corpus(seed, sizes, log), log)
    return _imported(seed, sizes, log) | {"bare": str(bare)}


def _sample(seed: int, sizes: Sizes, log) -> dict:
    return {"project": str(corpus.sample_project(log))}


#: The bare loader (the budget's baseline) and the full-row baseline of earlier runs.
_BARE_TOO = ("app", "bare", "baseline")

SCENARIOS = [
    Scenario("label", "1 Label action (hotkey → saved + drawn)", _label),
    Scenario(
        "label_layers", "1b Label near the end, 2 other layers + history shown", _label_layers
    ),
    Scenario("open", "2 Open long document", _open, repeat=9),
    Scenario("open_layers", "2b Open long document, 3 layers shown", _open_layers, repeat=9),
    Scenario("scroll", "3 Scroll long document (per frame)", _scroll),
    Scenario("import", "4 Import JSONL corpus", _import, repeat=9, variants=_BARE_TOO),
    Scenario(
        "import_long", "4 Import one long document", _import_long, repeat=9, variants=_BARE_TOO
    ),
    Scenario("export_jsonl", "5 Export JSONL", _exported, repeat=9, variants=_BARE_TOO),
    Scenario("export_spacy", "5 Export spaCy DocBin", _imported),
    Scenario("big_project", "6 Project with many documents", _imported),
    Scenario("cold_start", "7 Cold start (process → window shown)", _sample),
]

BY_NAME = {s.name: s for s in SCENARIOS}


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
