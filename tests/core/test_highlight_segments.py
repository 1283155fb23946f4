"""merge_segments and SpanIntervals against a character-by-character reference."""

import random
from itertools import pairwise

import pytest

from claimmark.core.highlight_segments import Segment, SpanIntervals, merge_segments

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


def random_mixed_spans(rng, count, length):
    """Short spans plus a few long ones, so several length buckets are queried."""
    spans = random_spans(rng, count, length)
    for _ in range(rng.randrange(0, 4)):
        start = rng.randrange(length)
        spans.append((start, min(length, start + rng.randrange(10, length)), rng.choice(ORDER)))
    return spans


def check_against_reference(intervals, spans, length, rng):
    reference = labels_per_char(spans, length)
    for offset in range(length + 2):
        expected = reference[offset] if offset < length else set()
        assert set(intervals.labels_at(offset)) == expected
    for _ in range(10):
        start = rng.randrange(length)
        end = rng.randrange(start + 1, length + 1)
        segments = intervals.segments(start, end)
        check_shape(segments)
        assert all(start <= s.start and s.end <= end for s in segments)
        clipped = [(max(s, start), min(e, end), k) for s, e, k in spans]
        assert expand(segments, length) == labels_per_char(clipped, length)
        assert sorted(intervals.overlapping(start, end)) == sorted(
            s for s in spans if s[0] < end and s[1] > start and s[0] < s[1]
        )


@pytest.mark.parametrize("seed", range(30))
def test_segments_of_any_range_match_the_reference(seed):
    rng = random.Random(seed)
    length = 80
    spans = random_mixed_spans(rng, rng.randrange(0, 25), length)
    intervals = SpanIntervals(spans, ORDER)
    assert len(intervals) == sum(1 for s, e, _ in spans if s < e)
    check_against_reference(intervals, spans, length, rng)


@pytest.mark.parametrize("seed", range(40))
def test_adding_and_removing_equals_a_fresh_build(seed):
    rng = random.Random(seed)
    length = 80
    spans = random_mixed_spans(rng, 20, length)
    intervals = SpanIntervals(spans, ORDER)
    for _ in range(10):
        if spans and rng.random() < 0.5:
            old = spans.pop(rng.randrange(len(spans)))
            intervals.remove(old)
        else:
            new = random_mixed_spans(rng, 1, length)[0]
            spans.append(new)
            intervals.add(new)
    check_against_reference(intervals, spans, length, rng)
    assert len(intervals) == len(SpanIntervals(spans))


@pytest.mark.parametrize("seed", range(20))
def test_extending_in_parts_equals_a_fresh_build(seed):
    rng = random.Random(seed)
    length = 80
    spans = random_mixed_spans(rng, 30, length)
    intervals = SpanIntervals(spans[:5], ORDER)
    for cut in range(5, len(spans), 7):
        intervals.extend(spans[cut : cut + 7])
    check_against_reference(intervals, spans, length, rng)
    assert len(intervals) == len(SpanIntervals(spans))


def test_an_article_long_span_is_found_from_anywhere():
    spans = [(0, 1_000_000, "claim"), *((i, i + 5, "denial") for i in range(0, 1_000_000, 50))]
    intervals = SpanIntervals(spans, ORDER)
    assert intervals.segments(500_010, 500_020) == [
        Segment(500_010, 500_020, ("claim",)),
    ]
    assert intervals.labels_at(500_002) == ("claim", "denial")


def test_removing_one_of_two_equal_spans_keeps_the_other():
    intervals = SpanIntervals([(0, 3, "claim"), (0, 3, "claim")])
    intervals.remove((0, 3, "claim"))
    assert intervals.labels_at(1) == ("claim",)
    intervals.remove((0, 3, "claim"))
    intervals.remove((0, 3, "claim"))  # not there any more: ignored
    assert intervals.labels_at(1) == () and len(intervals) == 0


def test_longer_rows_come_back_whole():
    rows = [(0, 5, "claim", "id-1", None), (3, 9, "denial", "id-2", "a note")]
    intervals = SpanIntervals(rows, ORDER)
    assert sorted(intervals.overlapping(4, 5)) == rows  # with their ids and notes
    assert intervals.labels_at(4) == ("claim", "denial")
    intervals.remove(rows[0])
    intervals.add((6, 7, "claim", "id-3", None))
    assert sorted(intervals.overlapping(0, 10)) == [rows[1], (6, 7, "claim", "id-3", None)]


def test_empty_intervals():
    intervals = SpanIntervals()
    assert intervals.segments(0, 10) == []
    assert intervals.labels_at(0) == ()


def test_nested_spans_with_one_label_get_their_own_lanes():
    from claimmark.core.highlight_segments import stacking_lanes

    outer, inner, beside, after = (
        (0, 20, "claim"),
        (5, 10, "claim"),
        (20, 25, "claim"),
        (30, 31, "x"),
    )
    lanes = dict(stacking_lanes([inner, after, outer, beside]))
    assert lanes[outer] == 0 and lanes[inner] == 1  # one inside the other: two lines
    assert lanes[beside] == 0 and lanes[after] == 0  # a lane is free again once its span ended
    same = (0, 20, "claim")
    assert sorted(lane for _, lane in stacking_lanes([same, same])) == [0, 1]
