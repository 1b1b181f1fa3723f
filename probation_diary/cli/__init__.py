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
    db = _window_only(argv)
    if db is not None:
        # the window alone (`probation-diary`, `--db FILE`): no parser to build before the first
        # paint (issue 18); what the parser would accept, unchanged
        return launch_app(db or None)
    from .parser import main as run

    return run(argv)


def _window_only(argv: list[str]) -> str | None:
    """The diary named by a command line that only opens the window ("" for the default
    diary); None for anything else, which the parser reads."""
    if not argv:
        return ""
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > 5:
        return argv[0][5:]
    return None


def launch_app(db: str | None) -> int:
    import gc

    # Until the window has painted, what is made lives as long as the app (modules, classes, Qt's
    # enums): the collector's passes over it were 2.5% of the start-up (issue 18). The window
    # turns it back on (ui/app.py), and whatever happens, so does the end of this call.
    gc.disable()
    try:
        from ..ui.app import run  # the only Qt import on this path

        return run(db)
    finally:
        gc.enable()
