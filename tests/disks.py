"""Real small disks for the tests of a full or read-only disk: a tmpfs of a given size
(mounting needs root; without it the test is skipped)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def mount_tmpfs(folder: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    return done.returncode == 0


def umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@contextlib.contextmanager
def small_disk(folder: Path, size: str, why: str = "a real full disk"):
    """A tmpfs of `size` mounted at `folder` for the block (the test is skipped without root)."""
    if not mount_tmpfs(folder, size):
        pytest.skip(f"needs root to mount a small tmpfs ({why})")
    try:
        yield folder
    finally:
        umount(folder)


def fill(folder: Path) -> None:
    """Fill the disk holding ``folder`` to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
