"""The window's date formats are cut down by hand, not by regular expressions (compiling them
cost the first paint, issue 18): the same result as the expressions, for every locale Qt
knows and for any string."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLocale

from probation_diary.ui import dates


def by_regex_no_year(fmt: str) -> str:
    out = re.sub(r"[\s,./-]*y+[.\s]*", " ", fmt).strip(" ,")
    return re.sub(r"\s+", " ", out)


def by_regex_drop(fmt: str, letter: str) -> str:
    return re.sub(rf"[\s,./-]*{letter}+[.\s]*", " ", fmt)


def by_regex_long(fmt: str) -> str:
    return re.sub(r"^dddd, (?=d)", "dddd ", fmt)


FORMAT_TEXT = st.text(alphabet="dMyhm ,./-'\u00a0\t\u3000年月日", max_size=30)


@settings(max_examples=400, deadline=None)
@given(FORMAT_TEXT, st.sampled_from("yM"))
def test_drop_field_is_the_regular_expression(fmt, letter):
    assert dates.drop_field(fmt, letter) == by_regex_drop(fmt, letter)


@settings(max_examples=400, deadline=None)
@given(FORMAT_TEXT)
def test_no_year_is_the_regular_expression(fmt):
    assert dates._no_year(fmt) == by_regex_no_year(fmt)


def test_every_locale_format_is_cut_as_before(qapp):
    formats = set()
    for language in QLocale.Language:
        if language in (QLocale.Language.AnyLanguage, QLocale.Language.C):
            continue
        loc = QLocale(language)
        for kind in (QLocale.FormatType.LongFormat, QLocale.FormatType.ShortFormat):
            formats.add(loc.dateFormat(kind))
    assert len(formats) > 50  # Qt's locale data, not an empty loop
    for fmt in sorted(formats):
        long = by_regex_long(fmt)
        assert ("dddd " + fmt[6:] if fmt.startswith("dddd, d") else fmt) == long
        assert dates._no_year(long) == by_regex_no_year(long), fmt
        short = long.replace("dddd", "ddd").replace("MMMM", "MMM")
        assert dates._no_year(short) == by_regex_no_year(short), fmt
        assert dates.drop_field(dates._no_year(short), "M") == by_regex_drop(dates._no_year(short), "M"), fmt


def test_long_format_drops_the_comma_after_a_day_first_name(qapp, monkeypatch):
    class Locale:
        def __init__(self, fmt):
            self.fmt = fmt

        def dateFormat(self, kind):
            return self.fmt

    for fmt in ("dddd, d MMMM yyyy", "dddd, MMMM d, yyyy", "d MMMM yyyy", "dddd, dd.MM.yyyy"):
        monkeypatch.setattr(dates, "locale", lambda fmt=fmt: Locale(fmt))
        assert dates.long_format() == by_regex_long(fmt)
    assert dates.long_format() == "dddd dd.MM.yyyy"
