"""claimmark's speed-and-scale benchmark suite: ``python -m bench`` from the repository root.

Not part of the pytest suite on purpose: timings depend on the machine, so nothing here asserts
a time inside the tests. See ``bench/README.md``.
"""
