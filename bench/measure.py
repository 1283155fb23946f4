"""Timing primitives shared by the scenarios: perf_counter stopwatches, percentiles, peak RSS.

In ``--profile`` runs a single cProfile profiler is switched on only inside the timed regions,
so a profile shows where the measured time goes and nothing of the setup around it.
"""

from __future__ import annotations

import cProfile
import math
import resource
import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

#: Set by the worker in profile mode; enabled only while a ``timed`` block runs.
profiler: cProfile.Profile | None = None


class Stopwatch:
    """Collects one sample (in milliseconds) per ``timed()`` block."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        #: CPU time of this process (all threads) in the same blocks: less sensitive than the
        #: wall clock to other processes competing for the 2 cores.
        self.cpu_samples: list[float] = []

    @contextmanager
    def timed(self) -> Iterator[None]:
        if profiler is not None:
            profiler.enable()
        c0 = time.process_time()
        t0 = time.perf_counter()
        try:
            yield
        finally:
            t1 = time.perf_counter()
            c1 = time.process_time()
            if profiler is not None:
                profiler.disable()
            self.samples.append((t1 - t0) * 1000)
            self.cpu_samples.append((c1 - c0) * 1000)

    def result(self, extra: dict) -> dict:
        return {"samples": self.samples, "cpu_samples": self.cpu_samples, "extra": extra}


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile: a value that was actually observed."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(0.95 * len(ordered)))
    return ordered[rank - 1]


def peak_rss_mb() -> float:
    """This process's peak resident set size, in MiB.

    Linux: ``VmHWM`` from /proc/self/status. Not ``ru_maxrss``: Linux carries it across
    fork + exec, so a worker started by a big runner process would report the runner's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
