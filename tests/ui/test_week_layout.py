"""The week grid's geometry without Qt (ui/week/layout.py): overlapping entries side by side,
spread over free columns, the overlap found, busy days wider (issue 16, item 3)."""

from __future__ import annotations

from probation_diary.ui.week.layout import (
    MAX_DAY_WEIGHT, Block, day_edges, day_weights, layout_day, overlap_spans, overlapping_ids,
)


def test_three_overlapping_appointments_take_three_columns():
    blocks = [Block(1, 1, 600, 660), Block(2, 1, 615, 675), Block(3, 1, 630, 720)]
    layout_day(blocks)
    assert sorted((b.entry_id, b.column, b.columns) for b in blocks) == [(1, 0, 3), (2, 1, 3), (3, 2, 3)]
    assert all(b.span == 1 for b in blocks)


def test_a_block_spreads_over_columns_free_for_its_time():
    # 2 (the longer) takes column 0; 1 beside it; 3 starts as 1 ends and takes its column;
    # 4 comes after them all and is a cluster of its own
    blocks = [Block(1, 0, 540, 600), Block(2, 0, 540, 660), Block(3, 0, 600, 630), Block(4, 0, 700, 760)]
    layout_day(blocks)
    by = {b.entry_id: b for b in blocks}
    assert (by[1].column, by[2].column, by[3].column) == (1, 0, 1)
    assert by[1].columns == by[2].columns == by[3].columns == 2
    assert by[4].columns == 1 and by[4].span == 1
    # a short block beside a long one, with a later one that only overlaps the long one
    blocks = [Block(1, 0, 540, 720), Block(2, 0, 540, 570), Block(3, 0, 550, 600), Block(5, 0, 610, 640)]
    layout_day(blocks)
    by = {b.entry_id: b for b in blocks}
    assert by[1].columns == 3
    assert by[5].column == 1 and by[5].span == 2  # columns 1 and 2 are free from 10:10


def test_overlap_spans_use_real_times_and_merge():
    blocks = [Block(1, 0, 600, 660), Block(2, 0, 630, 700), Block(3, 0, 690, 720), Block(4, 0, 800, 810)]
    assert overlap_spans(blocks) == [(630, 660), (690, 700)]
    assert overlapping_ids(blocks) == {1, 2, 3}
    touching = [Block(1, 0, 600, 630), Block(2, 0, 630, 660)]
    assert overlap_spans(touching) == [] and overlapping_ids(touching) == set()


def test_busy_days_are_wider_within_a_limit():
    blocks = [Block(i, 2, 600, 660) for i in range(1, 4)] + [Block(9, 4, 600, 660)]
    for day in (2, 4):
        layout_day([b for b in blocks if b.day == day])
    weights = day_weights(blocks)
    assert weights[2] > weights[0] == weights[4] == 1
    many = [Block(i, 0, 600, 660) for i in range(10)]
    layout_day(many)
    assert day_weights(many)[0] == MAX_DAY_WEIGHT
    edges = day_edges(700, weights)
    assert edges[0] == 0 and abs(edges[-1] - 700) < 1e-9
    assert edges[3] - edges[2] > edges[1] - edges[0]


def test_the_delius_marker_makes_way_for_the_crn_in_a_narrow_block():
    from probation_diary.ui.week.layout import marker_at_top

    # wide block: CRN (60 px) and marker (10 px) side by side
    assert marker_at_top(60, 200, 10, 40, 15)
    # three overlapping columns, 68 px of text room: the marker moves to the bottom corner
    assert not marker_at_top(60, 68, 10, 40, 15)
    # a one-line block has no bottom corner to spare: the marker stays, the CRN is cut
    assert marker_at_top(60, 68, 10, 20, 15)
