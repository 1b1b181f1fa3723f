"""The command line: `probation-diary` with no subcommand opens the window."""

import sys

PROG = "probation-diary"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:
        # answered before the parser, the diary or Qt is imported (issue 18: ~1x python's start)
        from .. import __version__

        print(f"{PROG} {__version__}")
        return 0
    from .parser import main as run

    return run(argv)
