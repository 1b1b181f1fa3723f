"""Opening a diary file: everything that happens before the first write. Qt-free.

In order, before any connection is made (so that no descriptor we open and close here can
drop a lock, store/handles.py):

1. An empty (0-byte) file is a damaged diary when backups exist (it is never replaced by a
   fresh one); without backups it is a diary whose creation was cut short.
2. Files are made private: the diary and its -wal/-shm 0600, the folders we create 0700.
3. Copies left by a killed ``encrypt`` or ``restore`` (``diary.db.encrypting``,
   ``.restoring``, ``.recovering``) and half-made backups are removed: the diary they were
   made from is intact (the swap is one rename), and they hold all of its data.
4. A missing ``-wal`` whose ``-shm`` says it held saved changes (another tool deleted it
   after a crash) is reported, with the newest backup.

Then the connection, whose failures are told apart: wrong passphrase, damaged (with the
newest good backup), disk full, read-only, busy.
"""

from __future__ import annotations

import os
import stat
import struct
import sys
from pathlib import Path

from . import handles
from .diary import (
    BusyError, DamagedDiaryError, DiaryError, DiskFullError, EncryptedDiaryError, ReadOnlyDiaryError,
    default_path,
)

LEFTOVER_SUFFIXES = (".encrypting", ".restoring", ".recovering")
BUSY_OPEN_SECONDS = 30


def open_diary(cls, path, *, passphrase: str | None, create: bool, check: bool | None, reading: bool = False):
    import sqlite3

    from . import security

    target = Path(path).expanduser() if path is not None else default_path()
    if target.is_dir():
        raise DiaryError(f"{target} is a folder, not a diary file")
    try:
        size = target.stat().st_size
    except FileNotFoundError:
        size = None
    except OSError as exc:
        raise DiaryError(f"cannot read {target}: {exc.strerror}")
    if size == 0:
        newest = _newest_backup(target)
        if newest is not None:
            raise DamagedDiaryError(
                f"{target} is empty (0 bytes) although it has backups, so it is damaged, not new; "
                "it was left as it is")
    is_new = size is None or size == 0
    already_open = handles.is_open(target)
    notices: list[str] = []
    if is_new:
        if not create:
            raise DiaryError(f"there is no diary at {target}")
        _make_folder(target.parent)
        if size is None:
            _create_private(target)
    else:
        make_private(target)
        if not already_open:
            notices += _clean_leftovers(target)
            notices += _missing_wal(target)
    if check is None:
        check = not is_new and security.needs_check_at_open(target)
    query = ""
    read_only = None
    if not is_new and made_read_only(target):
        query, read_only = "?mode=ro", "file"
        notices.append(f"{target} is read-only (its write permission was taken away): it was opened for "
                       "reading only, and nothing can be saved until it is writable again")
    elif not is_new and reading and folder_is_read_only(target.parent):
        if not _journal_is_empty(target):
            raise ReadOnlyDiaryError(
                f"{target} is on a read-only disk, and its journal ({target.name}-wal) still holds saves that "
                "can only be read where they can be written back: copy the diary and that file to a disk you "
                "can write to, and open the copy. The files were left untouched")
        query, read_only = "?immutable=1", "disk"  # (nothing can change the file on a read-only disk)
        notices.append(f"{target} is on a read-only disk: the diary was opened for reading only, and "
                       "nothing can be saved to it there")
    elif not is_new and reading and disk_is_full(target.parent) and _journal_is_empty(target):
        # SQLite cannot make the -shm it reads through on a full disk; with nothing in the
        # journal the file alone is the whole diary, so it is read as it stands
        query, read_only = "?immutable=1", "full"
        notices.append(f"the disk holding {target} is full: the diary was opened for reading only; "
                       "free some space before saving anything")
    if passphrase is not None:
        if not is_new and security.file_state(target) == "plain":
            raise DiaryError(f"{target} is not encrypted; open it without a passphrase, "
                             "or encrypt it with 'probation-diary encrypt'")
        conn = security.connect_encrypted(target, passphrase, timeout=BUSY_OPEN_SECONDS, query=query)
    else:
        if not is_new and security.file_state(target) == "encrypted":
            raise EncryptedDiaryError(
                f"{target} is encrypted (or is not a Probation Diary file at all); give its passphrase "
                f"in {security.ENV_PASSPHRASE} or when asked")
        try:
            if query:
                conn = sqlite3.connect(target.resolve().as_uri() + query, uri=True, timeout=BUSY_OPEN_SECONDS)
            else:
                conn = sqlite3.connect(str(target), timeout=BUSY_OPEN_SECONDS)
        except sqlite3.Error as exc:
            raise plain_open_error(str(target), exc) from None
    try:
        diary = cls._from_connection(conn, target, is_new, check=check)
    except BaseException:
        conn.close()
        raise
    diary.encrypted = passphrase is not None
    diary._passphrase = passphrase
    diary.notices = notices
    diary.read_only = read_only
    handles.opened(target)
    diary._registered = True
    make_private(target)  # the -wal and -shm SQLite has just made
    return diary


# --- errors -----------------------------------------------------------------------------

def plain_open_error(where: str, exc: BaseException) -> DiaryError:
    """SQLite's complaint at open, in plain words and the right class."""
    text = str(exc).lower()
    folder = Path(where).parent if where != "memory" else Path(".")
    if "locked" in text or "busy" in text:
        return BusyError(f"{where} is busy in another copy of Probation Diary (it kept it locked for "
                         f"{BUSY_OPEN_SECONDS} seconds); try again when it has finished")
    if "full" in text or disk_is_full(folder):
        return DiskFullError(f"the disk holding {where} is full, so the diary cannot be opened; "
                             "free some space and try again. The file was left untouched")
    if "readonly" in text or "read-only" in text or "read only" in text or folder_is_read_only(folder):
        return ReadOnlyDiaryError(f"{where} is on a read-only disk or folder, so the diary cannot be opened "
                                  "for saving; the file was left untouched")
    if "unable to open" in text:
        return DiaryError(f"cannot open {where}: the file or its folder cannot be opened (check it exists "
                          "and that you may write there)")
    if "not a database" in text or "malformed" in text:
        return DamagedDiaryError(f"{where} is damaged or is not a Probation Diary file; it was left untouched")
    return DiaryError(f"cannot open {where} ({str(exc).splitlines()[0][:120]})")


def disk_is_full(folder: Path, margin: int = 256 * 1024) -> bool:
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < margin


def folder_is_read_only(folder: Path) -> bool:
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return bool(st.f_flag & getattr(os, "ST_RDONLY", 1))


# --- permissions ----------------------------------------------------------------------------

def _make_folder(folder: Path) -> None:
    missing = []
    p = folder
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    try:
        for d in reversed(missing):
            d.mkdir(mode=0o700)
            _chmod(d, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise DiaryError(f"cannot create the folder for the diary at {folder}: {exc.strerror}")
    if _is_own_data_folder(folder):
        _chmod(folder, 0o700)


def _is_own_data_folder(folder: Path) -> bool:
    """Our data folder (not a folder the user chose, such as Documents, whose permissions are
    theirs to decide)."""
    return folder.name in ("probation-diary", "Probation Diary")


def _create_private(target: Path) -> None:
    try:
        fd = os.open(str(target), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        if exc.errno == 28:
            raise DiskFullError(f"the disk is full, so the diary cannot be created at {target}")
        if exc.errno == 30:
            raise ReadOnlyDiaryError(f"{target.parent} is read-only, so the diary cannot be created there")
        raise DiaryError(f"cannot create the diary at {target}: {exc.strerror}")
    os.close(fd)


def _chmod(p: Path, mode: int) -> None:
    if os.name == "nt":  # the user's profile already keeps other users out
        return
    try:
        if stat.S_IMODE(os.stat(p).st_mode) != mode:
            os.chmod(p, mode)
    except OSError:
        pass


def make_private(target: Path) -> None:
    """The diary, its -wal and -shm: no access for group or others (chmod opens nothing, so
    it drops no lock). It never adds a permission to the diary: one the user made read-only
    stays so. The -wal and -shm follow the diary (SQLite made them like it), so they are
    writable again once the user makes the diary writable again."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode) & 0o600
    except OSError:
        return
    for p in (target, target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        if p.exists() and not p.is_symlink():
            _chmod(p, mode)


def _journal_is_empty(target: Path) -> bool:
    try:
        return target.with_name(target.name + "-wal").stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def made_read_only(target: Path) -> bool:
    """The user has taken away their own write permission: the diary is opened for reading
    only, so nothing is written even by an administrator, whom the permission does not stop."""
    try:
        return not os.stat(target).st_mode & stat.S_IWUSR
    except OSError:
        return False
    if _is_own_data_folder(target.parent):
        _chmod(target.parent, 0o700)


# --- leftovers and the missing WAL -------------------------------------------------------------

def _newest_backup(target: Path):
    from .backup import list_backups

    try:
        found = list_backups(target)
    except OSError:
        return None
    return found[0].path if found else None


def _clean_leftovers(target: Path) -> list[str]:
    """Remove the full copies a killed encrypt/restore left beside the diary, and half-made
    backups; not while another process has the diary (it may be making them now)."""
    leftovers = [target.with_name(target.name + s) for s in LEFTOVER_SUFFIXES]
    folder = target.parent / "backups"
    if folder.is_dir():
        leftovers += [p for p in folder.glob(f"{target.stem}-*.backup.part")]
    leftovers = [p for p in leftovers if p.exists()]
    if not leftovers or handles.other_holder(target) is not None:
        return []
    removed = []
    for p in leftovers:
        for extra in (p, p.with_name(p.name + "-wal"), p.with_name(p.name + "-shm"), p.with_name(p.name + "-journal")):
            try:
                extra.unlink()
            except FileNotFoundError:
                continue
            except OSError:
                continue
            if extra is p:
                removed.append(p.name)
    if not removed:
        return []
    return [f"removed {', '.join(removed)}: a copy left by an encrypt, restore or backup that was "
            "stopped part-way; the diary itself was not changed by it"]


def shm_frames(target: Path) -> tuple[int, int] | None:
    """(frames in the WAL, frames already copied into the diary) as the -shm file says, or
    None when it says nothing. Read only while we have no connection to the diary."""
    shm = target.with_name(target.name + "-shm")
    try:
        with open(shm, "rb") as fh:
            head = fh.read(136)
    except OSError:
        return None
    if len(head) < 100:
        return None
    version, = struct.unpack_from("=I", head, 0)
    if version != 3007000:
        return None
    mx_frame, = struct.unpack_from("=I", head, 16)
    backfill, = struct.unpack_from("=I", head, 96)
    return mx_frame, backfill


def _missing_wal(target: Path) -> list[str]:
    wal = target.with_name(target.name + "-wal")
    if wal.exists():
        return []
    frames = shm_frames(target)
    if frames is None or frames[0] <= frames[1]:
        return []
    if handles.other_holder(target) is not None:
        return []
    newest = _newest_backup(target)
    where = (f"the newest backup is {newest} ('probation-diary restore {newest}', or File ▸ Restore from "
             "backup)") if newest else "there is no backup to go back to"
    return [f"the diary's journal ({wal.name}) is missing although {target.name}-shm says it held "
            f"{frames[0] - frames[1]} unsaved page(s): another program removed it after a crash, so "
            f"the last saves may be lost; {where}"]


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running. A killed process that its parent has not
    yet reaped (a zombie, on Linux) has stopped: it holds no file and answers nothing."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rpartition(b")")[2].split()[:1]
    except OSError:  # no /proc (macOS), or it has just gone
        return True
    return state not in ([b"Z"], [b"X"])


def window_lock(target: Path) -> Path:
    """The lock file the window keeps beside the diary while it has it open."""
    p = Path(target).expanduser()
    return p.with_name(p.name + ".lock")


def running_window(target: Path) -> int | None:
    """The process id in the window's lock file, when that process is alive."""
    lock = window_lock(target)
    try:
        pid = int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    if pid == os.getpid() or not process_alive(pid):
        return None
    return pid


def holder_words(target: Path) -> str | None:
    """'the Probation Diary window (process 123)', 'another copy of Probation Diary (process
    456)' or None when no other process has the diary open."""
    other = handles.other_holder(target)
    window = running_window(target)
    if window is not None and (other is not None or sys.platform != "linux"):
        return f"the Probation Diary window (process {window})"
    if other is None:
        return None
    if other == -1:
        return "another copy of Probation Diary"
    return f"another copy of Probation Diary (process {other})"


def refuse_if_shared(target: Path, what: str) -> None:
    """Refuse `what` (restore, encrypt, change the passphrase) while another process has the
    diary open: replacing or re-keying the file under it would lose its next saves."""
    who = holder_words(Path(target))
    if who is not None:
        raise BusyError(f"{who} has this diary open, so it was not {what}; close it there "
                        f"(or do it from that window) and try again. Nothing was changed")
