"""The brat round trips checked by brat's own parser (``annotation.py``): run by hand, not by CI.

brat's files are not part of this repository and its parser needs Python 3.10, which CI has no
network to fetch, so these checks live outside the default test run (pytest collects only
``test_*.py``) instead of skipping there. Run them with brat at hand::

    CLAIMMARK_BRAT_SRC=brat/server/src CLAIMMARK_PYTHON310=/path/to/python3.10 \
    CLAIMMARK_BRAT_EXAMPLES=brat/example-data pytest tests/core/imports/check_with_brat.py

Each check fails, saying what is missing, when brat or Python 3.10 is not found. The same sample
file is read and written against claimmark's own parser in ``test_brat_standoff.py`` and
``test_brat_structure.py``, which CI runs.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from claimmark.core.export import export_project
from claimmark.core.formats import brat_standoff
from claimmark.core.importing import import_paths
from claimmark.core.project import Project
from tests.brat_compare import complaints, difference
from tests.brat_compare import reading as ours
from tests.brat_tool import MISSING, BratParser, brat_parser

from .brat_sample import write_sample
from .test_brat_structure import import_sample, our_reading


def parser() -> BratParser:
    found = brat_parser()
    assert found is not None, MISSING
    return found


def examples() -> Path:
    folder = os.environ.get("CLAIMMARK_BRAT_EXAMPLES")
    assert folder, "CLAIMMARK_BRAT_EXAMPLES must name brat's example-data folder"
    return Path(folder)


def brats(read: dict) -> dict:
    """brat's dump, in a stable order, without its (checked empty) complaints."""
    assert (read["errors"], read["warnings"], read["failed_lines"]) == ([], [], [])
    out = {k: v for k, v in read.items() if k not in ("errors", "warnings", "failed_lines")}
    for kind in ("relations", "attributes", "notes"):
        out[kind] = sorted(out[kind], key=lambda item: item["id"])
    return out


def test_brats_own_parser_reads_the_same(tmp_path):
    stem = write_sample(tmp_path)
    read = parser().read([stem])[str(stem)]
    standoff, errors = brat_standoff.parse((tmp_path / "sample.ann").read_text(encoding="utf-8"))
    assert errors == []
    assert ours(standoff) == brats(read)


def test_brats_own_parser_reads_the_export_as_claimmarks_does(project, tmp_path):
    import_sample(project, tmp_path / "in")
    export_project(project, "brat", tmp_path / "out")
    source, written = tmp_path / "in" / "sample", tmp_path / "out" / "sample"
    read = parser().read([source, written])
    assert complaints(read[str(written)]) == ([], [], [])
    assert difference(read[str(source)], read[str(written)]) == difference(
        our_reading(source), our_reading(written)
    )


def test_brats_example_corpora_come_back_as_they_came(tmp_path):
    """brat's own corpora (relations, events, attributes, notes): imported, exported, both read
    by brat's parser; what differs is what each file's import warned about."""
    root = examples()
    for folder in sorted({p.parent for p in root.rglob("*.ann")}):
        with Project.open(None, created_by="tester") as project:
            summary = import_paths(project, [folder], annotator="tester")
            assert summary.ok, folder
            out = tmp_path / folder.name
            report = export_project(project, "brat", out)
            files = json.loads((out / "provenance.json").read_text("utf-8"))["brat_files"]["all"]
        assert {loss.reason for loss in report.losses} <= {
            "document_fields_not_carried",
            "span_fields_not_carried",
            "note_changed",
        }
        warned = {Path(f.path).stem: " ".join(w.message for w in f.warnings) for f in summary.files}
        stems = sorted(p.with_suffix("") for p in folder.glob("*.ann"))
        written = {s: out / Path(files[s.name]).with_suffix("") for s in stems}
        before, after = parser().read(stems), parser().read(list(written.values()))
        for stem in stems:
            assert complaints(after[str(written[stem])]) == ([], [], [])
            missing, extra = difference(before[str(stem)], after[str(written[stem])])
            kinds = Counter(kind for kind, *_ in missing.elements())
            assert not kinds.keys() - {"E", "A", "N", "*", "#"}, (stem, missing)
            assert not {kind for kind, *_ in extra.elements()} - {"E", "#"}, (stem, extra)
            if kinds["E"] or kinds["A"]:
                assert "shares its trigger" in warned[stem.name], stem
            if kinds["N"]:
                assert "normalisation" in warned[stem.name], stem
            if kinds["*"]:
                assert "*: " in warned[stem.name], stem
