"""What every command-line module shares: the program name, usage errors, one-line messages."""

from __future__ import annotations

import argparse
import sys

from . import PROG  # one name, defined where --version reads it without loading argparse


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise UsageError(message)


def fail(message: str) -> int:
    message = message.strip().rstrip(".")
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def warn(message: str) -> None:
    print(f"{PROG}: warning: {message}", file=sys.stderr)
