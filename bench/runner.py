"""``python -m bench``: build corpora, run each scenario in fresh processes, print the table.

Isolation: every (scenario, variant, repeat) is its own ``python -m bench.worker`` process,
run one at a time (the machine has 2 cores; nothing else of ours runs meanwhile). Within a
repeat the app and its baselines take turns at going first, so slow drift of the machine does
not favour any of them.

Exit status: 0 when every scenario ran (budgets met or not), 2 when a scenario failed to run,
1 when ``--fail-on-budget`` is given and a budget is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import machine
from .config import DEFAULT_REPEAT, DEFAULT_SEED, FULL, QUICK, QUICK_REPEAT, cache_root, sizes_dict
from .report import rows_as_dicts, summarise, table
from .scenario_list import BY_NAME, SCENARIOS, repo_root
from .worker import RESULT_PREFIX

WORKER_TIMEOUT_S = 3600

#: Imported once before any measurement so their .pyc files exist (see ``worker_env``).
WARM_IMPORTS = """
import PySide6.QtTest, sqlite_utils
import claimmark.gui.main_window, claimmark.gui.app, claimmark.core.importing
import claimmark.core.formats.jsonl_writer
try:
    import claimmark.core.export, claimmark.core.export.registry
except ImportError:
    pass
try:
    import spacy
    spacy.blank("xx")
except ImportError:
    pass
"""


def worker_env(tmp: Path) -> dict[str, str]:
    """Offscreen Qt, throwaway config and user data (the app's backups), and .pyc files kept
    in the bench cache.

    Some environments (this one) set PYTHONDONTWRITEBYTECODE, which makes every process
    recompile every module it imports; a user's installed app has its .pyc files. A private
    PYTHONPYCACHEPREFIX keeps compile time out of the measurements without writing into the
    repository or site-packages.
    """
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp / "cfg"),
        XDG_DATA_HOME=str(tmp / "data"),  # the backup the window takes on opening lands here
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache_root() / "pycache")
    return env


def warm_imports() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="cmbench-warm-"))
    try:
        subprocess.run(
            [sys.executable, "-c", WARM_IMPORTS],
            cwd=repo_root(),
            env=worker_env(tmp),
            capture_output=True,
            timeout=600,
            check=False,
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpora, 2 repeats (smoke)")
    parser.add_argument("--repeat", type=int, help=f"runs per variant (default {DEFAULT_REPEAT})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--only", help="comma-separated scenarios: " + ",".join(s.name for s in SCENARIOS)
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument(
        "--results-dir",
        type=Path,
        help="where latest.json and profiles go (default: results/ in the bench cache,"
        f" {cache_root() / 'results'}; never inside the checkout unless asked)",
    )
    parser.add_argument(
        "--fail-on-budget", action="store_true", help="exit 1 when a budget is missed"
    )
    parser.add_argument(
        "--profile",
        metavar="SCENARIO",
        help="run SCENARIO's app variant once under cProfile (timed regions only) and print"
        " where the time goes, instead of the benchmark",
    )
    return parser.parse_args(argv)


def run_worker(scenario: str, variant: str, params: dict) -> dict:
    """One measurement in a fresh process; returns its result or {"error": ...}."""
    tmp = Path(tempfile.mkdtemp(prefix=f"cmbench-{scenario}-"))
    try:
        env = worker_env(tmp)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.worker",
                scenario,
                variant,
                json.dumps(params | {"tmp": str(tmp)}),
            ],
            cwd=repo_root(),
            env=env,
            capture_output=True,
            text=True,
            timeout=WORKER_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {WORKER_TIMEOUT_S} s"}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not results:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-3000:]}"}
    return json.loads(results[-1].removeprefix(RESULT_PREFIX))


def _headline(result: dict) -> str:
    samples = result.get("samples") or []
    if not samples:
        return "no samples"
    ordered = sorted(samples)
    mid = ordered[len(ordered) // 2]
    return f"{mid:.1f} ms" + (f" (median of {len(samples)})" if len(samples) > 1 else "")


def run_scenario(scenario, params: dict, repeat: int, seed: int) -> dict:
    variants = scenario.variants
    outcome: dict = {v: [] for v in variants} | {"errors": [], "unavailable": None}
    for r in range(repeat):
        shift = r % len(variants)  # each variant takes its turn at going first
        for variant in variants[shift:] + variants[:shift]:
            t0 = time.perf_counter()
            result = run_worker(scenario.name, variant, params | {"seed": seed + r})
            wall = time.perf_counter() - t0
            if "unavailable" in result:
                outcome["unavailable"] = result["unavailable"]
                _log(f"  [{scenario.name}] NOT AVAILABLE: {result['unavailable']}")
                return outcome
            if "error" in result:
                outcome["errors"].append(f"{variant}: {result['error']}")
                _log(f"  [{scenario.name}] {variant} run {r + 1} ERROR:\n{result['error']}")
                continue
            outcome[variant].append(result)
            _log(
                f"  [{scenario.name}] {variant:8} {r + 1}/{repeat}: {_headline(result)}"
                f"  ({wall:.1f} s wall)"
            )
    return outcome


def _profile(name: str, params: dict, seed: int, results_dir: Path) -> int:
    import pstats

    results_dir.mkdir(parents=True, exist_ok=True)
    prof = results_dir / f"profile-{name}.prof"
    result = run_worker(name, "app", params | {"seed": seed, "profile": str(prof)})
    if "error" in result or "unavailable" in result:
        _log(result.get("error") or result["unavailable"])
        return 2
    report = results_dir / f"profile-{name}.txt"
    with report.open("w") as out:
        out.write(
            f"{name}: timed regions only; samples (ms, inflated by profiling): "
            f"{[round(s, 1) for s in result['samples'][:20]]}\n"
        )
        for order in ("cumulative", "tottime"):
            out.write(f"\n==== sorted by {order} ====\n")
            stats = pstats.Stats(str(prof), stream=out)
            stats.sort_stats(order).print_stats(40)
    print(report.read_text())
    _log(f"profile written to {report} (raw: {prof})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    repeat = args.repeat or (QUICK_REPEAT if args.quick else DEFAULT_REPEAT)
    names = args.only.split(",") if args.only else [s.name for s in SCENARIOS]
    if args.profile:
        names = [args.profile]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        _log(f"unknown scenario(s): {', '.join(unknown)}")
        return 2
    root = repo_root()
    results_dir = args.results_dir or cache_root() / "results"
    started = time.perf_counter()
    machine_at_start = machine.describe(root)  # others may commit while a long run goes on
    _log(
        f"claimmark bench: {'quick' if args.quick else 'full'} sizes, {repeat} repeat(s),"
        f" seed {args.seed}; cache {cache_root()}"
    )

    prepared: dict[str, dict] = {}
    try:
        for name in names:
            prepared[name] = BY_NAME[name].prepare(args.seed, sizes, _log)
    except Exception as exc:  # a corpus that cannot be built is an error of the suite
        _log(f"preparing corpora failed: {exc!r}")
        raise

    warm_imports()
    if args.profile:
        return _profile(args.profile, prepared[args.profile], args.seed, results_dir)

    all_rows, scenarios_json = [], {}
    errors = False
    for name in names:
        scenario = BY_NAME[name]
        _log(f"{scenario.title} ...")
        runs = args.repeat or (QUICK_REPEAT if args.quick else scenario.repeat or DEFAULT_REPEAT)
        outcome = run_scenario(scenario, prepared[name], runs, args.seed)
        errors |= bool(outcome["errors"])
        summary, rows = summarise(name, scenario.title, outcome)
        all_rows += rows
        scenarios_json[name] = {
            "title": scenario.title,
            "params": prepared[name],
            "repeat": runs,
            "summary": summary,
            "runs": {v: outcome[v] for v in scenario.variants},
            "errors": outcome["errors"],
            "unavailable": outcome["unavailable"],
        }

    text = table(all_rows)
    loads = [
        run.get("loadavg_1min", 0.0)
        for entry in scenarios_json.values()
        for runs in entry["runs"].values()
        for run in runs
    ]
    if loads:
        text += (
            f"\n\n1-min load average at the end of each run: {min(loads):.2f}–{max(loads):.2f}"
            f" on {os.cpu_count()} CPUs (the run itself accounts for ~1; more means something else"
            " competed for the CPUs)"
        )
    print(text)
    missed = [r for r in all_rows if r.result == "MISS"]
    unavailable = [r for r in all_rows if r.result == "N/A"]
    print(
        f"\n{len(missed)} budget(s) missed"
        + (f": {', '.join(f'{r.scenario} {r.metric}' for r in missed)}" if missed else "")
        + (f"; {len(unavailable)} not available" if unavailable else "")
        + (" ; ERRORS, see above" if errors else "")
    )
    if args.quick:
        print("(--quick: small corpora; only a full run says whether a budget is met)")
    elapsed = time.perf_counter() - started
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "repeat": repeat,
        "seed": args.seed,
        "elapsed_s": round(elapsed, 1),
        "sizes": sizes_dict(sizes),
        "machine": machine_at_start,
        "git_at_end": {k: v for k, v in machine.describe(root).items() if k.startswith("git")},
        "rows": rows_as_dicts(all_rows),
        "table": text,
        "scenarios": scenarios_json,
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    targets = [results_dir / "latest.json"] + ([args.json] if args.json else [])
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2, default=str) + "\n")
    _log(f"results: {', '.join(map(str, targets))}  ({elapsed:.0f} s)")
    if errors:
        return 2
    if args.fail_on_budget and missed:
        return 1
    return 0
