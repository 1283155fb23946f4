"""Span ids are standard, unique, time-ordered UUIDs (version 7)."""

import time
import uuid

from claimmark.core.ids import new_span_id


def test_span_ids_are_version_7_uuids_and_unique():
    ids = [new_span_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    for value in ids[:200]:
        parsed = uuid.UUID(value)
        assert str(parsed) == value
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


def test_later_ids_sort_after_earlier_ones():
    first = new_span_id()
    time.sleep(0.002)  # ids are ordered by millisecond; within one they are random
    assert new_span_id() > first
