"""Span ids are standard, unique, time-ordered UUIDs (version 7)."""

import time
import uuid

from claimmark.core.ids import new_span_id, new_span_ids


def test_span_ids_are_version_7_uuids_and_unique():
    ids = [new_span_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    for value in ids[:200]:
        parsed = uuid.UUID(value)
        assert str(parsed) == value
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


def test_later_ids_sort_after_earlier_ones(monkeypatch):
    """Ordered by millisecond (within one millisecond they are random)."""
    now = [1_764_000_000_000_000_000]
    monkeypatch.setattr(time, "time_ns", lambda: now[0])
    earlier = [new_span_id() for _ in range(50)]
    now[0] += 1_000_000  # one millisecond later
    later = [new_span_id() for _ in range(50)]
    assert max(earlier) < min(later)


def test_ids_made_together_are_the_same_kind_and_unique():
    ids = new_span_ids(5000) + [new_span_id() for _ in range(100)]
    assert len(set(ids)) == len(ids)
    for value in ids[:200]:
        parsed = uuid.UUID(value)
        assert str(parsed) == value
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert {value[19] for value in ids} == set("89ab")  # the variant digit takes all four
    assert new_span_ids(0) == []


def test_ids_made_together_sort_after_earlier_ones(monkeypatch):
    now = [1_764_000_000_000_000_000]
    monkeypatch.setattr(time, "time_ns", lambda: now[0])
    earlier = new_span_ids(50)
    now[0] += 1_000_000
    assert max(earlier) < min(new_span_ids(50)) and max(earlier) < new_span_id()
