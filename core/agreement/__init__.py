"""Inter-annotator agreement: span F1, token-level κ and α, and unitized αu over characters.

The measures are pure functions over plain tuples (``span_f1``, ``coefficients``, ``unitized``);
``report`` reads a project, decides which documents count, and assembles one JSON-ready result
that the CLI prints and the window shows.
"""
