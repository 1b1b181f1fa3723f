import datetime as dt

import pytest

from probation_diary.core.dates import DateError, read_date, show_date

TODAY = dt.date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize("text, expected", [
    ("15/03/2026", dt.date(2026, 3, 15)),
    ("15/3", dt.date(2026, 3, 15)),
    ("15/3/27", dt.date(2027, 3, 15)),
    ("15.3.2026", dt.date(2026, 3, 15)),
    ("2026-03-15", dt.date(2026, 3, 15)),
    ("15 mar", dt.date(2026, 3, 15)),
    ("15 March 2025", dt.date(2025, 3, 15)),
    ("15th mar", dt.date(2026, 3, 15)),
    ("mar 15", dt.date(2026, 3, 15)),
    ("tue", dt.date(2026, 11, 17)),
    ("Friday", TODAY),
    ("next tue", dt.date(2026, 11, 24)),
    ("last fri", dt.date(2026, 11, 13)),
    ("yesterday", dt.date(2026, 11, 19)),
    ("today", TODAY),
    ("tomorrow", dt.date(2026, 11, 21)),
    ("+1w", dt.date(2026, 11, 27)),
    ("-2d", dt.date(2026, 11, 18)),
    ("+3", dt.date(2026, 11, 23)),
    ("+1m", dt.date(2026, 12, 20)),
    ("3", dt.date(2026, 11, 3)),
    ("Tue 15/03/2026", dt.date(2026, 3, 15)),  # what the field shows reads back the same
    ("  15 / 3 ".replace(" / ", "/"), dt.date(2026, 3, 15)),
])
def test_reads_what_people_type(text, expected):
    assert read_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["09/12/3202", "1/1/1899", "1/1/2200", "32/1", "29/2/2026", "15 foo", "",
                                  "soon", "+99999w"])
def test_refuses_with_plain_words(text):
    with pytest.raises(DateError) as info:
        read_date(text, TODAY)
    assert str(info.value).endswith(".")


def test_year_range_is_named():
    with pytest.raises(DateError, match="1900 to 2199"):
        read_date("09/12/3202", TODAY)


def test_show_date_round_trips():
    day = dt.date(2026, 3, 15)
    assert show_date(day) == "Sun 15/03/2026"
    assert read_date(show_date(day), TODAY) == day
