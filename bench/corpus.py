"""The corpora and prebuilt projects the scenarios run on, generated once and cached.

Everything is derived from the seed, so two runs with the same seed and sizes measure the same
bytes. Artefacts live under ``cache_root()/<key>/`` where the key holds the seed, the sizes that
shape the artefact, a generator version and the project schema version (a project built by an
older schema would be migrated inside a measurement). Each artefact is built under a temporary
name and renamed when complete, so an interrupted build is never reused.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from claimmark.core.project import NewDocument, NewSpan, Project
from claimmark.core.schema import SCHEMA_VERSION

from .config import Sizes, cache_root
from .text_gen import article_text, random_spans, words

GENERATOR_VERSION = 1
LABELS = ("claim", "denial", "casualty_report", "attribution")
#: The annotator whose spans the window shows in the single-article scenarios.
ANNOTATOR = "bench"
#: Annotators of the imported corpus; the big-project window opens as the first.
CORPUS_ANNOTATORS = ("ana", "ben", "chen")


def _key(seed: int, **shape) -> str:
    parts = [f"g{GENERATOR_VERSION}", f"s{SCHEMA_VERSION}", f"seed{seed}"]
    parts += [f"{k}{v}" for k, v in sorted(shape.items())]
    return "-".join(parts)


def _cached(path: Path, build: Callable[[Path], None], log: Callable[[str], None]) -> Path:
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial) if partial.is_dir() else partial.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    log(f"building {path.name} (cached afterwards) ...")
    t0 = time.perf_counter()
    build(partial)
    for suffix in ("-wal", "-shm"):  # a closed project leaves none; a stray one must not linger
        if Path(str(partial) + suffix).exists():
            raise RuntimeError(f"{partial}{suffix} left behind: the project was not closed cleanly")
    partial.rename(path)
    log(f"  built in {time.perf_counter() - t0:.1f} s")
    return path


def copy_project(source: Path, folder: Path) -> Path:
    """A private copy of a cached (closed, checkpointed) project file for one measurement."""
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


# ---------------------------------------------------------------------- single-article projects
def _article_project(
    path: Path, seed: int, chars: int, span_count: int, *, with_small_first: bool
) -> None:
    rng = random.Random(seed)
    text = article_text(rng, chars)
    spans = random_spans(rng, words(text), span_count, LABELS)
    with Project.open(path, created_by=ANNOTATOR) as project:
        if with_small_first:
            small = article_text(random.Random(seed + 1), 3_000)
            project.import_document(
                NewDocument(text=small, title="A short article", id="small"), annotator=ANNOTATOR
            )
        project.import_document(
            NewDocument(
                text=text,
                title=f"A {chars:,}-character article with {span_count:,} spans",
                id="big",
                spans=[NewSpan(s, e, label) for s, e, label in spans],
            ),
            annotator=ANNOTATOR,
        )


def label_project(seed: int, sizes: Sizes, log) -> Path:
    """Scenario 1: one article of ``label_chars`` with ``label_spans`` spans (the one opened)."""
    key = _key(seed, c=sizes.label_chars, n=sizes.label_spans)
    return _cached(
        cache_root() / key / "label.db",
        lambda p: _article_project(
            p, seed, sizes.label_chars, sizes.label_spans, with_small_first=False
        ),
        log,
    )


def open_project(seed: int, sizes: Sizes, log) -> Path:
    """Scenarios 2 and 3: a short article (opened first) and the long one to switch to."""
    key = _key(seed + 7, c=sizes.open_chars, n=sizes.open_spans)
    return _cached(
        cache_root() / key / "open.db",
        lambda p: _article_project(
            p, seed + 7, sizes.open_chars, sizes.open_spans, with_small_first=True
        ),
        log,
    )


#: The two other annotators whose layers the layers scenarios show beside ``ANNOTATOR``'s.
OTHER_LAYERS = ("other_one", "other_two")


def layers_project(seed: int, sizes: Sizes, log) -> Path:
    """Scenarios 1b and 2b: the open scenario's project where two more annotators have labelled
    the long article as densely as ``ANNOTATOR`` (each their own spans, made as in the app)."""
    source = open_project(seed, sizes, log)

    def build(path: Path) -> None:
        shutil.copyfile(source, path)
        with Project.open(path, created_by=ANNOTATOR) as project:
            text = project.document("big").text
            for k, annotator in enumerate(OTHER_LAYERS):
                rng = random.Random(seed + 100 + k)
                spans = random_spans(rng, words(text), sizes.open_spans, LABELS)
                with project.batch():
                    for start, end, label in spans:
                        project.add_span("big", label, start, end, annotator=annotator)

    key = _key(seed + 7, c=sizes.open_chars, n=sizes.open_spans, layers=len(OTHER_LAYERS))
    return _cached(cache_root() / key / "layers.db", build, log)


# ---------------------------------------------------------------------- JSONL corpus
def _corpus_shape(sizes: Sizes) -> dict:
    return {
        "d": sizes.import_docs,
        "n": sizes.import_spans_per_doc,
        "c": sizes.import_doc_chars,
        "f": sizes.import_files,
    }


def _write_corpus(folder: Path, seed: int, sizes: Sizes) -> None:
    folder.mkdir(parents=True)
    rng = random.Random(seed + 13)
    per_file = -(-sizes.import_docs // sizes.import_files)
    number = 0
    for f in range(sizes.import_files):
        # json.dumps escapes the articles' CRLFs, so every record is one "\n"-ended line.
        with (folder / f"part-{f:03d}.jsonl").open("w", encoding="utf-8", newline="\n") as out:
            for _ in range(min(per_file, sizes.import_docs - number)):
                number += 1
                chars = max(400, int(rng.gauss(sizes.import_doc_chars, sizes.import_doc_chars / 4)))
                text = article_text(rng, chars)
                spans = random_spans(
                    rng, words(text), sizes.import_spans_per_doc, LABELS, max_words=6
                )
                record = {
                    "id": f"doc-{number:06d}",
                    "title": text.split("\r\n", 1)[0],
                    "text": text,
                    "source": f"wire/{rng.choice(('reuters', 'afp', 'tass', 'aa'))}",
                    "meta": {"published": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}"},
                    "spans": [
                        {
                            "start": s,
                            "end": e,
                            "label": label,
                            "text": text[s:e],
                            "annotator": rng.choice(CORPUS_ANNOTATORS),
                        }
                        for s, e, label in spans
                    ],
                }
                if number % 10 == 0:
                    record["status"] = {CORPUS_ANNOTATORS[0]: "done"}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


def import_corpus(seed: int, sizes: Sizes, log) -> Path:
    """Scenario 4's input: a folder of JSONL files in claimmark's own import format."""
    key = _key(seed, **_corpus_shape(sizes))
    return _cached(cache_root() / key / "corpus", lambda p: _write_corpus(p, seed, sizes), log)


def long_import_corpus(seed: int, sizes: Sizes, log) -> Path:
    """Scenario 4's long document: the open scenario's article and spans as one JSONL line."""

    def build(folder: Path) -> None:
        folder.mkdir(parents=True)
        rng = random.Random(seed + 7)
        text = article_text(rng, sizes.open_chars)
        spans = random_spans(rng, words(text), sizes.open_spans, LABELS)
        record = {
            "id": "long",
            "title": f"A {sizes.open_chars:,}-character article with {sizes.open_spans:,} spans",
            "text": text,
            "spans": [
                {"start": s, "end": e, "label": label, "text": text[s:e], "annotator": ANNOTATOR}
                for s, e, label in spans
            ],
        }
        with (folder / "long.jsonl").open("w", encoding="utf-8", newline="\n") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")

    key = _key(seed + 7, c=sizes.open_chars, n=sizes.open_spans)
    return _cached(cache_root() / key / "long-corpus", build, log)


def bare_loaded(corpus_folder: Path, log) -> Path:
    """The bare loader's file of a corpus: what the bare JSONL export reads."""
    from .scenarios.import_corpus import bare_load

    return _cached(corpus_folder.parent / "bare.db", lambda p: bare_load(corpus_folder, p), log)


def imported_project(seed: int, sizes: Sizes, log) -> Path:
    """Scenarios 5 and 6: the import corpus, imported once through the core."""
    corpus = import_corpus(seed, sizes, log)

    def build(path: Path) -> None:
        from claimmark.core.importing import import_paths

        with Project.open(path, created_by=CORPUS_ANNOTATORS[0]) as project:
            summary = import_paths(project, [corpus], annotator=CORPUS_ANNOTATORS[0])
            if not summary.ok:
                raise RuntimeError(f"import of the corpus failed: {summary.files[0].problems[:3]}")

    key = _key(seed, **_corpus_shape(sizes))
    return _cached(cache_root() / key / "imported.db", build, log)


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.jsonl"))


# ---------------------------------------------------------------------- cold start
def sample_project(log) -> Path:
    """Scenario 7: the default project a newcomer gets (the bundled sample article)."""
    from claimmark.core.defaults import seed_samples

    def build(path: Path) -> None:
        with Project.open(path, created_by=ANNOTATOR) as project:
            seed_samples(project, annotator=ANNOTATOR)

    return _cached(cache_root() / _key(0, sample=1) / "sample.db", build, log)
