"""LazyPattern: compiled on first use, then the same as re.compile's pattern (issue 18)."""

import re

from probation_diary.core import dates, quickentry
from probation_diary.core.patterns import LazyPattern


def test_compiled_only_when_first_used_and_then_kept():
    p = LazyPattern(r"^(\d{1,2})/(\d{1,2})$")
    assert p._compiled is None
    m = p.match("15/3")
    assert m.groups() == ("15", "3") and p._compiled is p.compiled()
    assert p.fullmatch("1/2") and p.search("x 1/2") is None and p.pattern == r"^(\d{1,2})/(\d{1,2})$"


def test_flags_are_kept():
    assert LazyPattern(r"^ab$", re.IGNORECASE).match("AB")
    assert LazyPattern(r"^ab$").match("AB") is None


def test_the_date_and_quick_entry_patterns_load_lazily():
    assert isinstance(dates._NUMERIC, LazyPattern) and isinstance(quickentry._RANGE, LazyPattern)
