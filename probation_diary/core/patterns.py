"""Regular expressions compiled when first used. Most of the app's patterns read what the
user types (dates, quick entries); compiling them all as their modules load cost about 3 ms
before the window's first paint (issue 18)."""

from __future__ import annotations

import re


class LazyPattern:
    """Stands in for ``re.compile(source, flags)``: the pattern's methods and attributes, the
    compiling done on first use."""

    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int = 0):
        self._source, self._flags, self._compiled = source, flags, None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def match(self, string: str, *args) -> re.Match | None:
        return self.compiled().match(string, *args)

    def fullmatch(self, string: str, *args) -> re.Match | None:
        return self.compiled().fullmatch(string, *args)

    def search(self, string: str, *args) -> re.Match | None:
        return self.compiled().search(string, *args)

    def __getattr__(self, name: str):
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source!r})"
