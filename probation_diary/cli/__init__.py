"""The command line: `probation-diary` with no subcommand opens the window."""


def main(argv: list[str] | None = None) -> int:
    from .parser import main as run

    return run(argv)
