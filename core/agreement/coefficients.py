"""Cohen's κ, Fleiss' κ and Krippendorff's α (nominal) over items coded by every annotator.

These are a few lines each over one contingency table; the libraries that implement them
(scikit-learn, statsmodels, krippendorff) would bring numpy/scipy/pandas into a desktop app for
that, so they serve instead as oracles in the tests, on the same codings.

Each function returns ``(value, reason)``: ``value`` is None when the measure is undefined for
the data, and ``reason`` then says why in words a user can act on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

Result = tuple[float | None, str | None]


def cohen_kappa(x: Sequence[str], y: Sequence[str]) -> Result:
    if len(x) != len(y):
        raise ValueError("both annotators must code the same items")
    n = len(x)
    if n == 0:
        return None, "no tokens to compare"
    observed = sum(1 for a, b in zip(x, y, strict=True) if a == b) / n
    cx, cy = Counter(x), Counter(y)
    expected = sum(cx[k] * cy[k] for k in cx) / (n * n)
    if expected == 1:
        return None, "no variation: both annotators gave every token the same code"
    return (observed - expected) / (1 - expected), None


def fleiss_kappa(items: Sequence[Sequence[str]]) -> Result:
    """Fleiss (1971): every item is coded by the same number of annotators (two or more)."""
    if not items:
        return None, "no tokens to compare"
    raters = len(items[0])
    if raters < 2:
        return None, "needs two or more annotators"
    totals: Counter[str] = Counter()
    agreement = 0.0
    for codes in items:
        counts = Counter(codes)
        totals.update(counts)
        agreement += (sum(c * c for c in counts.values()) - raters) / (raters * (raters - 1))
    observed = agreement / len(items)
    all_codes = len(items) * raters
    expected = sum((c / all_codes) ** 2 for c in totals.values())
    if expected == 1:
        return None, "no variation: every token has the same code"
    return (observed - expected) / (1 - expected), None


def krippendorff_alpha(items: Sequence[Sequence[str]]) -> Result:
    """Krippendorff's α with the nominal distance, from the coincidence matrix.

    α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k, where each item with m values adds each
    ordered pair of its values with weight 1/(m − 1). Items with fewer than two values are not
    pairable and are left out, as Krippendorff prescribes.
    """
    disagreeing = 0.0
    marginals: Counter[str] = Counter()
    for codes in items:
        m = len(codes)
        if m < 2:
            continue
        counts = Counter(codes)
        marginals.update(counts)
        same = sum(c * (c - 1) for c in counts.values())
        disagreeing += (m * (m - 1) - same) / (m - 1)
    n = sum(marginals.values())
    if n == 0:
        return None, "no tokens to compare"
    expected = n * n - sum(c * c for c in marginals.values())
    if expected == 0:
        return None, "no variation: every token has the same code"
    return 1 - (n - 1) * disagreeing / expected, None
