"""Timestamps as stored everywhere in a project: UTC, ISO 8601, microseconds, trailing Z.

One format so that string order is time order in SQL and in exports.
"""

from datetime import UTC, datetime


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
