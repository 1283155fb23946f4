"""Turning runs into checks against the budgets, a table for the terminal, and JSON."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from .config import BUDGETS, Budget
from .measure import median, p95


@dataclass
class Row:
    scenario: str
    title: str
    metric: str
    app: float | None
    baseline: float | None
    ratio: float | None
    unit: str  # of app/baseline: "ms", "s", "MB", "count"
    budget: str
    result: str  # PASS, MISS, INFO, N/A, ERROR
    note: str = ""
    #: Where a scenario has the bare loader as its budget's baseline: the full-row baseline of
    #: earlier runs, and claimmark's ratio to it.
    baseline2: float | None = None
    ratio2: float | None = None


def _pooled(runs: list[dict], key: str = "samples") -> list[float]:
    return [s for run in runs for s in run.get(key, [])]


def _extra_values(runs: list[dict], key: str) -> list[float]:
    return [run["extra"][key] for run in runs if key in run.get("extra", {})]


def _budget(scenario: str, metric: str) -> Budget | None:
    return next((b for b in BUDGETS if b.scenario == scenario and b.metric == metric), None)


def _ratio(a: float, b: float) -> float | None:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else None


def _unmeasured_rows(name: str, title: str, result: str, note: str) -> list[Row]:
    """One row per budget of a scenario that produced no numbers, saying why."""
    return [
        Row(name, title, b.metric, None, None, None, b.unit, b.describe(), result, note)
        for b in BUDGETS
        if b.scenario == name
    ]


def summarise(name: str, title: str, outcome: dict) -> tuple[dict, list[Row]]:
    """``outcome`` holds "app" and "baseline" run lists, "errors", and maybe "unavailable"."""
    rows: list[Row] = []
    if outcome.get("unavailable"):
        rows = _unmeasured_rows(name, title, "N/A", "not available: " + outcome["unavailable"])
        return {"unavailable": outcome["unavailable"]}, rows
    # The bare loader, where a scenario has one, is what the budget compares with.
    judge = "bare" if "bare" in outcome else "baseline"
    app, base = _pooled(outcome["app"]), _pooled(outcome[judge])
    second = _pooled(outcome["baseline"]) if judge == "bare" else []
    variants = [v for v in ("app", "bare", "baseline") if v in outcome]
    summary = {
        variant: {
            "median_ms": median(_pooled(outcome[variant])),
            "p95_ms": p95(_pooled(outcome[variant])),
            "cpu_median_ms": median(_pooled(outcome[variant], "cpu_samples")),
            "samples": len(_pooled(outcome[variant])),
        }
        for variant in variants
    }
    if outcome["errors"] and not app:
        rows = _unmeasured_rows(name, title, "ERROR", outcome["errors"][0][:120])
        return summary, rows

    def check(metric: str, value: float, base_value: float | None, unit: str) -> None:
        budget = _budget(name, metric)
        ratio = _ratio(value, base_value) if base_value is not None else None
        if budget is None:
            rows.append(Row(name, title, metric, value, base_value, ratio, unit, "", "INFO"))
            return
        judged = ratio if budget.unit == "ratio" else value
        result = "PASS" if judged is not None and budget.passes(judged) else "MISS"
        if outcome["errors"]:
            result = "ERROR"
        rows.append(
            Row(name, title, metric, value, base_value, ratio, unit, budget.describe(), result)
        )

    if name in ("label", "label_layers", "scroll"):
        check("median", median(app), median(base), "ms")
        check("p95", p95(app), p95(base), "ms")
    elif name == "cold_start":
        check("median", median(app) / 1000, median(base) / 1000, "s")
    elif name == "big_project":
        check("window open", median(app), median(base), "ms")
        scroll_app = median(_extra_values(outcome["app"], "list_scroll_ms"))
        scroll_base = median(_extra_values(outcome["baseline"], "list_scroll_ms"))
        check("list scroll, top→bottom", scroll_app, scroll_base, "ms")
        rss_app = max(_extra_values(outcome["app"], "peak_rss_mb"), default=math.nan)
        rss_base = max(_extra_values(outcome["baseline"], "peak_rss_mb"), default=math.nan)
        check("peak_rss", rss_app, rss_base, "MB")
        loaded = max(_extra_values(outcome["app"], "texts_loaded"), default=math.nan)
        check("texts_loaded", loaded, None, "count")
        summary["peak_rss_mb"] = {"app": rss_app, "baseline": rss_base}
        summary["texts_loaded"] = loaded
    elif name == "open":
        check("ratio", median(app), median(base), "ms")
        filled = median(_extra_values(outcome["app"], "table_filled_ms"))
        check("table filled too", filled, median(base), "ms")
    elif name == "open_layers":
        check("ratio", median(app), median(base), "ms")
        settled = median(_extra_values(outcome["app"], "settled_ms"))
        check("other layers read, table filled too", settled, median(base), "ms")
    else:
        check("ratio", median(app), median(base), "ms")
        if second:
            rows[-1].baseline2 = median(second)
            rows[-1].ratio2 = _ratio(median(app), median(second))
    return summary, rows


def _fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "ms" and value >= 1000:
        return f"{value / 1000:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g}"


def _fmt_ratio(ratio: float | None) -> str:
    return f"{ratio:.2f}×" if ratio is not None else "—"


def table(rows: list[Row]) -> str:
    header = ["Scenario", "Metric", "claimmark", "baseline", "ratio", "budget", "result"]
    second = any(r.baseline2 is not None for r in rows)
    if second:
        header += ["full-row baseline", "ratio to it"]
    lines = [
        [
            r.title,
            r.metric,
            _fmt(r.app, r.unit),
            _fmt(r.baseline, r.unit),
            _fmt_ratio(r.ratio),
            r.budget or "—",
            r.result + (f" ({r.note})" if r.note else ""),
        ]
        + ([_fmt(r.baseline2, r.unit), _fmt_ratio(r.ratio2)] if second else [])
        for r in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]

    def fmt(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [fmt(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [fmt(line) for line in lines]
    return "\n".join(out)


def rows_as_dicts(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]
