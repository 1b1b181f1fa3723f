"""Run Probation Diary from a checkout: `python main.py` opens the app, and
`python main.py summary --week 2026-11-23` (and the other subcommands) use the command line."""

import sys

from probation_diary.cli import main

if __name__ == "__main__":
    sys.exit(main())
