"""Span F1 in the four modes: the SemEval-2013 scenarios by hand, and nervaluate on random spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator

from claimmark.core.agreement import span_f1
from claimmark.core.agreement.span_f1 import Counts, count

# The six scenarios of nervaluate's README (Batista 2018), one document each, as character
# spans: I exact match, II spurious, III missed, IV right span with the wrong type,
# V wrong boundaries with the right type, VI wrong boundaries and type.
GOLD = [
    [(3, 11, "LOC")],
    [],
    [(3, 12, "LOC")],
    [(10, 19, "LOC")],
    [(7, 17, "PER")],
    [(7, 17, "PER")],
]
PRED = [
    [(3, 11, "LOC")],
    [(3, 17, "ORG")],
    [],
    [(10, 19, "ORG")],
    [(0, 17, "PER")],
    [(0, 17, "ORG")],
]


def _pooled(gold, pred, mode: str) -> Counts:
    total = Counts()
    for g, p in zip(gold, pred, strict=True):
        total.add(count(g, p, mode))
    return total


@pytest.mark.parametrize(
    ("mode", "expected"), [("strict", 0.2), ("exact", 0.4), ("partial", 0.6), ("type", 0.4)]
)
def test_the_six_scenarios_give_the_published_scores(mode, expected):
    assert _pooled(GOLD, PRED, mode).f1() == pytest.approx(expected)


def test_no_spans_on_either_side_is_undefined_not_perfect():
    assert count([], [], "strict").f1() is None


def test_one_side_empty_is_total_disagreement():
    assert count([(0, 4, "claim")], [], "strict").f1() == 0.0


_NERVALUATE_MODE = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}

# Spans shorter than 100 characters: nervaluate also asks an overlap to cover 1% of the true
# span, which only matters beyond that length (see span_f1's docstring).
spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from(["claim", "denial"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=6,
    unique_by=lambda s: s,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(spans, spans), min_size=1, max_size=4))
def test_counts_match_nervaluate(documents):
    gold = [sorted(g) for g, _ in documents]
    pred = [sorted(p) for _, p in documents]

    def as_dicts(docs):
        return [[{"label": k, "start": s, "end": e - 1} for s, e, k in doc] for doc in docs]

    results = Evaluator(
        as_dicts(gold), as_dicts(pred), tags=["claim", "denial"], loader="dict"
    ).evaluate()
    overall = results["overall"]
    for mode in span_f1.MODES:
        theirs = overall[_NERVALUATE_MODE[mode]]
        ours = _pooled(gold, pred, mode)
        assert (ours.correct, ours.incorrect, ours.partial, ours.missed, ours.spurious) == (
            theirs.correct,
            theirs.incorrect,
            theirs.partial,
            theirs.missed,
            theirs.spurious,
        ), mode
        if ours.f1() is not None:
            assert ours.f1() == pytest.approx(theirs.f1), mode


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(spans, spans), min_size=1, max_size=3))
def test_per_label_strict_counts_match_nervaluate(documents):
    gold = [sorted(g) for g, _ in documents]
    pred = [sorted(p) for _, p in documents]
    as_dicts = [
        [[{"label": k, "start": s, "end": e - 1} for s, e, k in doc] for doc in side]
        for side in (gold, pred)
    ]
    results = Evaluator(*as_dicts, tags=["claim", "denial"], loader="dict").evaluate()
    for label, by_mode in results["entities"].items():
        ours = _pooled(
            [[u for u in g if u[2] == label] for g in gold],
            [[u for u in p if u[2] == label] for p in pred],
            "strict",
        )
        theirs = by_mode["strict"]
        assert (ours.correct, ours.incorrect, ours.missed, ours.spurious) == (
            theirs.correct,
            theirs.incorrect,
            theirs.missed,
            theirs.spurious,
        )
