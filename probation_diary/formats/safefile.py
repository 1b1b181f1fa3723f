"""Writing a file so that a crash, a full disk or a power cut never leaves half of it under the
real name: write beside it, flush to disk, rename over it, then flush the folder."""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # folders cannot be opened for fsync on Windows
        return
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(path: str | os.PathLike, data: bytes) -> Path:
    """Replace `path` with `data` in one step. Raises ValueError for a folder or a missing
    folder (plain words), OSError for the disk's own errors; the target is then untouched."""
    with open_atomically(path) as fh:
        fh.write(data)
    return Path(path)


@contextlib.contextmanager
def open_atomically(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file to stream into, which replaces `path` in one step when the block ends
    without an error (and is removed, leaving `path` untouched, when it raises). The same
    errors as write_atomically. For exports of any size: nothing is held in memory."""
    target = Path(path)
    try:
        mode = os.stat(target).st_mode  # (through any link)
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        # a device or a pipe (/dev/stdout, a named pipe): write into it, never replace it. By the
        # name given: /dev/stdout's link leads to /proc/<pid>/fd/pipe:[...], which is no path
        with open(target, "wb") as fh:
            yield fh
            fh.flush()
        return
    if target.is_symlink():  # a link (a user's ~/Documents, say): write to what it points at
        target = Path(os.path.realpath(target))
    if target.is_dir():
        raise ValueError(f"{target} is a folder; give a file name. Nothing was written")
    folder = target.parent
    if not folder.is_dir():
        raise ValueError(f"the folder {folder} does not exist; nothing was written")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


class TextSink:
    """A text stream for csv.writer over a binary file: each write is encoded and passed on
    (the file's own buffer batches them). With utf-8-sig, the byte-order mark comes first,
    exactly as str.encode("utf-8-sig") of the whole text would write it."""

    def __init__(self, fh, encoding: str = "utf-8"):
        self._fh = fh
        if encoding.lower().replace("_", "-") == "utf-8-sig":
            fh.write(codecs.BOM_UTF8)
            encoding = "utf-8"
        self._encoding = encoding

    def write(self, text: str) -> int:
        self._fh.write(text.encode(self._encoding))
        return len(text)
