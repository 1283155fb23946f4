"""κ and α against scikit-learn, statsmodels, krippendorff and NLTK on the same codings."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from claimmark.core.agreement.coefficients import cohen_kappa, fleiss_kappa, krippendorff_alpha

CODES = ["O", "claim", "denial", "casualty_report"]


def codings(raters: int):
    return st.lists(
        st.lists(st.sampled_from(CODES), min_size=raters, max_size=raters), min_size=2, max_size=60
    )


def _varies(items) -> bool:
    return len({c for item in items for c in item}) > 1


@settings(max_examples=200, deadline=None)
@given(codings(2))
def test_cohen_kappa_matches_scikit_learn_and_nltk(items):
    x, y = [i[0] for i in items], [i[1] for i in items]
    ours, reason = cohen_kappa(x, y)
    assume(len(set(x)) > 1 or len(set(y)) > 1 or x[0] != y[0])
    if ours is None:
        assert reason
        return
    assert ours == pytest.approx(cohen_kappa_score(x, y))
    task = AnnotationTask(
        data=[
            (coder, str(i), code)
            for i, item in enumerate(items)
            for coder, code in zip("ab", item, strict=True)
        ]
    )
    assert ours == pytest.approx(task.kappa())


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 5).flatmap(codings))
def test_fleiss_kappa_matches_statsmodels(items):
    assume(_varies(items))
    table, _ = aggregate_raters(np.array(items, dtype=object))
    ours, _ = fleiss_kappa(items)
    assert ours == pytest.approx(sm_fleiss_kappa(table, method="fleiss"))


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 5).flatmap(codings))
def test_krippendorff_alpha_matches_krippendorff_and_nltk(items):
    assume(_varies(items))
    ours, _ = krippendorff_alpha(items)
    index = {c: n for n, c in enumerate(CODES)}
    reliability = np.array([[index[c] for c in item] for item in items], dtype=float).T
    assert ours == pytest.approx(krippendorff.alpha(reliability, level_of_measurement="nominal"))
    task = AnnotationTask(
        data=[(str(r), str(i), code) for i, item in enumerate(items) for r, code in enumerate(item)]
    )
    assert ours == pytest.approx(task.alpha())


def test_krippendorff_1995_digitized_example():
    """Krippendorff (1995), example A coded per character, as DKPro Statistics asserts it."""
    bertha = "001111111100001111110000"
    bill = "000011110000000110000000"
    items = list(zip(bertha, bill, strict=True))
    assert cohen_kappa(bertha, bill)[0] == pytest.approx(0.385, abs=0.001)
    assert krippendorff_alpha(items)[0] == pytest.approx(0.329, abs=0.001)


def test_no_variation_is_undefined_with_a_reason():
    items = [("O", "O")] * 5
    for value, reason in (
        cohen_kappa(*zip(*items, strict=True)),
        fleiss_kappa(items),
        krippendorff_alpha(items),
    ):
        assert value is None
        assert "no variation" in reason
