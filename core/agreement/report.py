"""Agreement between annotators of a project: which documents count, and every measure side by side.

Definitions (README and ``claimmark agreement --help`` say the same):

* A document counts for a set of annotators when each of them has at least one span in it (any
  label; with ``status_done`` also when each has marked it done); the others are listed as excluded
  with the reason. Pairwise measures use the documents that count for the pair; Fleiss' κ,
  Krippendorff's α and αu use those that count for all the chosen annotators.
* Span F1 counts are pooled over the counted documents (micro) before F1 is taken
  (``span_f1``); per-label F1 is the mean over pairs of that label's strict F1.
* Token measures code each token (``tokens.SEGMENTATION``) with its label or ``O``; per label, with
  "this label" or not. αu works on characters and needs no tokens; per label it codes "this label"
  against everything else, and overall it pools every label's disagreements.
* A measure the data cannot define (no variation, nothing to compare) is None, and ``reasons``
  says why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from statistics import fmean
from typing import Any

from ..model import ClaimmarkError, Layer, Span
from . import coefficients, span_f1, tokens, unitized


class AgreementError(ClaimmarkError):
    """The selection cannot be compared (too few annotators, unknown names); nothing computed."""


@dataclass(frozen=True)
class AgreementQuery:
    annotators: Sequence[str] = ()
    labels: Sequence[str] = ()
    documents: Sequence[str] = ()
    status_done: bool = False
    per_document: bool = False


@dataclass
class _Doc:
    id: str
    title: str
    text: str
    #: annotator -> [(start, end, label)], label filter applied.
    units: dict[str, list[span_f1.Unit]]
    #: The chosen annotators who labelled it (and, with ``status_done``, marked it done).
    labelled: frozenset[str]
    tokens: list[tokens.Token] = field(default_factory=list)


def is_person_layer(layer: Layer) -> bool:
    """A person's own work: not ``gold``, not a machine layer, and not imported predictions
    (Label Studio's ``labelstudio-prediction``), which are compared only when named."""
    return layer.kind == "person" and not layer.name.endswith("-prediction")


def _check_names(project: Any, query: AgreementQuery) -> list[str]:
    """The annotators to compare: those named, or every person with a span in the project."""
    known = set(project.annotators())
    for name in query.annotators:
        if name not in known:
            raise AgreementError(f"unknown annotator {name!r} (known: {', '.join(sorted(known))})")
    labels = {label.key for label in project.labels()}
    for key in query.labels:
        if key not in labels:
            raise AgreementError(f"unknown label {key!r} (labels: {', '.join(sorted(labels))})")
    if query.documents:
        for document_id in query.documents:
            if not project.has_document(document_id):
                raise AgreementError(f"unknown document {document_id!r}")
    chosen = list(dict.fromkeys(query.annotators)) or [
        layer.name
        for layer in sorted(project.layers(), key=lambda layer: layer.name)
        if layer.span_count and is_person_layer(layer)
    ]
    if len(chosen) < 2:
        have = ", ".join(chosen) if chosen else "none"
        raise AgreementError(
            f"agreement needs two or more annotators; this selection has {len(chosen)} ({have})"
        )
    return chosen


def _read_documents(
    project: Any, annotators: list[str], query: AgreementQuery
) -> tuple[list[_Doc], list[dict[str, Any]], int]:
    """Every document any chosen annotator labelled, with spans; and the ones that cannot count."""
    spans: list[Span] = project.spans(annotators=annotators)
    by_document: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        if not query.documents or span.document_id in query.documents:
            by_document[span.document_id].append(span)
    ids = sorted(by_document)
    statuses = project.statuses_by_document(ids) if query.status_done else {}
    excluded: list[dict[str, Any]] = []
    excluded_spans = 0
    kept: list[str] = []
    for document_id in ids:
        not_done = [
            a
            for a in annotators
            if query.status_done and statuses.get(document_id, {}).get(a) != "done"
        ]
        labelled = {s.annotator for s in by_document[document_id]}
        if query.status_done and len([a for a in annotators if a not in not_done]) < 2:
            excluded.append({"id": document_id, "reason": f"not done by {', '.join(not_done)}"})
            excluded_spans += len(by_document[document_id])
            continue
        if len(labelled) < 2:
            only = ", ".join(sorted(labelled))
            excluded.append({"id": document_id, "reason": f"only {only} labelled it"})
            excluded_spans += len(by_document[document_id])
            continue
        kept.append(document_id)
    docs: list[_Doc] = []
    wanted = set(query.labels)
    for document in project.iter_documents(kept):
        units: dict[str, list[span_f1.Unit]] = {a: [] for a in annotators}
        done_by = {a for a in annotators if statuses.get(document.id, {}).get(a) == "done"}
        for span in by_document[document.id]:
            if query.status_done and span.annotator not in done_by:
                continue
            if wanted and span.label not in wanted:
                continue
            units[span.annotator].append((span.start, span.end, span.label))
        labelled = {s.annotator for s in by_document[document.id]}
        if query.status_done:
            labelled &= done_by
        docs.append(_Doc(document.id, document.title, document.text, units, frozenset(labelled)))
    return docs, excluded, excluded_spans


def _counted(docs: Iterable[_Doc], annotators: Sequence[str]) -> list[_Doc]:
    return [d for d in docs if all(a in d.labelled for a in annotators)]


def _pair_f1(docs: Sequence[_Doc], a: str, b: str, label: str | None = None) -> dict[str, Any]:
    totals = {mode: span_f1.Counts() for mode in span_f1.MODES}
    for doc in docs:
        ua, ub = doc.units[a], doc.units[b]
        if label is not None:
            ua = [u for u in ua if u[2] == label]
            ub = [u for u in ub if u[2] == label]
        for mode in span_f1.MODES:
            totals[mode].add(span_f1.count(ua, ub, mode))
    return {
        "f1": {mode: totals[mode].f1() for mode in span_f1.MODES},
        "counts": {mode: totals[mode].as_dict() for mode in span_f1.MODES},
    }


def _token_codes(
    docs: Sequence[_Doc], annotators: Sequence[str], contested: dict[str, int]
) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {a: [] for a in annotators}
    for doc in docs:
        if not doc.tokens:
            doc.tokens = tokens.word_tokens(doc.text)
        for a in annotators:
            doc_codes, two_labels = tokens.code_tokens(doc.tokens, doc.units[a])
            codes[a].extend(doc_codes)
            contested[a] = contested.get(a, 0) + two_labels
    return codes


def _binary(codes: Sequence[str], label: str) -> list[str]:
    return [label if c == label else "other" for c in codes]


def _alpha_u(
    docs: Sequence[_Doc], annotators: Sequence[str], labels: Sequence[str]
) -> tuple[float | None, dict[str, float | None], int]:
    """αu overall and per label over the documents laid end to end; and how many spans were
    merged because one annotator's spans of one label overlapped (αu's sections cannot)."""
    offsets, boundaries, position = {}, [], 0
    for doc in docs:
        offsets[doc.id] = position
        position += len(doc.text)
        boundaries.append(position)
    per_label: dict[str, float | None] = {}
    disagreements = []
    merged = 0
    for label in labels:
        units_by_annotator = []
        for a in annotators:
            extents = sorted(
                (offsets[doc.id] + s, offsets[doc.id] + e)
                for doc in docs
                for s, e, key in doc.units[a]
                if key == label
            )
            union: list[list[int]] = []
            for s, e in extents:
                if union and s < union[-1][1]:
                    union[-1][1] = max(union[-1][1], e)
                    merged += 1
                else:
                    union.append([s, e])
            units_by_annotator.append([(s, e) for s, e in union])
        found = unitized.category_disagreement(units_by_annotator, position, boundaries)
        per_label[label] = found.alpha
        disagreements.append(found)
    return unitized.overall_alpha(disagreements), per_label, merged


def _measure(target: dict[str, Any], reasons: dict[str, str], key: str, result) -> None:
    value, reason = result
    target[key] = value
    if value is None and reason:
        reasons[key] = reason


Progress = Callable[[str], None]


def _silent(_stage: str) -> None:
    pass


def compute_agreement(
    project: Any, query: AgreementQuery = AgreementQuery(), progress: Progress = _silent
) -> dict[str, Any]:
    """Every measure for the selection, as one JSON-ready dict (the ``--json`` output).

    ``progress`` is told each stage as it starts; a window shows it, and may raise from it to
    stop (nothing is written, so stopping anywhere is safe).
    """
    annotators = _check_names(project, query)
    progress("reading spans")
    docs, excluded, excluded_spans = _read_documents(project, annotators, query)
    labels = list(query.labels) or [label.key for label in project.labels()]
    counted = _counted(docs, annotators)
    for doc in docs:
        if doc not in counted:
            missing = [a for a in annotators if a not in doc.labelled]
            excluded.append(
                {
                    "id": doc.id,
                    "reason": f"not labelled by {', '.join(missing)}",
                    "pairs_only": True,
                }
            )
    reasons: dict[str, str] = {}
    contested: dict[str, int] = {}
    result: dict[str, Any] = {
        "annotators": annotators,
        "labels": labels,
        "documents": len(counted),
        "tokenisation": tokens.SEGMENTATION,
    }
    progress("coding tokens")
    codes = _token_codes(counted, annotators, contested)
    token_count = len(codes[annotators[0]]) if annotators else 0
    result["tokens"] = token_count
    result["spans"] = {a: sum(len(d.units[a]) for d in counted) for a in annotators}

    pairs = []
    for a, b in combinations(annotators, 2):
        progress(f"comparing {a} and {b}")
        pair_docs = _counted(docs, (a, b))
        pair: dict[str, Any] = {"a": a, "b": b, "documents": len(pair_docs)}
        pair.update(_pair_f1(pair_docs, a, b))
        pair_reasons: dict[str, str] = {}
        pair_contested: dict[str, int] = {}
        pair_codes = _token_codes(pair_docs, (a, b), pair_contested)
        _measure(pair, pair_reasons, "cohen_kappa", coefficients.cohen_kappa(*pair_codes.values()))
        pair["tokens"] = len(pair_codes[a])
        pair["per_label_f1_strict"] = {
            label: _pair_f1(pair_docs, a, b, label)["f1"]["strict"] for label in labels
        }
        if pair_reasons:
            pair["reasons"] = pair_reasons
        pairs.append(pair)
    result["pairs"] = pairs

    progress("computing κ, α and αu")
    items = list(zip(*(codes[a] for a in annotators), strict=True))
    _measure(result, reasons, "fleiss_kappa", coefficients.fleiss_kappa(items))
    _measure(result, reasons, "krippendorff_alpha", coefficients.krippendorff_alpha(items))
    if counted:
        alpha_u, alpha_u_per_label, merged = _alpha_u(counted, annotators, labels)
    else:
        alpha_u, alpha_u_per_label, merged = None, dict.fromkeys(labels), 0
    result["alpha_u"] = alpha_u
    if alpha_u is None:
        reasons["alpha_u"] = (
            "no document is labelled by every chosen annotator"
            if not counted
            else ("no spans of any chosen label")
        )

    per_label: dict[str, Any] = {}
    for label in labels:
        entry: dict[str, Any] = {}
        label_reasons: dict[str, str] = {}
        scores = [p["per_label_f1_strict"][label] for p in pairs]
        defined = [s for s in scores if s is not None]
        entry["f1_strict"] = fmean(defined) if defined else None
        if not defined:
            label_reasons["f1_strict"] = "no annotator used this label"
        entry["alpha_u"] = alpha_u_per_label.get(label)
        if entry["alpha_u"] is None:
            label_reasons["alpha_u"] = "nothing to compare: no spans of this label"
        binary = list(zip(*(_binary(codes[a], label) for a in annotators), strict=True))
        _measure(
            entry, label_reasons, "krippendorff_alpha", coefficients.krippendorff_alpha(binary)
        )
        entry["spans"] = {
            a: sum(1 for d in counted for u in d.units[a] if u[2] == label) for a in annotators
        }
        if label_reasons:
            entry["reasons"] = label_reasons
        per_label[label] = entry
    result["per_label"] = per_label
    result["excluded"] = {
        "documents": excluded,
        "spans": excluded_spans,
        "tokens_with_two_labels": contested,
        "overlapping_spans_merged_for_alpha_u": merged,
    }
    if query.per_document:
        result["per_document"] = [_document_row(doc, annotators, labels) for doc in counted]
    result["reasons"] = reasons
    return result


def _document_row(doc: _Doc, annotators: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    strict = []
    for a, b in combinations(annotators, 2):
        strict.append(_pair_f1([doc], a, b)["f1"]["strict"])
    defined = [s for s in strict if s is not None]
    alpha_u, _, _ = _alpha_u([doc], annotators, labels)
    return {
        "id": doc.id,
        "title": doc.title,
        "f1_strict": fmean(defined) if defined else None,
        "alpha_u": alpha_u,
        "spans": {a: len(doc.units[a]) for a in annotators},
    }


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A span of one layer that the other layer does not have exactly (same offsets and label)."""

    document_id: str
    span_id: str
    annotator: str
    other: str
    start: int
    end: int
    label: str
    text: str
    #: "missing" (nothing overlaps it in the other layer), "label" (same offsets, other label),
    #: or "boundaries" (the other layer has an overlapping span with other offsets).
    kind: str


def disagreements(project: Any, a: str, b: str, labels: Sequence[str] = ()) -> list[Disagreement]:
    """Every span of ``a`` or ``b`` with no exact twin in the other, by document and text order."""
    found: list[Disagreement] = []
    spans = project.spans(annotators=[a, b], labels=list(labels) or None)
    by_document: dict[str, dict[str, list[Span]]] = defaultdict(lambda: {a: [], b: []})
    for span in spans:
        by_document[span.document_id][span.annotator].append(span)
    for document_id in sorted(by_document):
        layers = by_document[document_id]
        if not layers[a] or not layers[b]:
            continue  # only one of them labelled it: not counted, not a disagreement
        for mine, theirs in ((a, b), (b, a)):
            exact = {(s.start, s.end, s.label) for s in layers[theirs]}
            for span in layers[mine]:
                if (span.start, span.end, span.label) in exact:
                    continue
                unit = (span.start, span.end, span.label)
                others = [
                    s for s in layers[theirs] if span_f1.overlaps(unit, (s.start, s.end, s.label))
                ]
                if not others:
                    kind = "missing"
                elif any(s.start == span.start and s.end == span.end for s in others):
                    kind = "label"
                else:
                    kind = "boundaries"
                found.append(
                    Disagreement(
                        document_id,
                        span.id,
                        mine,
                        theirs,
                        span.start,
                        span.end,
                        span.label,
                        span.text,
                        kind,
                    )
                )
    found.sort(key=lambda d: (d.document_id, d.start, d.end, d.annotator))
    return found
