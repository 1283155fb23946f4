"""Krippendorff's unitized alpha (αu) over a continuum of characters.

Krippendorff (1995, "On the reliability of unitizing continuous data"; 2004, "Measuring the
reliability of qualitative text analysis data") compares how annotators cut a continuum into
units of a category and gaps, without any tokenisation, and copes with overlapping spans.
Per category c, each annotator's continuum is a sequence of sections: c's units and the gaps
between them (a unit of another category is part of a gap, which is how "this category against
everything else" is coded). Disagreement between two sections g (annotator i) and h (annotator j):

* both units, overlapping: (b_g − b_h)² + (e_g − e_h)²;
* a unit lying wholly inside a gap of the other: its length squared;
* anything else: 0.

D_o = Σ_{i≠j} Σ_g Σ_h δ(g, h) / (m (m − 1) L²), with m annotators and continuum length L.
D_e (the disagreement expected when the same units and gaps were placed at random) is

    2/L · Σ_units [ (N_c − 1)·(2l³ − 3l² + l)/3 + l² · Σ_{gaps ≥ l} (gap − l + 1) ]
    / ( mL (mL − 1) − Σ_units l (l − 1) )

with N_c the number of c's units over all annotators. αu_c = 1 − D_o/D_e, and over all
categories αu = 1 − ΣD_o/ΣD_e. These are the same formulas DKPro Statistics implements, and its
published worked examples are this module's tests. Sums are kept in integers and divided once.

Several documents are laid end to end as one continuum; a gap never runs across a document
boundary (a unit cannot be placed across one).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

#: (begin, end) of one unit, end exclusive, in continuum coordinates.
Extent = tuple[int, int]

#: (begin, end, is_unit)
_Section = tuple[int, int, bool]


@dataclass(frozen=True, slots=True)
class CategoryDisagreement:
    observed: Fraction
    expected: Fraction

    @property
    def alpha(self) -> float | None:
        if self.expected == 0:
            return None
        return float(1 - self.observed / self.expected)


def _sections(units: Sequence[Extent], length: int, boundaries: Sequence[int]) -> list[_Section]:
    """One annotator's continuum: its units and the gaps between them, gaps cut at boundaries."""
    cuts = sorted(set(boundaries) | {0, length})
    sections: list[_Section] = []
    position = 0

    def gap_until(stop: int) -> None:
        nonlocal position
        while position < stop:
            cut = cuts[bisect_left(cuts, position + 1)]
            end = min(cut, stop)
            sections.append((position, end, False))
            position = end

    for begin, end in sorted(units):
        if begin < position:
            raise ValueError("units of one category by one annotator must not overlap")
        gap_until(begin)
        sections.append((begin, end, True))
        position = end
    gap_until(length)
    return sections


def _distance(g: _Section, h: _Section) -> int:
    (bg, eg, unit_g), (bh, eh, unit_h) = g, h
    if unit_g and unit_h:
        if bg < eh and bh < eg:
            return (bg - bh) ** 2 + (eg - eh) ** 2
        return 0
    if unit_g and not unit_h and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if unit_h and not unit_g and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def _pair_disagreement(a: list[_Section], b: list[_Section]) -> int:
    """Σ δ over every overlapping pair of sections, found by walking both lists once."""
    total = 0
    i = j = 0
    while i < len(a) and j < len(b):
        total += _distance(a[i], b[j])
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


def category_disagreement(
    units_by_annotator: Sequence[Sequence[Extent]],
    length: int,
    boundaries: Sequence[int] = (),
) -> CategoryDisagreement:
    """D_o and D_e for one category; ``units_by_annotator`` has one list per annotator."""
    m = len(units_by_annotator)
    if m < 2:
        raise ValueError("αu needs two or more annotators")
    if length <= 0:
        raise ValueError("the continuum is empty")
    sections = [_sections(units, length, boundaries) for units in units_by_annotator]

    observed = 0
    for i in range(m):
        for j in range(i + 1, m):
            observed += 2 * _pair_disagreement(sections[i], sections[j])

    unit_lengths = [e - b for secs in sections for b, e, unit in secs if unit]
    gaps = sorted(e - b for secs in sections for b, e, unit in secs if not unit)
    # Σ_{gap ≥ l} (gap − l + 1) = (Σ_{gap ≥ l} gap) − (count)·(l − 1), from suffix sums.
    suffix = [0] * (len(gaps) + 1)
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k]
    n_c = len(unit_lengths)
    numerator = 0
    for lu in unit_lengths:
        first = bisect_left(gaps, lu)
        fitting = suffix[first] - (len(gaps) - first) * (lu - 1)
        numerator += (n_c - 1) * (2 * lu**3 - 3 * lu**2 + lu) // 3 + lu * lu * fitting
    denominator = m * length * (m * length - 1) - sum(lu * (lu - 1) for lu in unit_lengths)
    expected = Fraction(2 * numerator, length * denominator) if denominator else Fraction(0)
    return CategoryDisagreement(Fraction(observed, m * (m - 1) * length * length), expected)


def overall_alpha(disagreements: Sequence[CategoryDisagreement]) -> float | None:
    """αu over every category: 1 − ΣD_o / ΣD_e (the mean over categories cancels out)."""
    expected = sum((d.expected for d in disagreements), Fraction(0))
    if not disagreements or expected == 0:
        return None
    observed = sum((d.observed for d in disagreements), Fraction(0))
    return float(1 - observed / expected)
