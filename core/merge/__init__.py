"""Merging other people's project files into this one (``claimmark merge``).

``source`` opens a file to merge from (read-only, verified, one snapshot), ``records`` brings
one source's records in (one transaction), ``run`` merges several files, and ``summary`` says
what happened; ``store`` is where the project file is written.
"""
