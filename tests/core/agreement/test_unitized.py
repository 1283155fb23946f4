"""αu against Krippendorff's published worked examples (values as DKPro Statistics asserts them)."""

from __future__ import annotations

import pytest

from claimmark.core.agreement.unitized import category_disagreement, overall_alpha


def _shift(units, begin):
    return [(b - begin, b - begin + length) for b, length in units]


def test_krippendorff_2004_example():
    """Krippendorff (2004, p. 254): two observers, continuum 150–450, categories c and k."""
    c = category_disagreement(
        [_shift([(225, 70), (370, 30)], 150), _shift([(220, 80), (355, 20), (400, 20)], 150)], 300
    )
    k = category_disagreement(
        [_shift([(180, 60), (300, 50)], 150), _shift([(180, 60), (300, 50)], 150)], 300
    )
    assert float(c.observed) == pytest.approx(0.0144, abs=0.0001)
    assert float(c.expected) == pytest.approx(0.0532, abs=0.0001)
    assert c.alpha == pytest.approx(0.7286, abs=0.0001)
    assert float(k.observed) == 0
    assert float(k.expected) == pytest.approx(0.0490, abs=0.0001)
    assert k.alpha == pytest.approx(1.0)
    assert overall_alpha([c, k]) == pytest.approx(0.8591, abs=0.0005)


def _example_1995(s: int):
    """Krippendorff (1995, p. 57): four pairs of coders, one category each, 24 units long."""

    def units(*pairs):
        return [(b * s, (b + n) * s) for b, n in pairs]

    return {
        "A": [units((2, 8), (14, 6)), units((4, 4), (15, 2))],
        "B": [units((0, 18)), units((0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1))],
        "C": [
            units((2, 6), (10, 2), (14, 4), (20, 2)),
            units((0, 2), (4, 4), (10, 4), (16, 2), (20, 2)),
        ],
        "D": [
            units((0, 2), (2, 8), (10, 4), (14, 6), (20, 4)),
            units((0, 4), (4, 4), (8, 7), (15, 2), (17, 7)),
        ],
    }


def test_krippendorff_1995_observed_disagreement():
    found = {k: category_disagreement(v, 24) for k, v in _example_1995(1).items()}
    expected = {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}
    for category, value in expected.items():
        assert float(found[category].observed) == pytest.approx(value, abs=0.00001)


def test_krippendorff_1995_expected_disagreement_and_alpha():
    """The published D_e and α are for a finely divided continuum (DKPro stretches it 50,000×)."""
    found = {k: category_disagreement(v, 24 * 50_000) for k, v in _example_1995(50_000).items()}
    expected = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    alpha = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for category in expected:
        assert float(found[category].expected) == pytest.approx(expected[category], abs=0.005)
        assert found[category].alpha == pytest.approx(alpha[category], abs=0.02)


def test_gaps_stop_at_document_boundaries():
    """Two documents of 10 laid end to end: the same units, cut or not at the boundary, differ
    only in the expected disagreement (a unit cannot be placed across documents)."""
    layers = [[(2, 5)], [(3, 5), (12, 14)]]
    joined = category_disagreement(layers, 20)
    cut = category_disagreement(layers, 20, boundaries=[10])
    assert joined.observed == cut.observed
    assert joined.expected != cut.expected


def test_one_annotator_is_refused():
    with pytest.raises(ValueError):
        category_disagreement([[(0, 1)]], 5)
