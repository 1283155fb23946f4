"""Offsets that do not fit the text: refused whole, named by file, line and span, explained.

Each case writes a file whose first document is fine and whose second has one bad span, so the
unchanged project shows that nothing of the file was stored. Where UTF-16 counting (emoji) or
CRLF-as-one-character counting explains the offsets, the message says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimmark.core.importing import import_paths

TEXT = "Firefighters 👨🏻‍🚒 said 3 died 😢.\r\nThe ministry denied it 🇺🇦 later."
PLAIN = "Rebels claimed the bridge."


def at(word: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def utf16(word: str) -> tuple[int, int]:
    start, end = at(word)
    astral = sum(ord(c) > 0xFFFF for c in TEXT[:start])
    return start + astral, end + astral


def crlf_as_one(word: str) -> tuple[int, int]:
    start, end = at(word)
    return start - 1, end - 1


# ------------------------------------------------------------------ writers, one per format
def brat(tmp: Path, label: str, offsets: str, span_text: str) -> tuple[Path, int]:
    folder = tmp / "brat"
    folder.mkdir()
    (folder / "a.txt").write_bytes(TEXT.encode("utf-8"))
    good = "{} {}".format(*at("said 3 died"))
    lines = [f"T1\tclaim {good}\tsaid 3 died", f"T2\t{label} {offsets}\t{span_text}"]
    (folder / "a.ann").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    return folder, 2


def labelstudio(tmp: Path, start, end, span_text: str | None) -> tuple[Path, int]:
    value = {"start": start, "end": end, "labels": ["denial"]}
    if span_text is not None:
        value["text"] = span_text
    tasks = [
        {"id": 1, "data": {"text": PLAIN}, "annotations": []},
        {
            "id": 2,
            "data": {"text": TEXT},
            "annotations": [
                {"completed_by": 1, "result": [{"id": "x", "type": "labels", "value": value}]}
            ],
        },
    ]
    path = tmp / "ls.json"
    path.write_text(json.dumps(tasks, indent=1, ensure_ascii=False), encoding="utf-8")
    starts = [i for i, text in enumerate(path.read_text("utf-8").splitlines(), 1) if text == " {"]
    line = starts[1]  # where the second task starts
    return path, line


def doccano(tmp: Path, start, end) -> tuple[Path, int]:
    lines = [
        {"text": PLAIN, "label": [[0, 6, "claim"]]},
        {"text": TEXT, "entities": [{"id": 5, "start_offset": start, "end_offset": end,
                                     "label": "denial"}]},
    ]  # fmt: skip
    path = tmp / "d.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path, 2


def brat_case(word, offsets, span_text=None, label="denial"):
    return lambda tmp: brat(tmp, label, offsets, span_text if span_text is not None else word)


UTF16_HINT = "offsets look like UTF-16 units (read that way they give {}-{}, {!r})"
CRLF_HINT = (
    "offsets look like they count CRLF as one character (read that way they give {}-{}, {!r})"
)


def hint(template: str, word: str) -> str:
    return template.format(*at(word), word)


CASES = {
    "brat-utf16": (
        brat_case("denied", "{} {}".format(*utf16("denied"))),
        "a.ann",
        "T2 (denial {}-{}): text 'denied' does not match the document".format(*utf16("denied")),
        [hint(UTF16_HINT, "denied")],
    ),
    "brat-crlf-as-one": (
        brat_case("ministry", "{} {}".format(*crlf_as_one("ministry"))),
        "a.ann",
        "T2 (denial {}-{}): text 'ministry' does not match".format(*crlf_as_one("ministry")),
        [hint(CRLF_HINT, "ministry")],
    ),
    "brat-plainly-wrong": (
        brat_case("ministry", "{} {}".format(at("ministry")[0] + 2, at("ministry")[1] + 2)),
        "a.ann",
        "T2 (denial {}-{}): text 'ministry' does not match the document at".format(
            at("ministry")[0] + 2, at("ministry")[1] + 2
        ),
        ["offsets must be code points into the text"],
    ),
    "brat-out-of-range": (
        brat_case("later", "90 95"),
        "a.ann",
        "T2 (denial 90-95): text 'later' does not match the document at 90-95",
        [f"(text length {len(TEXT)})"],
    ),
    "brat-start-after-end": (
        brat_case("x", "9 3"),
        "a.ann",
        "T2 (denial 9-3): start 9 must be less than end 3",
        [],
    ),
    "brat-bad-offset-syntax": (
        brat_case("x", "3 x"),
        "a.ann",
        "T2: offsets '3 x' are not 'start end[;start end]'",
        [],
    ),
    "brat-fragment": (
        brat_case("", "0 12;{} {}".format(*at("denied")), "Firefighters denid", label="claim"),
        "a.ann",
        "T2 fragment 2 (claim {}-{}): text 'denid' does not match the document at {}-{}".format(
            *at("denied"), *at("denied")
        ),
        [],
    ),
    "brat-fragments-joined": (
        brat_case(
            "",
            "0 12;{} {}".format(*at("The ministry")),
            "Firefighters the  ministry",
            label="claim",
        ),
        "a.ann",
        "T2 (claim 0 12;{} {}): text 'Firefighters the  ministry' does not match the document"
        " ('Firefighters The ministry', fragments joined by one space)".format(*at("The ministry")),
        [],
    ),
    "labelstudio-utf16": (
        lambda tmp: labelstudio(tmp, *utf16("denied"), "denied"),
        "ls.json",
        "task 2 annotation 0 (labelstudio-user-1) result 0 (id x) ({}-{}): text 'denied'"
        " does not match".format(*utf16("denied")),
        [hint(UTF16_HINT, "denied")],
    ),
    "labelstudio-crlf-as-one": (
        lambda tmp: labelstudio(tmp, *crlf_as_one("denied"), "denied"),
        "ls.json",
        "task 2 annotation 0 (labelstudio-user-1) result 0 (id x)",
        [hint(CRLF_HINT, "denied")],
    ),
    "labelstudio-utf16-without-text": (
        lambda tmp: labelstudio(tmp, *utf16("ministry"), None),
        "ls.json",
        "task 2 annotation 0 (labelstudio-user-1) result 0 (id x) ({}-{}): offsets {}-{} cut"
        " into a word".format(*utf16("ministry"), *utf16("ministry")),
        [hint(UTF16_HINT, "ministry")],
    ),
    "labelstudio-not-integers": (
        lambda tmp: labelstudio(tmp, "3", 9, None),
        "ls.json",
        "task 2 annotation 0 (labelstudio-user-1) result 0 (id x) (3-9): start offset must be"
        " an integer, got '3'",
        [],
    ),
    "doccano-code-points": (
        lambda tmp: doccano(tmp, *at("denied")),
        "d.jsonl",
        "entity 0 (id 5): offsets {}-{} give".format(*at("denied")),
        [
            "read in code points they give {}-{}, 'denied'".format(*at("denied")),
            "import the file with --doccano-offsets codepoints",
        ],
    ),
    "doccano-utf16-past-the-end": (
        lambda tmp: doccano(tmp, len(TEXT) + 7, len(TEXT) + 9),
        "d.jsonl",
        "entity 0 (id 5): offsets {}-{} are outside the text ({} UTF-16 units)".format(
            len(TEXT) + 7, len(TEXT) + 9, len(TEXT.encode("utf-16-le")) // 2
        ),
        [],
    ),
    "doccano-crlf-as-one": (
        lambda tmp: doccano(tmp, *(u - 1 for u in utf16("ministry"))),
        "d.jsonl",
        "entity 0 (id 5): offsets {}-{} cut into".format(*crlf_as_one("ministry")),
        [
            hint(CRLF_HINT, "ministry"),
            "(UTF-16 units {}-{} are code points".format(*(u - 1 for u in utf16("ministry"))),
        ],
    ),
    "doccano-out-of-range": (
        lambda tmp: doccano(tmp, 60, 500),
        "d.jsonl",
        "entity 0 (id 5): offsets 60-500 are outside the text"
        f" ({len(TEXT.encode('utf-16-le')) // 2} UTF-16 units)",
        [],
    ),
    "doccano-empty-span": (
        lambda tmp: doccano(tmp, 5, 5),
        "d.jsonl",
        "entity 0 (id 5): start 5 must be less than end 5",
        [],
    ),
}


@pytest.mark.parametrize("write, file, where, also", CASES.values(), ids=CASES.keys())
def test_offset_mismatch_is_refused_and_explained(
    seeded_project, tmp_path, snapshot, write, file, where, also
):
    path, line = write(tmp_path)
    before = snapshot(seeded_project)
    summary = import_paths(seeded_project, [path], annotator="tester")
    assert not summary.ok
    [result] = summary.files
    [problem] = result.problems
    named = path / file if path.is_dir() else path
    message = str(problem)
    assert message.startswith(f"{named}:{line}: {where}"), message
    for words in also:
        assert words in message, message
    if not also:
        assert "look like" not in message, message
    assert snapshot(seeded_project) == before
    assert not result.imported and not result.new_labels
