"""Timestamps as stored everywhere in a project: UTC, ISO 8601, microseconds, trailing Z.

One format so that string order is time order in SQL and in exports.
"""

from datetime import UTC, datetime


def utc_now() -> str:
    """``2026-12-02T11:43:08.481341Z``; ``isoformat`` builds it in a third less time than
    ``strftime`` (an import stamps every document and its event)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")[:-6] + "Z"
