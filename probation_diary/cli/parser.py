"""The command line's parser and dispatch. It never imports Qt: only the bare command (no
subcommand) starts the desktop app, and that import happens inside cli.launch_app()."""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..core.clock import TimeError
from ..core.model import SettingError
from ..store.diary import DiaryError
from . import launch_app
from .common import PROG, Parser, UsageError, fail

COMMANDS: dict = {}

AREAS = ("entries", "delius", "evidence", "calendar", "security")  # the order of --help
# Issue 18: for these commands only the area that adds them is imported and registered, so a
# command does not pay for every other area's imports and parser (python -X importtime and
# cProfile: about half of a summary's start). A command missing here still works, through
# the whole parser; so does any usage error (the whole parser says it).
AREA_OF = {
    "summary": "entries", "list": "entries", "add": "entries", "export": "entries",
    "export-delius": "entries", "trends": "evidence", "caseload": "evidence", "retention": "security",
}


def _command_word(argv: list[str]) -> str | None:
    """The subcommand's name: the first word that is not a global option (or --db's value)."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif word == "--":
            return word  # whatever follows: the whole parser decides
        elif not word.startswith("-"):
            return word
    return None


def _areas_for(argv: list[str]) -> tuple[str, ...] | None:
    """The areas to register for this command line; None for all of them."""
    word = _command_word(argv)
    if word is None:  # the window (or --self-test): no subcommand to parse, unless help is asked
        return None if {"-h", "--help"} & set(argv) else ()
    return (AREA_OF[word],) if word in AREA_OF else None


class _Skipped:
    """Stands in for the parser of a subcommand that is not being run: takes every call."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: self


class _OnlyCommand:
    """The subparsers, building only `name`'s parser: the others of its area are skipped (their
    argparse set-up is most of a lean command's parser time)."""

    def __init__(self, sub, name: str):
        self._sub, self._name = sub, name

    def add_parser(self, name, **kwargs):
        return self._sub.add_parser(name, **kwargs) if name == self._name else _Skipped()

    def __getattr__(self, name):
        return getattr(self._sub, name)


def build_parser(only: str | tuple[str, ...] | None = None, *,
                 command: str | None = None) -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="the diary file (default: your data folder, or $PROBATION_DIARY_DB)")
    common.add_argument("--unencrypted", action="store_true", default=argparse.SUPPRESS,
                        help="create or open the diary without encryption, without asking or warning")

    parser = Parser(prog=PROG, description="Probation Diary: your case-contact diary and weekly time split.",
                    parents=[common])
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--self-test", action="store_true", help="check that the app works, then exit")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    # Each area adds its own subcommands, so that no two areas edit the same lines here.
    from importlib import import_module

    if command is not None:
        sub = _OnlyCommand(sub, command)
    for name in AREAS if only is None else (only,) if isinstance(only, str) else only:
        import_module(f".{name}", __package__).register(sub, common, COMMANDS)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    only = _areas_for(argv)
    try:
        try:
            args = build_parser(only, command=_command_word(argv) if only else None).parse_args(argv)
        except UsageError:
            if only is None:
                raise
            args = build_parser().parse_args(argv)  # the whole parser's own words
    except UsageError as exc:
        return fail(f"{exc} (see '{PROG} --help')")
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.self_test:
        from .selftest import run_self_test

        return run_self_test()
    if args.command is None:
        return launch_app(getattr(args, "db", None))
    from . import security

    diary = None
    command = COMMANDS[args.command]
    try:
        if getattr(command, "needs_diary", True):
            # a command that only reads skips the integrity check at open (issue 18: most of a
            # summary's time on a diary under 8 MB): it writes nothing that damage could spoil
            check = False if getattr(command, "read_only", False) else None
            # and a command that writes nothing to the diary still reads it on a full disk
            reading = check is False or getattr(command, "reads_only", False)
            diary = security.open_for_cli(getattr(args, "db", None), args, check=check, reading=reading)
        return command(diary, args)
    except (DiaryError, SettingError, TimeError, UsageError, LookupError, ValueError) as exc:
        return fail(str(exc))
    except OverflowError:
        return fail("a number or date is far too big for the diary; nothing was written")
    except MemoryError:
        return fail("that needs more memory than this computer has free; nothing was written")
    except BrokenPipeError:  # `summary | head`: the reader has what it wanted
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        return 0
    except OSError as exc:
        return fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        return fail("stopped; nothing more was written")
    except Exception as exc:  # never a traceback: they can carry personal data
        from ..store.diary import read_damage_words

        words = read_damage_words(exc)
        if words is not None and diary is not None and diary.path is not None:
            # a page read back damaged after the file opened (a read-only command skips the check)
            return fail(f"{diary.path} is damaged: part of it did not read back ({words}), so the "
                        f"command stopped; nothing more was written. {security._newest_good_words(diary.path)}")
        return fail(f"unexpected problem ({type(exc).__name__}); nothing more was written")
    finally:
        if diary is not None:
            diary.close()

