"""Which counting a doccano file's offsets use, decided over the whole file.

doccano's editor indexes JavaScript strings, so the files it writes count UTF-16 units; scripts
that feed doccano often count code points. Both readings agree until the first character above
U+FFFF, and after one a wrong reading is usually off by one or two: often still on a word
boundary (``[12, 21]`` in "Rebels said 🚁 downed near Hama." is "🚁 downed" in UTF-16 units and
"🚁 downed " in code points). One span cannot tell the readings apart, so every span whose two
readings differ is read both ways: when the other reading fits every one of them cleanly (on
word and character boundaries, no edge whitespace) and the chosen one does not, the file is
refused with a hint to import it in the other unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..project import NewSpan
from .foreign_spans import UTF16_READING, clean_boundaries, span_offset_problem
from .utf16_units import CODE_POINTS, UNIT_NAMES, UTF16, Utf16Map, code_point_offsets, other_unit

_OPTION = "--doccano-offsets"


@dataclass
class RawSpan:
    """A span as the file gives it, before its offsets are read in a unit."""

    line: int
    where: str
    text: str
    start: int
    end: int
    label: str


@dataclass
class Reading:
    spans: dict[int, NewSpan]  #: index into the raw spans -> span in code points
    problems: list[tuple[int, str]]  #: (line, message)
    warnings: list[str]


def read_offsets(raw: list[RawSpan], unit: str) -> Reading:
    """The raw spans in code points, or why the file cannot be read in ``unit``."""
    maps: dict[int, Utf16Map] = {}

    def mapping(text: str) -> Utf16Map:
        found = maps.get(id(text))
        if found is None:
            found = maps[id(text)] = Utf16Map(text)
        return found

    other = other_unit(unit)
    spans: dict[int, NewSpan] = {}
    problems: list[tuple[int, str]] = []
    suspects: list[int] = []  # differing spans that the chosen reading does not fit well
    differing = 0
    other_fits_all = True
    for index, span in enumerate(raw):
        units = mapping(span.text)
        chosen = code_point_offsets(units, span.start, span.end, unit)
        problem = _problem(span, units, unit, chosen)
        if problem:
            problems.append((index, problem))
        elif chosen is not None:
            spans[index] = NewSpan(chosen[0], chosen[1], span.label)
        if not units.shifts:
            continue
        alternative = code_point_offsets(units, span.start, span.end, other)
        if alternative == chosen:
            continue
        differing += 1
        if alternative is None or not _tidy(span.text, *alternative):
            other_fits_all = False
        elif problem or chosen is None or not _tidy(span.text, *chosen):
            suspects.append(index)
    if differing and other_fits_all and suspects:
        hint = (
            f"every span whose offsets depend on the counting fits the text when counted in"
            f" {UNIT_NAMES[other]} ({differing} span{'s' if differing != 1 else ''}), and this one"
            f" does not fit in {UNIT_NAMES[unit]}: import the file with {_OPTION} {other}"
        )
        described = dict(problems)
        refused = []
        for index in suspects:
            span = raw[index]
            units = mapping(span.text)
            s, e = code_point_offsets(units, span.start, span.end, other) or (0, 0)
            base = described.get(index) or _cut_message(span, units, unit)
            refused.append(
                (span.line, f"{span.where}: {base}; read in {UNIT_NAMES[other]} they give"
                 f" {s}-{e}, {span.text[s:e]!r}; {hint}")
            )  # fmt: skip
        return Reading({}, refused, [])
    warnings = []
    if differing and other_fits_all:
        warnings.append(
            f"{differing} span{'s' if differing != 1 else ''} would sit elsewhere if the offsets"
            f" counted {UNIT_NAMES[other]}; read as {UNIT_NAMES[unit]}"
            + (" (doccano's own counting)" if unit == UTF16 else "")
            + f"; use {_OPTION} {other} if the file was written that way"
        )
    return Reading(
        spans, [(raw[i].line, f"{raw[i].where}: {message}") for i, message in problems], warnings
    )


def _problem(
    span: RawSpan, units: Utf16Map, unit: str, chosen: tuple[int, int] | None
) -> str | None:
    if unit == CODE_POINTS:
        return span_offset_problem(span.text, span.start, span.end, None)
    if span.start >= span.end:
        return f"start {span.start} must be less than end {span.end}"
    if chosen is None:
        for name, offset in (("start", span.start), ("end", span.end)):
            if not 0 <= offset <= units.units_length:
                return (
                    f"offsets {span.start}-{span.end} are outside the text"
                    f" ({units.units_length} UTF-16 units)"
                )
            if units.to_code_point(offset) is None:
                return f"{name} offset {offset} falls between the two UTF-16 units of one character"
        return f"offsets {span.start}-{span.end} are not a span of the text"
    # In code points now: the remaining checks (cut words, CRLF, CRLF-as-one counting) apply,
    # except the UTF-16 explanation, which the reading has just applied.
    problem = span_offset_problem(span.text, *chosen, None, skip=(UTF16_READING,))
    if problem:
        s, e = chosen
        return f"{problem} (UTF-16 units {span.start}-{span.end} are code points {s}-{e})"
    return None


def _cut_message(span: RawSpan, units: Utf16Map, unit: str) -> str:
    s, e = code_point_offsets(units, span.start, span.end, unit) or (0, 0)
    return f"offsets {span.start}-{span.end} give {span.text[s:e]!r} in {UNIT_NAMES[unit]}"


def _tidy(text: str, start: int, end: int) -> bool:
    return clean_boundaries(text, start, end) and not (
        text[start].isspace() or text[end - 1].isspace()
    )
