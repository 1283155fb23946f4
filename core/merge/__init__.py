"""Merging other people's project files into this one (``claimmark merge``).

``source`` opens a file to merge from (read-only, verified, one snapshot); ``schema_merge``
and ``record_merge`` bring one file's labels, types and layers, then its documents, spans,
relations and statuses in (``context`` holds what both need); ``run`` merges several files,
one transaction each; ``summary`` says what happened; ``store`` writes the project file.
"""
