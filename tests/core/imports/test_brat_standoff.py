"""claimmark's brat line parser reads what brat's own parser reads, line kind by line kind."""

from __future__ import annotations

import pytest

from claimmark.core.formats import brat_standoff
from tests.brat_compare import reading as ours
from tests.brat_tool import MISSING, brat_parser

from .brat_sample import ANN_LINES, TEXT, write_sample


def brats(read: dict) -> dict:
    """brat's dump, in a stable order, without its (checked empty) complaints."""
    assert (read["errors"], read["warnings"], read["failed_lines"]) == ([], [], [])
    out = {k: v for k, v in read.items() if k not in ("errors", "warnings", "failed_lines")}
    for kind in ("relations", "attributes", "notes"):
        out[kind] = sorted(out[kind], key=lambda item: item["id"])
    return out


def test_every_line_kind_is_read(tmp_path):
    standoff, errors = brat_standoff.parse("".join(f"{line}\n" for line in ANN_LINES))
    assert errors == []
    read = ours(standoff)
    [denial] = [t for t in read["textbounds"] if t["id"] == "T3"]
    assert denial["type"] == "denial" and len(denial["spans"]) == 2
    assert denial["text"] == " ".join(TEXT[a:b] for a, b in denial["spans"])
    assert read["relations"][1] == {
        "id": "R2",
        "type": "denies",
        "args": [["Arg1", "T3"], ["Arg2", "T1"]],
    }
    assert read["events"] == [
        {"id": "E1", "type": "Attack", "trigger": "T5", "args": [["Target", "T1"], ["Agent", "T2"]]}
    ]
    assert [(a["type"], a["value"]) for a in read["attributes"]] == [
        ("Negated", True),
        ("group", "civilians"),
        ("Speculation", True),
    ]
    assert read["normalizations"][0]["refid"] == "Q123"
    assert read["notes"][1]["text"] == "figure from the ministry 🙁"
    assert read["equivs"] == [{"type": "Equiv", "entities": ["T2", "T6"]}]


def test_written_lines_read_back_the_same():
    standoff, _ = brat_standoff.parse("".join(f"{line}\n" for line in ANN_LINES))
    again, errors = brat_standoff.parse("".join(brat_standoff.format_lines(standoff)))
    assert errors == [] and ours(again) == ours(standoff)


@pytest.mark.skipif(brat_parser() is None, reason=MISSING)
def test_brats_own_parser_reads_the_same(tmp_path):
    stem = write_sample(tmp_path)
    parser = brat_parser()
    assert parser is not None
    read = parser.read([stem])[str(stem)]
    standoff, errors = brat_standoff.parse((tmp_path / "sample.ann").read_text(encoding="utf-8"))
    assert errors == []
    assert ours(standoff) == brats(read)
