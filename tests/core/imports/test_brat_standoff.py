"""claimmark's brat line parser reads what brat's own parser reads, line kind by line kind."""

from __future__ import annotations

from claimmark.core.formats import brat_standoff
from tests.brat_compare import reading as ours

from .brat_sample import ANN_LINES, TEXT


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
