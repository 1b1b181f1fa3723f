"""core.record: what the diary's value classes need of dataclasses, without the module."""

from __future__ import annotations

import copy
import functools
import pickle

import pytest

from probation_diary.core.model import Entry, ReferenceData, Settings
from probation_diary.core.record import FrozenFieldError, factory, fields, record, replace
from probation_diary.core.timesplit import DaySplit


@record(frozen=True)
class Point:
    """A frozen record, as the model's are."""

    x: int
    y: int = 0
    tags: frozenset = frozenset()

    @functools.cached_property
    def length(self) -> int:
        return abs(self.x) + abs(self.y)


@record
class Tally:
    name: str
    counts: dict = factory(dict)


def test_init_defaults_repr_and_fields():
    p = Point(3)
    assert (p.x, p.y, p.tags) == (3, 0, frozenset())
    assert repr(p) == "Point(x=3, y=0, tags=frozenset())"
    assert Point(1, y=2) == Point(x=1, y=2) and Point(1) != Point(2) and Point(1) != (1, 0, frozenset())
    assert fields(Point) == fields(p) == ("x", "y", "tags") == Point.__match_args__
    with pytest.raises(TypeError):
        Point()  # x has no default
    with pytest.raises(TypeError):
        Point(1, nonsense=2)


def test_frozen_records_are_hashable_and_read_only():
    p = Point(1, 2)
    assert hash(p) == hash(Point(1, 2)) and {p: "a"}[Point(1, 2)] == "a"
    with pytest.raises(FrozenFieldError):
        p.x = 5
    with pytest.raises(AttributeError):  # as a frozen dataclass says it
        del p.y
    assert p.length == 3 and p.length == 3  # a cached property still works on a frozen record


def test_changeable_records_are_equal_by_value_not_hashable_and_make_fresh_defaults():
    a, b = Tally("a"), Tally("a")
    a.counts["x"] = 1
    assert b.counts == {} and a != b and Tally("a", {"x": 1}) == a
    a.name = "renamed"
    assert a.name == "renamed"
    with pytest.raises(TypeError):
        hash(a)
    assert "counts" not in Tally.__dict__  # no class attribute for a made default, as dataclasses


def test_replace_copies_with_changes_and_refuses_unknown_fields():
    p = Point(1, 2, frozenset({"a"}))
    q = replace(p, y=5)
    assert q == Point(1, 5, frozenset({"a"})) and p.y == 2
    with pytest.raises(TypeError, match="no field 'z'"):
        replace(p, z=1)


def test_copy_and_pickle_keep_the_value():
    p = Point(1, 2)
    assert copy.copy(p) == p and copy.deepcopy(p) == p and pickle.loads(pickle.dumps(p)) == p


def test_mistakes_are_refused_as_dataclasses_refuses_them():
    with pytest.raises(ValueError, match="factory"):
        @record
        class Bad:
            items: list = []
    with pytest.raises(TypeError, match="follows"):
        @record
        class Order:
            a: int = 1
            b: int


def test_the_models_records():
    s = Settings()
    assert replace(s, team_code="N07").team_code == "N07" and s.team_code == ""
    assert ReferenceData().types == {} and ReferenceData().types is not ReferenceData().types
    assert DaySplit(date=None).minutes == DaySplit(date=None).minutes  # a fresh dict each
    assert DaySplit(date=None).minutes is not DaySplit(date=None).minutes
    assert "Entry(type_id=1" in repr(Entry(type_id=1, start=None, end=None))
