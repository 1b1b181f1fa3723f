"""PyInstaller's entry script: the same entry point as the installed `probation-diary` command."""

import multiprocessing
import sys

from probation_diary.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
