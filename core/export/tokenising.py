"""spaCy tokenisation shared by the spaCy, CoNLL and Hugging Face exports.

spaCy is imported here, lazily, and only by formats that need it, so the rest of claimmark (and
the other exports) work without it. Tokens come from ``spacy.blank(lang)``: rule-based, no model
download. Spans are aligned to tokens with ``Doc.char_span(alignment_mode=...)``; every span
whose offsets cannot be kept exactly is reported as a loss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..model import Span
from . import losses as L
from .errors import ExportError
from .losses import LossLog

INSTALL_HINT = "pip install 'claimmark[spacy]'"

#: Characters at which str.splitlines() breaks: a token holding one ends a CoNLL "sentence".
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def require_spacy() -> Any:
    try:
        import spacy
    except ImportError as exc:
        raise ExportError(f"this export format needs spaCy: {INSTALL_HINT} ({exc})") from exc
    return spacy


@cache
def blank_pipeline(lang: str) -> Any:
    spacy = require_spacy()
    try:
        return spacy.blank(lang)
    except Exception as exc:  # spaCy raises ImportError/ValueError/KeyError by language
        raise ExportError(f"spaCy has no blank pipeline for language {lang!r}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class AlignedSpan:
    span: Span
    #: Token range in the spaCy Doc (end exclusive) and its character range.
    token_start: int
    token_end: int
    start: int
    end: int


def align_spans(doc: Any, spans: Sequence[Span], mode: str, losses: LossLog) -> list[AlignedSpan]:
    """Spans moved onto token boundaries; a span that cannot be placed is a loss.

    Changed boundaries are not reported here: each format reports the offsets it finally writes.
    """
    aligned = []
    for span in spans:
        token_span = doc.char_span(span.start, span.end, alignment_mode=mode)
        if token_span is None or len(token_span) == 0:
            losses.span(
                span,
                L.NOT_TOKEN_ALIGNED,
                f"span edges are not on token boundaries (--align {mode})",
            )
            continue
        aligned.append(
            AlignedSpan(
                span, token_span.start, token_span.end, token_span.start_char, token_span.end_char
            )
        )
    return aligned


def report_changed(item: AlignedSpan, start: int, end: int, losses: LossLog, why: str) -> None:
    if (start, end) != (item.span.start, item.span.end):
        losses.span(
            item.span, L.BOUNDARIES_CHANGED, f"written as {start}-{end} ({why})", (start, end)
        )


def keep_non_overlapping(
    candidates: Sequence[tuple[AlignedSpan, frozenset[int]]],
    losses: LossLog,
    reason: str = L.OVERLAP,
) -> list[tuple[AlignedSpan, frozenset[int]]]:
    """The deterministic overlap rule of single-sequence formats.

    Spans are taken longest first (by characters of the original span), then earliest start,
    then label, annotator and id; a span sharing a written token with one already kept is
    dropped as a loss. It is the rule of spaCy's ``filter_spans`` with a total order.
    """
    ordered = sorted(
        candidates,
        key=lambda c: (
            -(c[0].span.end - c[0].span.start),
            c[0].span.start,
            c[0].span.label,
            c[0].span.annotator,
            c[0].span.id,
        ),
    )
    taken: dict[int, AlignedSpan] = {}
    kept = []
    for item, tokens in ordered:
        clash = next((taken[t] for t in sorted(tokens) if t in taken), None)
        if clash is not None:
            losses.span(
                item.span,
                reason,
                f"overlaps span {clash.span.id} ({clash.span.label} "
                f"{clash.span.start}-{clash.span.end}), which was kept",
            )
            continue
        kept.append((item, tokens))
        taken.update(dict.fromkeys(tokens, item))
    kept.sort(key=lambda c: min(c[1]))
    return kept


def iob2_tags(
    length: int,
    kept: Sequence[tuple[AlignedSpan, Iterable[int]]],
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """IOB2 tags over ``length`` written tokens; ``kept`` holds written-token index runs.

    ``names`` maps a label key to the name written in the tag (an imported label's own name,
    so ``B-PER`` comes back as ``B-PER``); a key not in it is written as itself.
    """
    names = names or {}
    tags = ["O"] * length
    for item, positions in kept:
        name = names.get(item.span.label, item.span.label)
        ordered = sorted(positions)
        tags[ordered[0]] = f"B-{name}"
        for p in ordered[1:]:
            tags[p] = f"I-{name}"
    return tags


def report_document_losses(spans: Sequence[Span], document_id: str, losses: LossLog) -> None:
    """Losses every span-merging, note-less format shares: notes and annotator identity."""
    for span in spans:
        if span.note:
            losses.span(span, L.NOTE_NOT_CARRIED, "this format has no place for notes")
    report_annotators_merged(spans, document_id, losses)


def report_annotators_merged(spans: Sequence[Span], document_id: str, losses: LossLog) -> None:
    annotators = sorted({span.annotator for span in spans})
    if len(annotators) > 1:
        losses.document(
            document_id,
            L.ANNOTATORS_MERGED,
            f"spans of {', '.join(annotators)} are merged; the format does not say who "
            "made which (export with --annotator to keep one)",
        )
