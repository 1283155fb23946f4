"""merge_segments and SegmentIndex against a character-by-character reference."""

import random
from itertools import pairwise

import pytest

from claimmark.core.highlight_segments import Segment, SegmentIndex, merge_segments

ORDER = ("claim", "denial", "casualty_report", "attribution")


def labels_per_char(spans, length):
    """The obvious, slow answer: the set of labels over every character."""
    chars = [set() for _ in range(length)]
    for start, end, label in spans:
        for i in range(max(start, 0), min(end, length)):
            chars[i].add(label)
    return chars


def expand(segments, length):
    chars = [set() for _ in range(length)]
    for seg in segments:
        for i in range(seg.start, seg.end):
            chars[i] |= set(seg.labels)
    return chars


def random_spans(rng, count, length):
    spans = []
    for _ in range(count):
        start = rng.randrange(length)
        spans.append((start, min(length, start + rng.randrange(1, 12)), rng.choice(ORDER)))
    return spans


def check_shape(segments):
    for seg in segments:
        assert seg.start < seg.end
        assert seg.labels
        assert len(set(seg.labels)) == len(seg.labels)
    for a, b in pairwise(segments):
        assert a.end <= b.start


def test_nested_spans_split_into_three_segments():
    spans = [(0, 20, "claim"), (5, 10, "casualty_report")]
    assert merge_segments(spans, ORDER) == [
        Segment(0, 5, ("claim",)),
        Segment(5, 10, ("claim", "casualty_report")),
        Segment(10, 20, ("claim",)),
    ]


def test_labels_follow_the_given_order_then_alphabetical():
    spans = [(0, 4, "zeta"), (0, 4, "attribution"), (0, 4, "alpha"), (0, 4, "claim")]
    assert merge_segments(spans, ORDER) == [
        Segment(0, 4, ("claim", "attribution", "alpha", "zeta"))
    ]


def test_gaps_empty_and_duplicate_spans():
    spans = [(0, 3, "claim"), (0, 3, "claim"), (5, 5, "denial"), (7, 6, "denial"), (8, 9, "denial")]
    assert merge_segments(spans, ORDER) == [Segment(0, 3, ("claim",)), Segment(8, 9, ("denial",))]


def test_adjacent_spans_stay_separate_segments():
    segments = merge_segments([(0, 3, "claim"), (3, 6, "claim")], ORDER)
    assert segments == [Segment(0, 3, ("claim",)), Segment(3, 6, ("claim",))]


@pytest.mark.parametrize("seed", range(30))
def test_random_spans_match_the_per_character_reference(seed):
    rng = random.Random(seed)
    length = 60
    spans = random_spans(rng, rng.randrange(0, 25), length)
    segments = merge_segments(spans, ORDER)
    check_shape(segments)
    assert expand(segments, length) == labels_per_char(spans, length)


@pytest.mark.parametrize("seed", range(30))
def test_touching_and_labels_at(seed):
    rng = random.Random(seed)
    length = 60
    spans = random_spans(rng, 15, length)
    index = SegmentIndex.from_spans(spans, ORDER)
    reference = labels_per_char(spans, length)
    for offset in range(length + 2):
        expected = reference[offset] if offset < length else set()
        assert set(index.labels_at(offset)) == expected
    start = rng.randrange(length)
    end = rng.randrange(start + 1, length + 1)
    touching = index.touching(start, end)
    assert touching == [s for s in index.segments if s.start < end and s.end > start]


@pytest.mark.parametrize("seed", range(40))
def test_replace_range_equals_a_full_rebuild(seed):
    rng = random.Random(seed)
    length = 80
    spans = random_spans(rng, 20, length)
    index = SegmentIndex.from_spans(spans, ORDER)
    # change one span (add, remove or move), then splice only the range it covered
    old = rng.choice(spans)
    new_start = rng.randrange(length - 1)
    new = (new_start, min(length, new_start + rng.randrange(1, 15)), rng.choice(ORDER))
    action = rng.choice(["add", "remove", "move"])
    after = list(spans)
    if action in ("remove", "move"):
        after.remove(old)
    if action in ("add", "move"):
        after.append(new)
    touched = [s for s in (old, new) if (action != "add" or s is new)]
    if action == "remove":
        touched = [old]
    start = min(s[0] for s in touched)
    end = max(s[1] for s in touched)
    overlapping = [s for s in after if s[0] < end and s[1] > start]
    spliced = index.replace_range(start, end, overlapping, ORDER)
    check_shape(spliced.segments)
    assert expand(spliced.segments, length) == labels_per_char(after, length)
    assert spliced.labels_at(start) == SegmentIndex.from_spans(after, ORDER).labels_at(start)


def test_empty_index():
    index = SegmentIndex()
    assert index.touching(0, 10) == []
    assert index.labels_at(0) == ()
