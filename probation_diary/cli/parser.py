"""The command line's parser and dispatch. It never imports Qt: only the bare command (no
subcommand) starts the desktop app, and that import happens inside launch_app()."""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..core.clock import TimeError
from ..core.model import SettingError
from ..store.diary import DiaryError
from .common import PROG, Parser, UsageError, fail

COMMANDS: dict = {}


def build_parser() -> argparse.ArgumentParser:
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
    from . import calendar, delius, entries, evidence, security

    for area in (entries, delius, evidence, calendar, security):
        area.register(sub, common, COMMANDS)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
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
            diary = security.open_for_cli(getattr(args, "db", None), args)
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
        return fail(f"unexpected problem ({type(exc).__name__}); nothing more was written")
    finally:
        if diary is not None:
            diary.close()


def launch_app(db: str | None) -> int:
    from ..ui.app import run  # the only Qt import on this path

    return run(db)
