"""Automatic backups in the style of Anki. Qt-free.

- A backup is made with ``VACUUM INTO`` on the diary's own connection, so an encrypted diary
  gives a backup encrypted with the same key (SQLCipher), and a plain diary a plain one.
- Automatic backups: when the diary has changed, at most every 30 minutes, and at close after
  ``PRAGMA quick_check`` passes (a damaged diary never replaces good backups).
- Thinning keeps every backup from today and yesterday, then the newest of each day for two
  weeks, of each week for three months, and of each month up to a year. The newest backup is
  always kept.
- Restore first backs up the current state ("before restore"), so a restore can be undone by
  restoring that backup.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import security
from ..core import clock
from .diary import DamagedDiaryError, Diary, DiaryError

AUTO_INTERVAL = dt.timedelta(minutes=30)
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}(?:-\d+)?)(?P<tag>-[a-z-]+)?\.backup$")


@dataclass(frozen=True)
class Backup:
    path: Path
    when: dt.datetime  # UTC
    tag: str = ""  # "" (automatic/now) or "before-restore", "at-close"

    @property
    def label(self) -> str:
        local = clock.to_local(self.when)
        extra = {"before-restore": " (before a restore)", "at-close": " (at close)"}.get(self.tag, "")
        return f"{local:%a %d/%m/%Y %H:%M}{extra}"


def backup_dir(diary_path: Path) -> Path:
    return Path(diary_path).parent / "backups"


def list_backups(diary_path: Path) -> list[Backup]:
    """This diary's backups, newest first."""
    diary_path = Path(diary_path)
    folder = backup_dir(diary_path)
    found = []
    if not folder.is_dir():
        return found
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if not m or m["stem"] != diary_path.stem:
            continue
        stamp = m["stamp"][:15]
        when = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=dt.timezone.utc)
        found.append(Backup(p, when, (m["tag"] or "").lstrip("-")))
    found.sort(key=lambda b: (b.when, b.path.name), reverse=True)
    return found


def _target_name(diary_path: Path, when: dt.datetime, tag: str) -> Path:
    folder = backup_dir(diary_path)
    stamp = when.astimezone(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    suffix = f"-{tag}" if tag else ""
    target = folder / f"{diary_path.stem}-{stamp}{suffix}.backup"
    n = 1
    while target.exists():
        target = folder / f"{diary_path.stem}-{stamp}-{n}{suffix}.backup"
        n += 1
    return target


def make_backup(diary: Diary, *, tag: str = "", now: dt.datetime | None = None, thin_after: bool = True) -> Backup:
    """Write a backup now through the diary's own connection (VACUUM INTO a temporary name,
    verify it, fsync, rename)."""
    if diary.path is None:
        raise DiaryError("an in-memory diary has no backups")
    _check_before_backup(diary.db.conn, diary)
    return _backup_through(diary.db.conn, Path(diary.path), diary._passphrase, tag, now, thin_after)


DAMAGED_AT_BACKUP = ("the diary failed its integrity check, so no backup was made over the good ones "
                     "and nothing more is written to it; restore the newest good backup")


def _check_before_backup(conn, diary=None) -> None:
    """The full integrity check runs before every backup: a damaged diary never becomes the
    newest backup, and is not written to again."""
    problems = diary.integrity_check() if diary is not None else security.integrity_check(conn)
    if problems:
        if diary is not None:
            diary.damaged = True
        raise DamagedDiaryError(DAMAGED_AT_BACKUP)


def make_backup_file(diary_path: Path, passphrase: str | None, *, tag: str = "",
                     now: dt.datetime | None = None) -> Backup:
    """The same through a connection of its own, so that it can run in a worker thread while
    the window carries on (WAL lets it read a consistent snapshot while the window writes)."""
    import sqlite3

    path = Path(diary_path)
    if passphrase is not None:
        conn = security.connect_encrypted(path, passphrase)
    else:
        conn = sqlite3.connect(str(path), timeout=5)
    try:
        _check_before_backup(conn)
        return _backup_through(conn, path, passphrase, tag, now, True)
    finally:
        conn.close()


def _backup_through(conn, path: Path, passphrase: str | None, tag: str, now: dt.datetime | None,
                    thin_after: bool) -> Backup:
    when = now or clock.now_utc()
    folder = backup_dir(path)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name != "nt":
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise DiaryError(f"cannot create the backup folder {folder}: {exc.strerror}")
    target = _target_name(path, when, tag)
    tmp = target.with_name(target.name + ".part")
    _unlink(tmp)
    try:
        security.create_private_file(tmp)  # VACUUM INTO fills an empty file; 0600 from the start
        conn.execute("VACUUM INTO ?", [str(tmp)])
        _verify_backup(tmp, passphrase)
        security.atomic_replace(tmp, target)
    except DiaryError:
        _unlink(tmp)
        raise
    except Exception as exc:
        _unlink(tmp)
        text = str(exc)
        if "full" in text or getattr(exc, "errno", None) == 28:
            from .diary import DiskFullError

            raise DiskFullError("the disk is full, so the backup was not made; free some space")
        raise DiaryError(f"the backup could not be made ({type(exc).__name__}: {text})")
    backup = Backup(target, when.replace(microsecond=0), tag)
    if thin_after:
        thin_backups(path, now=when)
    return backup


def _verify_backup(file: Path, passphrase: str | None) -> None:
    """A small backup gets a full quick_check; a big one (whose source was just read whole by
    VACUUM INTO, and for an encrypted diary HMAC-checked page by page) is opened with the key
    and its schema and entries index read, to keep a close quick on a very large diary."""
    conn = _connect(file, passphrase)
    try:
        if file.stat().st_size <= security.CHECK_AT_OPEN_MAX_BYTES:
            problems = security.quick_check(conn)
        else:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("SELECT count(*) FROM entries").fetchone()
            problems = []
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    if problems or version < 1:
        raise DiaryError("the backup did not verify, so it was not kept")


def _connect(file: Path, passphrase: str | None):
    if passphrase is not None:
        return security.connect_encrypted(file, passphrase)
    import sqlite3

    return sqlite3.connect(f"file:{file}?mode=ro", uri=True)


# --- thinning ----------------------------------------------------------------------------

def backups_to_keep(times: list[dt.datetime], today: dt.date) -> set[dt.datetime]:
    """Which of these backup times (UTC) to keep, by their local dates relative to `today`:
    all from today and yesterday; the newest of each day up to 14 days old; of each ISO week
    up to 13 weeks; of each month up to a year; none older (except that the newest backup is
    always kept)."""
    keep: set[dt.datetime] = set()
    buckets: dict[tuple, dt.datetime] = {}
    for t in times:
        day = clock.to_local(t).date()
        age = (today - day).days
        if age <= 1:
            keep.add(t)
            continue
        if age < 14:
            key = ("day", day)
        elif age < 91:
            iso = day.isocalendar()
            key = ("week", iso[0], iso[1])
        elif age <= 365:
            key = ("month", day.year, day.month)
        else:
            continue
        if key not in buckets or t > buckets[key]:
            buckets[key] = t
    keep.update(buckets.values())
    if times:
        keep.add(max(times))
    return keep


def thin_backups(diary_path: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups that the thinning rule does not keep; returns what was deleted."""
    today = clock.to_local(now or clock.now_utc()).date()
    backups = list_backups(diary_path)
    keep = backups_to_keep([b.when for b in backups], today)
    removed = []
    for b in backups:
        if b.when not in keep:
            _unlink(b.path)
            removed.append(b.path)
    return removed


# --- automatic backups -------------------------------------------------------------------

class BackupScheduler:
    """Decides when to back up. The Qt layer calls tick() from a timer and closing() at exit;
    the command line calls closing() after each command that changed the diary."""

    def __init__(self, diary: Diary):
        self.diary = diary
        self.dirty = False
        diary.listeners.append(self._changed)

    def _changed(self, what: str) -> None:
        self.dirty = True

    def changed_since_last_backup(self) -> bool:
        if self.dirty:
            return True
        backups = list_backups(self.diary.path)
        if not backups:
            return True
        newest = backups[0].path.stat().st_mtime
        files = [Path(self.diary.path), security.wal_path(Path(self.diary.path))]
        return any(f.exists() and f.stat().st_mtime > newest for f in files)

    def due(self, now: dt.datetime | None = None) -> bool:
        """The diary changed and the newest backup is at least 30 minutes old."""
        now = now or clock.now_utc()
        if self.diary.path is None or not self.changed_since_last_backup():
            return False
        backups = list_backups(self.diary.path)
        return not backups or now - backups[0].when >= AUTO_INTERVAL

    def tick(self, now: dt.datetime | None = None) -> Backup | None:
        """Back up (here and now) if due()."""
        now = now or clock.now_utc()
        if not self.due(now):
            return None
        backup = make_backup(self.diary, now=now)
        self.dirty = False
        return backup

    def closing(self, now: dt.datetime | None = None) -> Backup | None:
        """At close: quick_check, then a backup if anything changed. A diary that fails the
        check raises DamagedDiaryError and no backup is made."""
        if self.diary.path is None:
            return None
        problems = self.diary.integrity_check()
        if not problems and not self.diary.damaged:
            self.diary.purge_bin(now)  # entries binned over 30 days ago go for good
        if problems:
            self.diary.damaged = True
            raise DamagedDiaryError(
                "the diary failed its integrity check at close, so no backup was made over the good ones; "
                "restore the newest backup")
        if not self.changed_since_last_backup():
            return None
        backup = make_backup(self.diary, now=now)
        self.dirty = False
        return backup


# --- restore -----------------------------------------------------------------------------

def restore(diary: Diary, backup_file: Path, *, backup_passphrase: str | None = None,
            now: dt.datetime | None = None) -> Backup:
    """Replace the open diary's contents with a backup. The current state is backed up first
    (tag "before-restore"), and that backup is returned so the restore can be undone. A backup
    made under an earlier passphrase is opened with `backup_passphrase` and re-keyed to the
    current one. The diary object stays the same and is reconnected to the restored file."""
    if diary.path is None:
        raise DiaryError("an in-memory diary cannot be restored")
    path = Path(diary.path)
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise DiaryError(f"there is no backup at {backup_file}")
    if os.path.realpath(backup_file) == os.path.realpath(path):
        raise DiaryError("that is the diary itself, not a backup of it; choose a file from 'backups'")
    from .opening import refuse_if_shared

    refuse_if_shared(path, "restored")
    tmp = path.with_name(path.name + ".restoring")
    _unlink(tmp)
    try:
        _private_copy(backup_file, tmp)
    except OSError as exc:
        _unlink(tmp)
        if exc.errno == 28:
            from .diary import DiskFullError

            raise DiskFullError("the disk is full, so nothing was restored; free some space")
        raise DiaryError(f"the backup could not be copied ({exc.strerror}); nothing was restored")
    try:
        _prepare_restored_copy(tmp, diary._passphrase, backup_passphrase)
        undo = make_backup(diary, tag="before-restore", now=now, thin_after=False)
        _swap_in(diary, tmp)
    except BaseException:
        _unlink(tmp)
        raise
    return undo


def _private_copy(source: Path, target: Path) -> None:
    """Copy a backup (never the live diary) to a new 0600 file."""
    security.create_private_file(target)
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def _prepare_restored_copy(tmp: Path, passphrase: str | None, backup_passphrase: str | None) -> None:
    """Check the copy is a good diary and carries the current passphrase (or none)."""
    state = security.file_state(tmp)
    if passphrase is None:
        if state != "plain":
            raise DiaryError("that backup is encrypted but this diary is not; encrypt this diary first")
        conn = _connect(tmp, None)
        try:
            problems = security.quick_check(conn)
        finally:
            conn.close()
    else:
        if state == "plain":
            raise DiaryError("that backup is not encrypted; it cannot be restored into an encrypted diary")
        from .diary import WrongPassphraseError

        try:
            conn = security.connect_encrypted(tmp, backup_passphrase or passphrase)
        except WrongPassphraseError:
            raise WrongPassphraseError(
                "that backup was made with a different passphrase; give the passphrase it was made with")
        try:
            problems = security.quick_check(conn)
            if not problems and backup_passphrase and backup_passphrase != passphrase:
                conn.execute(security._key_sql(passphrase, "rekey"))
        finally:
            conn.close()
    if problems:
        raise DamagedDiaryError("that backup is damaged (it failed its integrity check); choose another")
    check = Diary.open(tmp, passphrase=passphrase, create=False, check=False)
    check.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    check.close()


def _swap_in(diary: Diary, new_file: Path) -> None:
    path = Path(diary.path)
    diary.close()  # the last connection: SQLite checkpoints and removes the WAL
    for extra in (security.wal_path(path), path.with_name(path.name + "-shm")):
        _unlink(extra)
    security.atomic_replace(new_file, path)
    fresh = Diary.open(path, passphrase=diary._passphrase, create=False)
    security.adopt(diary, fresh)


# --- integrity at open: the newest good backup ----------------------------------------------

def backup_is_good(file: Path, passphrase: str | None) -> bool:
    """The file opens with this passphrase (or none) and passes quick_check."""
    try:
        if passphrase is None and security.file_state(file) != "plain":
            return False
        conn = _connect(file, passphrase)
    except DiaryError:
        return False
    try:
        return not security.quick_check(conn)
    except Exception:
        return False
    finally:
        conn.close()


def newest_good_backup(diary_path: Path, passphrase: str | None) -> Backup | None:
    """The newest backup that opens with this passphrase and passes quick_check."""
    for b in list_backups(diary_path):
        if backup_is_good(b.path, passphrase):
            return b
    return None


def recover_from_backup(diary_path: Path, backup: Backup) -> Path:
    """Put a backup in place of a damaged diary. The damaged file is renamed, never written
    to (its bytes stay as they were, for a specialist to look at); returns its new name."""
    diary_path = Path(diary_path)
    stamp = clock.now_utc().strftime("%Y%m%d-%H%M%S")
    aside = diary_path.with_name(f"{diary_path.name}.damaged-{stamp}")
    tmp = diary_path.with_name(diary_path.name + ".recovering")
    _unlink(tmp)
    _private_copy(backup.path, tmp)
    security.fsync_file(tmp)
    os.replace(diary_path, aside)
    for extra in (security.wal_path(diary_path), diary_path.with_name(diary_path.name + "-shm")):
        if extra.exists():
            os.replace(extra, extra.with_name(f"{extra.name}.damaged-{stamp}"))
    security.atomic_replace(tmp, diary_path)
    return aside


def _unlink(p: Path) -> None:
    try:
        p.unlink()
    except FileNotFoundError:
        pass
