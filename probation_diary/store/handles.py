"""The one descriptor this process keeps on each diary file, and the locks that no other
descriptor can drop. Qt-free.

POSIX advisory locks belong to the process: closing *any* descriptor on the diary file (or its
``-shm``) drops every lock SQLite holds on it (SQLite's "How To Corrupt An SQLite Database
File", section 2.2). A file dialog that lists the diary's folder does exactly that, and so
would our own ``open(path).read(16)``. Another process then takes itself for the last user and
deletes the WAL on close, while this one keeps writing into the deleted file.

So, while any of our SQLite connections to a diary is open:

- This module keeps one descriptor on the diary (and one on its ``-shm``) and never closes them
  until the last of our connections has closed. Reading the header, fsync and hashing go
  through that descriptor (``read_head``, ``fsync``), never through a new one.
- On Linux it holds open-file-description (OFD) read locks, which belong to that descriptor
  and not to the process, so no close elsewhere can drop them: one on SQLite's shared-lock
  bytes of the diary (no other process can take the EXCLUSIVE lock that a last connection
  needs before it checkpoints and deletes the WAL and -shm) and one on the -shm "dead man
  switch" byte (no other process can take the diary for unused and rebuild the -shm under us).
  Our own last connection releases them just before it closes, so a clean exit still tidies
  the WAL away.
- ``other_holder`` says whether another process has the diary open (SQLite's own locks, or our
  OFD locks), and which process, so that restore, encrypt and change-passphrase can refuse.

On macOS (no OFD locks) the descriptor discipline still holds, and the window's lock file
(``diary.db.lock``) names the window; Windows locks belong to the handle, so the problem does
not arise there.
"""

from __future__ import annotations

import os
import struct
import threading

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

# SQLite's lock bytes (os_unix.c): the 510 "shared" bytes after the pending and reserved bytes
PENDING_BYTE = 0x40000000
SHARED_FIRST = PENDING_BYTE + 2
SHARED_SIZE = 510
# the -shm dead-man-switch byte: (22 + SQLITE_SHM_NLOCK) * 4 + SQLITE_SHM_NLOCK
SHM_DMS = (22 + 8) * 4 + 8

_OFD = fcntl is not None and hasattr(fcntl, "F_OFD_SETLK")
_FLOCK = "hh4xqqi4x"  # struct flock on Linux (64-bit off_t)


class _Held:
    def __init__(self, db_fd: int):
        self.db_fd = db_fd
        self.shm_fd: int | None = None
        self.count = 0
        self.locked = False


_lock = threading.RLock()
_held: dict[str, _Held] = {}


def _key(path) -> str:
    return os.path.realpath(os.fspath(path))


def _shm(path: str) -> str:
    return path + "-shm"


def _ofd(fd: int, kind: int, start: int, length: int) -> bool:
    if not _OFD:
        return False
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack(_FLOCK, kind, os.SEEK_SET, start, length, 0))
    except OSError:
        return False
    return True


def opened(path) -> None:
    """One of our SQLite connections to `path` is open (call it once the connection is set
    up: WAL mode and migrations need an exclusive lock that our own OFD lock would refuse)."""
    key = _key(path)
    with _lock:
        held = _held.get(key)
        if held is None:
            try:
                fd = os.open(key, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                return
            held = _held[key] = _Held(fd)
        held.count += 1
        if not held.locked:
            _lock_all(held, key)


def _lock_all(held: _Held, key: str) -> None:
    if held.shm_fd is None and os.path.exists(_shm(key)):
        try:
            held.shm_fd = os.open(_shm(key), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            held.shm_fd = None
    ok = _ofd(held.db_fd, fcntl.F_RDLCK if fcntl else 0, SHARED_FIRST, SHARED_SIZE)
    if held.shm_fd is not None:
        _ofd(held.shm_fd, fcntl.F_RDLCK, SHM_DMS, 1)
    held.locked = ok


def closing(path) -> None:
    """About to close one of our connections: if it is the last, let go of the OFD locks so
    that it can checkpoint and tidy the WAL away (if no other process has the diary)."""
    with _lock:
        held = _held.get(_key(path))
        if held is None:
            return
        if held.count <= 1 and held.locked:
            _ofd(held.db_fd, fcntl.F_UNLCK, SHARED_FIRST, SHARED_SIZE)
            if held.shm_fd is not None:
                _ofd(held.shm_fd, fcntl.F_UNLCK, SHM_DMS, 1)
            held.locked = False


def closed(path) -> None:
    """One of our connections has closed; after the last, the descriptors go too."""
    key = _key(path)
    with _lock:
        held = _held.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            if not held.locked:
                _lock_all(held, key)
            return
        del _held[key]
        for fd in (held.db_fd, held.shm_fd):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass


def is_open(path) -> bool:
    with _lock:
        return _key(path) in _held


def read_head(path, size: int = 16) -> bytes:
    """The first bytes of the file, through our descriptor when we have one (so that no
    descriptor is ever closed on a diary we have open)."""
    key = _key(path)
    with _lock:
        held = _held.get(key)
        if held is not None and hasattr(os, "pread"):  # Windows locks per handle: a new one is harmless
            return os.pread(held.db_fd, size, 0)
    with open(key, "rb") as fh:
        return fh.read(size)


def fsync(path) -> None:
    """fsync the file, through our descriptor when we have one."""
    key = _key(path)
    with _lock:
        held = _held.get(key)
        if held is not None:
            os.fsync(held.db_fd)
            return
    fd = os.open(key, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def other_holder(path) -> int | None:
    """The process id of another process that has the diary open (-1 when the lock does not
    say which, as for another copy's OFD lock), or None. Asks the kernel about SQLite's lock
    bytes through our own descriptor: F_GETLK never reports this process's own POSIX locks,
    and our own OFD lock is let go for the moment of the question."""
    if fcntl is None:  # pragma: no cover - Windows: SQLite's own locks do the job
        return None
    key = _key(path)
    with _lock:
        held = _held.get(key)
        own = held is None
        try:
            fd = os.open(key, os.O_RDONLY) if own else held.db_fd
        except OSError:
            return None
        relock = not own and held.locked
        if relock:
            _ofd(fd, fcntl.F_UNLCK, SHARED_FIRST, SHARED_SIZE)
        try:
            query = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, PENDING_BYTE, SHARED_SIZE + 2, 0)
            kind, _, _, _, pid = struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, query))
        finally:
            if relock:
                _ofd(fd, fcntl.F_RDLCK, SHARED_FIRST, SHARED_SIZE)
            if own:
                os.close(fd)
        if kind == fcntl.F_UNLCK:
            return None
        return pid if pid > 0 else (_ofd_owner(key) or -1)


def _ofd_owner(key: str) -> int | None:
    """Which other process has the file open, when the lock does not say (an OFD lock carries
    no process id): Linux lists every process's open files under /proc."""
    own = os.getpid()
    try:
        pids = [int(n) for n in os.listdir("/proc") if n.isdigit()]
    except OSError:
        return None
    for pid in sorted(pids):
        if pid == own:
            continue
        folder = f"/proc/{pid}/fd"
        try:
            fds = os.listdir(folder)
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"{folder}/{fd}") == key:
                    return pid
            except OSError:
                continue
    return None
