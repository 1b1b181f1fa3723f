"""Encryption at rest (SQLCipher), passphrase strength and safe file swaps. Qt-free.

A diary opened with a passphrase is a SQLCipher file: every page, the WAL and every backup
are encrypted (AES-256, key derived with PBKDF2-HMAC-SHA512). Without a passphrase the
diary is a plain SQLite file, which exists only when asked for explicitly.

Nothing here logs or prints a passphrase, and no error message contains one.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import string
from pathlib import Path

ENV_PASSPHRASE = "PROBATION_DIARY_PASSPHRASE"
ENV_NEW_PASSPHRASE = "PROBATION_DIARY_NEW_PASSPHRASE"
SQLITE_HEADER = b"SQLite format 3\x00"
MIN_LENGTH = 10

# Diaries at most this big get the full PRAGMA integrity_check at every open; bigger ones only
# after an unclean shutdown, and always before every backup (see needs_check_at_open).
# Measured on an 8 MB diary (14,000 entries): integrity_check 0.08 s plain, 0.2 s encrypted
# (quick_check 0.035 s and 0.09 s), so the full check adds at most ~0.2 s to an unlock.
CHECK_AT_OPEN_MAX_BYTES = 8 * 1024 * 1024


def _errors():
    from .diary import DamagedDiaryError, DiaryError, WrongPassphraseError

    return DiaryError, WrongPassphraseError, DamagedDiaryError


# --- files ------------------------------------------------------------------------------

def file_state(path: str | os.PathLike) -> str:
    """'missing', 'empty', 'plain' (an SQLite file), 'encrypted' (whole pages with no readable
    header: a SQLCipher file, or random bytes that look like one) or 'other'."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        return "missing"
    if size == 0:
        return "empty"
    from . import handles

    head = handles.read_head(p, 16)  # never a second descriptor on a diary we have open
    if head == SQLITE_HEADER:
        return "plain"
    # a SQLCipher file is whole pages (at least 512 bytes each); anything else is foreign
    return "encrypted" if size >= 512 and size % 512 == 0 else "other"


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def unclean_shutdown(path: Path) -> bool:
    """SQLite removes the WAL when the last connection closes cleanly; a non-empty WAL
    before we connect means a crash, a kill, or another copy that has the file open."""
    try:
        return wal_path(path).stat().st_size > 0
    except FileNotFoundError:
        return False


def needs_check_at_open(path: Path) -> bool:
    """The start-up policy: the full integrity_check at open for a diary up to 8 MB, and for a
    bigger one after an unclean shutdown (a WAL left behind). A full check of a 100,000-entry
    encrypted diary takes about a second, of a 1M-entry one several, too slow for every
    start. Every backup (automatic, at close, on request) first runs the full check on the
    diary, and a diary that fails any check is not written again (Diary.damaged); SQLCipher's
    per-page HMAC makes a damaged page fail loudly whenever it is read."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    return size <= CHECK_AT_OPEN_MAX_BYTES or unclean_shutdown(path)


def fsync_file(path: Path) -> None:
    from . import handles

    handles.fsync(path)  # through our own descriptor when the file is a diary we have open


def fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(str(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_replace(new: Path, target: Path) -> None:
    """Make `new` durable, then swap it in for `target` in one step."""
    fsync_file(new)
    os.replace(new, target)
    fsync_dir(target.parent)


# --- SQLCipher connections ---------------------------------------------------------------

def _key_sql(passphrase: str, verb: str = "key") -> str:
    if not isinstance(passphrase, str) or not passphrase:
        raise ValueError("the passphrase is empty")
    if "\x00" in passphrase:
        raise ValueError("the passphrase cannot contain a NUL character")
    return f"PRAGMA {verb} = '" + passphrase.replace("'", "''") + "'"


_quiet = False


def sqlcipher():
    """The sqlcipher3 module, with SQLCipher's own logging (which writes decryption failures
    to stderr) turned off once for the process."""
    global _quiet
    import sqlcipher3

    if not _quiet:
        from .diary import _sqlcipher_loaded

        _sqlcipher_loaded(sqlcipher3)  # the diary catches its errors from now on
        quiet = sqlcipher3.connect(":memory:")
        try:
            quiet.execute("PRAGMA cipher_log_level = NONE").fetchall()
        finally:
            quiet.close()
        _quiet = True
    return sqlcipher3


def connect_encrypted(path: Path, passphrase: str, *, timeout: float = 5, query: str = ""):
    """A keyed SQLCipher connection, verified by a read of sqlite_master. A wrong passphrase
    raises WrongPassphraseError and nothing is written (the key comes before any other
    statement, and the verifying read is the first page read)."""
    DiaryError, WrongPassphraseError, DamagedDiaryError = _errors()
    sc = sqlcipher()
    try:
        if query:  # "?mode=ro" or "?immutable=1" (store/opening.py)
            conn = sc.connect(Path(path).resolve().as_uri() + query, uri=True, timeout=timeout)
        else:
            conn = sc.connect(str(path), timeout=timeout)
    except sc.Error as exc:
        from .opening import plain_open_error

        raise plain_open_error(str(path), exc) from None
    try:
        conn.execute(_key_sql(passphrase))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sc.DatabaseError as exc:
        conn.close()
        text = str(exc)
        if "not a database" not in text and "encrypted" not in text:
            from .opening import plain_open_error

            raise plain_open_error(str(path), exc) from None
        if _opens_a_backup(path, passphrase):
            raise DamagedDiaryError(
                f"{path} is damaged: the passphrase is right (it opens your backups) but the diary file "
                "does not open with it. It was left untouched")
        if _key_fits_some_page(path, passphrase):
            raise DamagedDiaryError(
                f"{path} is damaged: the passphrase is right (pages of the file check out with it) but "
                "the diary does not open with it. It was left untouched")
        raise WrongPassphraseError(
            f"wrong passphrase for {path} (or the file is not an encrypted diary); the file was left untouched")
    except BaseException:
        conn.close()
        raise
    return conn


def _opens_a_backup(path: Path, passphrase: str) -> bool:
    """Whether this passphrase opens one of the diary's backups: then it is the right one,
    and a diary that does not open with it is damaged, not locked with another."""
    if path.suffix == ".backup" or path.parent.name == "backups":
        return False
    from .backup import list_backups

    sc = sqlcipher()
    for b in list_backups(path)[:5]:
        try:
            conn = sc.connect(f"file:{b.path}?mode=ro", uri=True)
        except sc.Error:
            continue
        try:
            conn.execute(_key_sql(passphrase))
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return True
        except sc.Error:
            continue
        finally:
            conn.close()
    return False


# How many pages from the start of the file _key_fits_some_page tries (the schema's pages
# are among the first: what the verifying read of sqlite_master needs).
KEY_CHECK_PAGES = 8


def _key_fits_some_page(path: Path, passphrase: str) -> bool:
    """Whether the passphrase is the file's key although the file did not open with it: some
    page among the first KEY_CHECK_PAGES passes SQLCipher's HMAC check with the key derived
    from it. With a wrong key every page fails (the HMAC key comes from the passphrase and the
    salt at the head of page 1), so a page that passes means the file is damaged, not locked
    with another passphrase. Damage to page 1 (the header, the start of the schema) or to a
    later schema page fails the verifying read exactly as a wrong key does; this tells them
    apart. SQLCipher checks the pages (PRAGMA cipher_integrity_check) in a copy of the first
    pages: still ciphertext, in a private temporary file removed at once, so the cost is one
    more key derivation and never a read of the whole diary."""
    import tempfile

    from . import handles

    page = 4096  # SQLCipher 4's page size, which connect_encrypted keeps
    try:
        head = handles.read_head(path, page * KEY_CHECK_PAGES)
    except OSError:
        return False
    pages = len(head) // page
    if pages < 1:
        return False
    sc = sqlcipher()
    fd, name = tempfile.mkstemp(prefix="pd-keycheck-")  # 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(head[:pages * page])
        conn = sc.connect(name)
        try:
            conn.execute(_key_sql(passphrase))
            failed = {r[0] for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()}
        except sc.Error:
            return False
        finally:
            conn.close()
    finally:
        for leftover in (name, name + "-wal", name + "-shm", name + "-journal"):
            try:
                os.unlink(leftover)
            except OSError:
                pass
    passed = [n for n in range(1, pages + 1) if f"HMAC verification failed for page {n}" not in failed]
    return bool(passed)


def verify_passphrase(path: Path, passphrase: str) -> bool:
    _, WrongPassphraseError, _ = _errors()
    try:
        connect_encrypted(path, passphrase).close()
    except WrongPassphraseError:
        return False
    return True


def integrity_check(conn) -> list[str]:
    """[] when the full PRAGMA integrity_check passes (it also checks every index against its
    table, which quick_check does not), else its complaints (no row data in them)."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
    except (sqlite3.DatabaseError, sqlcipher().DatabaseError, UnicodeDecodeError) as exc:
        return [type(exc).__name__]
    return [] if rows == ["ok"] else ["the integrity check found problems"] * len(rows)


def quick_check(conn) -> list[str]:
    """[] when PRAGMA quick_check passes, else its complaints (no row data in them)."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except (sqlite3.DatabaseError, sqlcipher().DatabaseError, UnicodeDecodeError) as exc:
        return [type(exc).__name__]
    return [] if rows == ["ok"] else ["the quick check found problems"] * len(rows)


def rekey(diary, new_passphrase: str) -> None:
    """Change the passphrase of an open encrypted diary (PRAGMA rekey rewrites every page in
    one transaction, so a crash leaves either the old key or the new one)."""
    DiaryError, _, _ = _errors()
    if not getattr(diary, "encrypted", False):
        raise DiaryError("this diary is not encrypted; encrypt it first ('probation-diary encrypt')")
    problems = passphrase_problems(new_passphrase)
    if problems:
        raise DiaryError(problems[0])
    from .opening import refuse_if_shared

    refuse_if_shared(Path(diary.path), "given a new passphrase")  # the other copy could not read it
    try:
        diary.db.conn.execute(_key_sql(new_passphrase, "rekey"))
    except sqlcipher().Error as exc:
        raise DiaryError(f"the passphrase could not be changed ({exc}); the old one still works")
    diary._passphrase = new_passphrase
    if not verify_passphrase(diary.path, new_passphrase):  # pragma: no cover - defensive
        raise DiaryError("the new passphrase did not verify; keep the old one and make a backup")


def encrypt_copy(source_conn, target: Path, passphrase: str) -> None:
    """Write an encrypted copy of the database behind `source_conn` (a sqlcipher3
    connection) to `target` with sqlcipher_export, keeping user_version and application_id."""
    if target.exists():
        target.unlink()
    create_private_file(target)  # ATTACH takes an empty file as a new database
    version = source_conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = source_conn.execute("PRAGMA application_id").fetchone()[0]
    source_conn.execute("ATTACH DATABASE ? AS enc KEY '" + passphrase.replace("'", "''") + "'", [str(target)])
    try:
        source_conn.execute("SELECT sqlcipher_export('enc')")
        source_conn.execute(f"PRAGMA enc.user_version = {int(version)}")
        source_conn.execute(f"PRAGMA enc.application_id = {int(app_id)}")
        source_conn.commit()
    finally:
        source_conn.execute("DETACH DATABASE enc")


def _table_counts(conn) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def encrypt_in_place(diary, passphrase: str):
    """Encrypt an open, unencrypted diary: write an encrypted copy beside it, verify it
    (integrity check, same tables and row counts), fsync, then swap it in atomically and
    reconnect `diary` to it. Until the swap the original is untouched."""
    from .diary import Diary

    DiaryError, _, _ = _errors()
    if getattr(diary, "encrypted", False):
        raise DiaryError("this diary is already encrypted")
    if diary.path is None:
        raise DiaryError("an in-memory diary cannot be encrypted")
    problems = passphrase_problems(passphrase)
    if problems:
        raise DiaryError(problems[0])
    path = Path(diary.path)
    new = path.with_name(path.name + ".encrypting")
    from .opening import refuse_if_shared

    refuse_if_shared(path, "encrypted")
    problems = integrity_check(diary.db.conn)
    if problems:
        raise DiaryError("the diary failed its integrity check, so it was not encrypted; restore a backup first")
    diary.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    expected = _table_counts(diary.db.conn)
    sc = sqlcipher()
    src = sc.connect(str(path), timeout=5)  # no key: SQLCipher reads a plain file as it is
    try:
        encrypt_copy(src, new, passphrase)
    except sc.Error as exc:
        _unlink(new)
        raise DiaryError(f"the encrypted copy could not be written ({exc}); the diary is unchanged")
    finally:
        src.close()
    try:
        check = connect_encrypted(new, passphrase)
        try:
            ok = not quick_check(check) and _table_counts(check) == expected
        finally:
            check.close()
        if not ok:
            raise DiaryError("the encrypted copy did not verify; the diary is unchanged")
        diary.close()
        for extra in (wal_path(path), path.with_name(path.name + "-shm")):
            _unlink(extra)
        atomic_replace(new, path)
    except BaseException:
        _unlink(new)
        raise
    fresh = Diary.open(path, passphrase=passphrase, create=False)
    adopt(diary, fresh)
    return diary


def adopt(diary, fresh) -> None:
    """Point an existing Diary object (held by windows and undo commands) at a freshly opened
    connection, and tell the listeners that everything may have changed."""
    diary.db = fresh.db
    diary._registered, fresh._registered = getattr(fresh, "_registered", False), False
    diary.damaged = fresh.damaged
    diary.encrypted = fresh.encrypted
    diary._passphrase = fresh._passphrase
    diary._ref = None
    diary._settings = None
    for what in ("reference", "settings", "people", "entries"):
        diary._notify(what)


def create_private_file(p: Path) -> None:
    """An empty file only its owner can read (0600), for SQLite to fill: a new diary, a
    backup, an encrypted copy."""
    fd = os.open(str(p), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _unlink(p: Path) -> None:
    try:
        p.unlink()
    except FileNotFoundError:
        pass


# --- passphrase strength -----------------------------------------------------------------

_COMMON = {
    "password", "passw0rd", "123456", "12345678", "123456789", "1234567890", "qwerty",
    "qwertyuiop", "letmein", "welcome", "iloveyou", "admin", "monkey", "dragon", "football",
    "probation", "probationdiary", "delius", "ndelius", "changeme", "secret", "abc123",
    "trustno1", "sunshine", "princess", "password1", "password123",
}


def passphrase_bits(passphrase: str) -> float:
    """A rough entropy estimate: character pool size times length, discounted for
    repetition, sequences and common passwords."""
    p = passphrase or ""
    if not p:
        return 0.0
    if p.lower().strip() in _COMMON or re.sub(r"\d+$", "", p.lower()) in _COMMON:
        return 10.0
    pool = 0
    if any(c in string.ascii_lowercase for c in p):
        pool += 26
    if any(c in string.ascii_uppercase for c in p):
        pool += 26
    if any(c in string.digits for c in p):
        pool += 10
    if any(c in string.punctuation or c == " " for c in p):
        pool += 33
    if any(ord(c) > 127 for c in p):
        pool += 100
    # count "effective" characters: runs of one character and straight sequences count once
    effective = 1.0
    for prev, cur in zip(p, p[1:]):
        if cur == prev or abs(ord(cur) - ord(prev)) == 1:
            effective += 0.25
        else:
            effective += 1
    distinct = len(set(p))
    effective = min(effective, distinct * 2.5)
    return effective * math.log2(max(pool, 2))


def strength(passphrase: str) -> tuple[int, str]:
    """(score 0-4, a word for it). 3 or more is good enough for a diary."""
    bits = passphrase_bits(passphrase)
    for score, limit, word in ((4, 80, "very strong"), (3, 60, "strong"), (2, 45, "fair"), (1, 28, "weak")):
        if bits >= limit:
            return score, word
    return 0, "very weak"


def passphrase_problems(passphrase: str) -> list[str]:
    """Why a new passphrase is not acceptable ([] if it is)."""
    if not passphrase:
        return ["the passphrase is empty"]
    if "\x00" in passphrase:
        return ["the passphrase cannot contain a NUL character"]
    if len(passphrase) < MIN_LENGTH:
        return [f"the passphrase is too short: use at least {MIN_LENGTH} characters (a few unrelated words work well)"]
    score, word = strength(passphrase)
    if score < 2:
        return [f"the passphrase is {word}: add more unrelated words, or mix in digits and symbols"]
    return []


LOST_PASSPHRASE_WARNING = (
    "If you forget this passphrase, the diary cannot be opened by anyone, including you: "
    "there is no recovery. The automatic backups are encrypted with the same passphrase."
)
