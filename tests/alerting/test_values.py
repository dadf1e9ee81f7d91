"""Query rows to what server-side expressions see, hand-worked against pkg/expr/converter.go's rules."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from alerting.values import ConversionError, Frame, NoData, Number, Series, convert, is_no_data

T0 = datetime(2026, 2, 1, 0, 0)
T1 = datetime(2026, 2, 1, 0, 1)


def test_no_frame_or_a_frame_without_columns_is_no_data() -> None:
    assert is_no_data(()) and convert((), "A") == (NoData(),)
    assert convert((Frame((), ()),), "A") == (NoData(),)


def test_a_table_of_text_columns_and_one_number_is_one_labelled_number_per_row() -> None:
    frame = Frame(
        ("queue", "channel", "service_level"), (("Sales", "VOICE", 71.5), ("Support", "VOICE", Decimal("90")))
    )
    assert convert((frame,), "A") == (
        Number((("channel", "VOICE"), ("queue", "Sales")), 71.5),
        Number((("channel", "VOICE"), ("queue", "Support")), 90.0),
    )


def test_a_null_number_stays_null_and_an_empty_table_gives_no_values() -> None:
    assert convert((Frame(("queue", "waiting"), (("Sales", None),)),), "A") == (Number((("queue", "Sales"),), None),)
    assert convert((Frame(("queue", "waiting"), ()),), "A") == ()


def test_a_time_column_makes_series_split_by_the_text_columns_in_time_order() -> None:
    frame = Frame(("t", "queue", "waiting"), ((T1, "Sales", 4), (T0, "Sales", 2), (T0, "Billing", None)))
    minute = 60_000
    start = 1769904000000  # 2026-02-01T00:00:00Z: naive times are UTC
    # one time index for the frame (long to wide): Billing has no row at 00:01, so a null there
    assert convert((frame,), "A") == (
        Series((("queue", "Sales"),), ((start, 2.0), (start + minute, 4.0))),
        Series((("queue", "Billing"),), ((start, None), (start + minute, None))),
    )


def test_two_number_columns_without_time_cannot_be_alerted_on() -> None:
    with pytest.raises(ConversionError, match="query A returns a table of 2 number column"):
        convert((Frame(("a", "b"), ((1, 2),)),), "A")


def test_declared_column_kinds_type_an_empty_answer() -> None:
    empty_series = Frame(("t", "waiting"), (), ("time", "number"))
    assert convert((empty_series,), "A") == (Series((), ()),)
    with pytest.raises(ConversionError):
        convert((Frame(("a", "b"), (), ("number", "number")),), "A")
