"""What every command-line module shares: the program name, usage errors, one-line messages."""

from __future__ import annotations

import argparse
import sys

from . import PROG  # one name, defined where --version reads it without loading argparse


class UsageError(Exception):
    pass


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, with the terminal's width found as shutil.get_terminal_size finds
    it, without importing shutil (argparse makes a formatter for every argument it adds)."""

    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message):  # one line, no usage dump
        raise UsageError(message)


def fail(message: str) -> int:
    message = message.strip().rstrip(".")
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def warn(message: str) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)


def wrote(message: str, path) -> None:
    """Say what a command wrote. When it wrote into a stream (`/dev/stdout`, a pipe), the words
    go to the error stream, so the file's contents stay alone on the standard output."""
    import os
    import stat

    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, TypeError, ValueError):
        regular = True
    print(message, file=sys.stdout if regular else sys.stderr)
