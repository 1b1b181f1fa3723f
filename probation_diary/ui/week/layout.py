"""Geometry of the week grid without Qt: which column an overlapping block sits in, how far it
may spread, where entries truly overlap, and how wide each day is.

Like Outlook's and Google Calendar's week views: blocks that overlap in time sit side by side
in columns; a block spreads right over columns that are free for its whole span; a day holding
a cluster of several columns is drawn wider than the others (up to ``MAX_DAY_WEIGHT`` times) so
that each block stays readable. Pure functions, unit-tested in tests/ui/test_week_layout.py.
"""

from __future__ import annotations

from typing import Any

from ...core.record import record


@record
class Block:
    entry_id: int
    day: int                # 0 = Monday
    start_min: int          # local minutes from midnight
    end_min: int
    column: int = 0
    columns: int = 1
    span: int = 1           # columns it covers, from ``column`` rightwards
    rect: Any = None        # body coordinates (a QRectF), set by the view


def layout_day(blocks: list[Block], min_minutes: int = 0) -> None:
    """Side-by-side columns for overlapping blocks of one day (in place). A block is drawn at
    least ``min_minutes`` tall (one line of text), so blocks that would touch visually count
    as overlapping here and sit side by side too. Each block then spreads over the columns to
    its right that nothing in its cluster uses during its (shown) time."""
    blocks.sort(key=lambda b: (b.start_min, -b.end_min, b.entry_id))

    def shown_end(b: Block) -> int:
        return max(b.end_min, b.start_min + min_minutes)

    cluster: list[Block] = []
    cluster_end = -1
    col_ends: list[int] = []

    def close():
        for b in cluster:
            b.columns = len(col_ends)
            b.span = 1
            for col in range(b.column + 1, len(col_ends)):
                if any(o.column == col and o.start_min < shown_end(b) and b.start_min < shown_end(o)
                       for o in cluster):
                    break
                b.span += 1

    for b in blocks:
        if cluster and b.start_min >= cluster_end:
            close()
            cluster, col_ends = [], []
        for i, end in enumerate(col_ends):
            if end <= b.start_min:
                b.column = i
                col_ends[i] = shown_end(b)
                break
        else:
            b.column = len(col_ends)
            col_ends.append(shown_end(b))
        cluster.append(b)
        cluster_end = max(cluster_end, shown_end(b))
    if cluster:
        close()


def overlap_spans(blocks: list[Block]) -> list[tuple[int, int]]:
    """The stretches of one day (start, end minutes) when two or more entries truly overlap
    (their real times, not the height they are drawn at), merged and in order."""
    edges = sorted([(b.start_min, 1) for b in blocks] + [(b.end_min, -1) for b in blocks],
                   key=lambda e: (e[0], e[1]))
    spans: list[tuple[int, int]] = []
    depth, since = 0, None
    for minute, step in edges:
        depth += step
        if depth >= 2 and since is None:
            since = minute
        elif depth < 2 and since is not None:
            if minute > since:
                if spans and spans[-1][1] == since:
                    spans[-1] = (spans[-1][0], minute)
                else:
                    spans.append((since, minute))
            since = None
    return spans


def overlapping_ids(blocks: list[Block]) -> set[int]:
    """Entries of one day whose real times overlap another entry's."""
    found: set[int] = set()
    ordered = sorted(blocks, key=lambda b: (b.start_min, b.end_min))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.start_min >= a.end_min:
                break
            if b.entry_id != a.entry_id:
                found.update((a.entry_id, b.entry_id))
    return found


MAX_DAY_WEIGHT = 3.2


def day_weights(blocks: list[Block], days: int = 7) -> list[float]:
    """Relative widths of the days: 1 for a day whose blocks sit in one column, more for a day
    with side-by-side columns (0.7 per extra column, at most ``MAX_DAY_WEIGHT``)."""
    most = [1] * days
    for b in blocks:
        if 0 <= b.day < days:
            most[b.day] = max(most[b.day], b.columns)
    return [min(MAX_DAY_WEIGHT, 1 + 0.7 * (n - 1)) for n in most]


def day_edges(width: float, weights: list[float]) -> list[float]:
    """The x of each day's left edge (and the right edge of the last), from 0 to ``width``."""
    total = sum(weights) or 1.0
    edges, x = [0.0], 0.0
    for w in weights:
        x += width * w / total
        edges.append(x)
    return edges


def marker_at_top(first_line: float, width: float, marker: float, height: float, line: float) -> bool:
    """Where a block's Delius marker goes: beside the first line (the CRN or name) when both fit,
    else in the bottom corner when the block has a second line's room, so that a narrow block
    (overlaps side by side) shows the CRN whole. All in pixels."""
    return first_line <= width - marker - 2 or height < 2 * line + 2
