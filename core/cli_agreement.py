"""``claimmark agreement``: how far annotators agree, measure by measure, and on what data."""

from __future__ import annotations

import json
from typing import Any

import click

from .agreement.report import AgreementError, AgreementQuery, compute_agreement
from .cli_context import CliState, pass_state
from .cli_output import echo

_MEANINGS = (
    ("F1 strict", "same offsets and label"),
    ("F1 exact", "same offsets, any label"),
    ("F1 partial", "overlap counts half, any label"),
    ("F1 type", "overlap with the same label"),
    ("Cohen κ", "tokens, each pair, chance-corrected"),
    ("Fleiss κ", "tokens, all annotators"),
    ("Krippendorff α", "tokens, all annotators, nominal"),
    ("αu", "characters, no tokens; Krippendorff's unitized alpha"),
)


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def render_text(report: dict[str, Any]) -> str:
    """The report as a person reads it: counts first, then the numbers, then what was left out."""
    lines = [
        f"annotators: {', '.join(report['annotators'])}",
        f"documents counted (labelled by all): {report['documents']}",
        f"tokens: {report['tokens']} ({report['tokenisation']})",
        "spans: " + ", ".join(f"{a} {n}" for a, n in report["spans"].items()),
        "",
        "overall",
    ]
    reasons = report["reasons"]
    for key, caption in (
        ("fleiss_kappa", "Fleiss κ"),
        ("krippendorff_alpha", "Krippendorff α"),
        ("alpha_u", "αu"),
    ):
        why = f"  ({reasons[key]})" if key in reasons else ""
        lines.append(f"  {caption}: {_number(report[key])}{why}")
    lines += ["", "pairs"]
    rows = [["a", "b", "docs", "F1 strict", "exact", "partial", "type", "Cohen κ"]]
    for pair in report["pairs"]:
        f1 = pair["f1"]
        rows.append(
            [pair["a"], pair["b"], str(pair["documents"])]
            + [_number(f1[m]) for m in ("strict", "exact", "partial", "type")]
            + [_number(pair["cohen_kappa"])]
        )
    lines += ["  " + row for row in _table(rows)]
    for pair in report["pairs"]:
        for key, why in pair.get("reasons", {}).items():
            lines.append(f"  {pair['a']}–{pair['b']} {key}: n/a ({why})")
    lines += ["", "per label"]
    rows = [["label", "F1 strict", "Krippendorff α", "αu"]]
    for label, entry in report["per_label"].items():
        rows.append(
            [label] + [_number(entry[k]) for k in ("f1_strict", "krippendorff_alpha", "alpha_u")]
        )
    lines += ["  " + row for row in _table(rows)]
    if "per_document" in report:
        lines += ["", "per document (lowest F1 first)"]
        rows = [["document", "F1 strict", "αu", "spans"]]
        ordered = sorted(
            report["per_document"], key=lambda d: (d["f1_strict"] is not None, d["f1_strict"] or 0)
        )
        for doc in ordered:
            spans = ", ".join(f"{a} {n}" for a, n in doc["spans"].items())
            rows.append([doc["id"], _number(doc["f1_strict"]), _number(doc["alpha_u"]), spans])
        lines += ["  " + row for row in _table(rows)]
    excluded = report["excluded"]
    lines += ["", "excluded"]
    if not excluded["documents"]:
        lines.append("  documents: none")
    for doc in excluded["documents"]:
        scope = " (still counted for the pairs who labelled it)" if doc.get("pairs_only") else ""
        lines.append(f"  document {doc['id']}: {doc['reason']}{scope}")
    lines.append(f"  spans in excluded documents: {excluded['spans']}")
    contested = ", ".join(f"{a} {n}" for a, n in excluded["tokens_with_two_labels"].items())
    lines.append(
        f"  tokens touched by two labels of one annotator (coded with the longest span's label): "
        f"{contested or 'none'}"
    )
    lines.append(
        "  overlapping same-label spans of one annotator merged for αu: "
        f"{excluded['overlapping_spans_merged_for_alpha_u']}"
    )
    lines += ["", "what the measures mean"]
    lines += [f"  {name}: {meaning}" for name, meaning in _MEANINGS]
    return "\n".join(lines)


@click.command("agreement")
@click.option(
    "--annotator",
    "annotators",
    multiple=True,
    metavar="NAME",
    help="An annotator to compare (repeat it). Default: every annotator layer, never gold or "
    "machine layers unless named.",
)
@click.option(
    "--label", "labels", multiple=True, metavar="KEY", help="Only this label (repeatable)."
)
@click.option(
    "--document", "documents", multiple=True, metavar="ID", help="Only this document (repeatable)."
)
@click.option(
    "--status",
    type=click.Choice(["done"]),
    help="Only documents every compared annotator has marked done.",
)
@click.option(
    "--per-document", is_flag=True, help="Add a row per document, lowest agreement first."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for scripts.")
@pass_state
def agreement_command(
    state: CliState,
    annotators: tuple[str, ...],
    labels: tuple[str, ...],
    documents: tuple[str, ...],
    status: str | None,
    per_document: bool,
    as_json: bool,
) -> None:
    """How far annotators agree: span F1 (strict, exact, partial, type) per pair, token-level
    Cohen's κ, Fleiss' κ and Krippendorff's α, and Krippendorff's unitized αu over characters,
    overall and per label.

    A document counts when every compared annotator has a span in it; span F1 counts are pooled
    over documents before F1 is taken. Tokens are Unicode word segments (UAX #29); a token takes
    the label of the span that covers it, or O. A measure the data cannot define is n/a (null in
    JSON) with the reason.
    """
    query = AgreementQuery(annotators, labels, documents, status == "done", per_document)
    try:
        report = compute_agreement(state.project(), query)
    except AgreementError as exc:
        echo(f"Error: {exc}", err=True)
        raise SystemExit(2) from exc
    if as_json:
        echo(json.dumps(report, ensure_ascii=False, indent=2), keep_newlines=True)
    else:
        echo(render_text(report), keep_newlines=True)
