import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashcompiler.layout import Box, GridPos, LayoutError, RowBoxes, layout


def test_panels_flow_left_to_right_and_wrap_below_the_tallest():
    [(header, placed)] = layout([RowBoxes(True, [Box("a", 12, 4), Box("b", 8, 6), Box("c", 8, 3), Box("d", 24, 2)])])
    assert header == GridPos(0, 0, 24, 1)
    assert placed == [GridPos(0, 1, 12, 4), GridPos(12, 1, 8, 6), GridPos(0, 7, 8, 3), GridPos(0, 10, 24, 2)]


def test_each_row_starts_below_the_previous_row():
    (_, first), (second_header, second) = layout([RowBoxes(True, [Box("a", 6, 5)]), RowBoxes(True, [Box("b", 6, 2)])])
    assert first == [GridPos(0, 1, 6, 5)]
    assert second_header == GridPos(0, 6, 24, 1)
    assert second == [GridPos(0, 7, 6, 2)]


def test_a_row_without_header_takes_no_line():
    [(header, placed)] = layout([RowBoxes(False, [Box("a", 24, 3)])])
    assert header is None and placed == [GridPos(0, 0, 24, 3)]


def test_a_collapsed_rows_panels_sit_below_its_header_and_take_no_space():
    (_, first), (header, hidden), (after_header, after) = layout(
        [
            RowBoxes(True, [Box("a", 24, 3)]),
            RowBoxes(True, [Box("b", 12, 5), Box("c", 12, 2), Box("d", 6, 4)], collapsed=True),
            RowBoxes(True, [Box("e", 6, 2)]),
        ]
    )
    assert first == [GridPos(0, 1, 24, 3)]
    assert header == GridPos(0, 4, 24, 1)
    assert hidden == [GridPos(0, 5, 12, 5), GridPos(12, 5, 12, 2), GridPos(0, 10, 6, 4)]
    assert after_header == GridPos(0, 5, 24, 1) and after == [GridPos(0, 6, 6, 2)]


def test_pinned_panels_are_placed_relative_to_their_row():
    [(_, placed)] = layout([RowBoxes(True, [Box("a", 6, 4, x=18, y=2)])])
    assert placed == [GridPos(18, 3, 6, 4)]


def test_wider_than_the_grid_is_an_error():
    with pytest.raises(LayoutError, match="'wide' is 25 wide"):
        layout([RowBoxes(True, [Box("wide", 25, 4)])])


def test_pinned_past_the_right_edge_is_an_error():
    with pytest.raises(LayoutError, match="'edge' at x=20 with width 6 runs past"):
        layout([RowBoxes(True, [Box("edge", 6, 4, x=20, y=0)])])


def test_overlapping_panels_are_an_error():
    with pytest.raises(LayoutError, match="'b' overlaps panel 'a'"):
        layout([RowBoxes(True, [Box("a", 12, 4), Box("b", 6, 4, x=6, y=2)])])


boxes = st.lists(st.builds(Box, st.just(""), st.integers(1, 24), st.integers(1, 9)), max_size=6)
rows = st.lists(st.tuples(st.booleans(), boxes, st.booleans()), min_size=1, max_size=4)


def _named(spec: list[tuple[bool, list[Box], bool]]) -> list[RowBoxes]:
    return [
        RowBoxes(header, [Box(f"r{r}p{i}", b.w, b.h) for i, b in enumerate(row)], header and collapsed)
        for r, (header, row, collapsed) in enumerate(spec)
    ]


def _height(row: RowBoxes, header: GridPos | None, positions: list[GridPos]) -> int:
    """Lines the row takes on the grid: its header, plus its panels unless collapsed."""
    if row.collapsed or not positions:
        return int(header is not None)
    top = header.y if header else positions[0].y
    return max(p.y + p.h for p in positions) - top


@settings(max_examples=300, deadline=None)
@given(rows, st.data())
def test_adding_or_removing_a_panel_moves_only_later_panels_of_its_row_and_later_rows_by_its_height_change(
    spec: list[tuple[bool, list[Box], bool]], data: st.DataObject
) -> None:
    before = _named(spec)
    r = data.draw(st.integers(0, len(before) - 1), label="row")
    row = before[r]
    if row.boxes and data.draw(st.booleans(), label="remove"):
        i = data.draw(st.integers(0, len(row.boxes) - 1), label="index")
        changed = [*row.boxes[:i], *row.boxes[i + 1 :]]
    else:
        i = data.draw(st.integers(0, len(row.boxes)), label="index")
        new = Box("new", data.draw(st.integers(1, 24), label="w"), data.draw(st.integers(1, 9), label="h"))
        changed = [*row.boxes[:i], new, *row.boxes[i:]]
    after = [*before[:r], RowBoxes(row.header, changed, row.collapsed), *before[r + 1 :]]
    old, new_placed = layout(before), layout(after)
    assert new_placed[:r] == old[:r], "an earlier row moved"
    assert new_placed[r][0] == old[r][0] and new_placed[r][1][:i] == old[r][1][:i], "an earlier panel of the row moved"
    shift = _height(after[r], *new_placed[r]) - _height(row, *old[r])
    for (old_header, old_pos), (new_header, new_pos) in zip(old[r + 1 :], new_placed[r + 1 :], strict=True):
        moved = [GridPos(p.x, p.y + shift, p.w, p.h) for p in old_pos]
        assert new_pos == moved, "a later row moved by other than the row's height change"
        if old_header is not None:
            assert new_header == GridPos(0, old_header.y + shift, 24, 1)
