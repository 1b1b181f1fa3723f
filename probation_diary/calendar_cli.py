"""Command-line subcommands for this area. Qt-free: import Qt nowhere on this path."""

from __future__ import annotations


def register(sub, common, commands) -> None:
    """Add subcommands: sub.add_parser(name, parents=[common], ...); commands[name] = fn(diary, args) -> int."""
