"""Issue 12, items 3-12 through the command line: a failing command writes nothing, and each
failure says what it is."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from builders import PASS, add
from disks import fill, mount_tmpfs, umount
from probation_diary.store import backup, opening, security
from probation_diary.store.diary import (
    BusyError, DamagedDiaryError, Diary, DiskFullError, ReadOnlyDiaryError, WrongPassphraseError,
)

TRAVEL = ["add", "--type", "Travel", "--start", "2026-11-16 09:00", "--end", "2026-11-16 09:30"]


def count(path, passphrase=None):
    with Diary.open(path, passphrase=passphrase, create=False) as d:
        return d.count_entries()


# --- item 3: dates outside 1900-2199 --------------------------------------------------------

@pytest.mark.parametrize("start,end", [("0026-06-01 12:00", "0026-06-01 13:00"),
                                       ("2200-01-01 12:00", "2200-01-01 13:00"),
                                       ("2199-12-31 23:30", "2200-01-01 00:30")])
def test_add_outside_the_years_the_diary_keeps_writes_nothing(run_cli, diary_path, start, end):
    assert run_cli(*TRAVEL).code == 0
    result = run_cli("add", "--type", "Travel", "--start", start, "--end", end)
    assert result.code == 2 and "01/01/1900 to 31/12/2199" in result.err and result.err.count("\n") == 1
    assert count(diary_path) == 1
    assert run_cli("list", "--from", "2026-11-01", "--to", "2026-11-30").code == 0
    assert run_cli("export", diary_path.with_name("all.csv"), "--plain").code == 0


def test_import_outside_the_years_imports_nothing(run_cli, diary_path, tmp_path):
    csv = tmp_path / "in.csv"
    csv.write_text("type,date,start,end\nTravel,2026-11-16,09:00,09:30\nTravel,0026-06-01,09:00,09:30\n")
    result = run_cli("import", csv)
    assert result.code == 2 and "line 3" in result.err and "1900" in result.err
    assert count(diary_path) == 0


def test_the_store_refuses_a_row_it_could_not_read_back(diary):
    import datetime as dt

    entry = add(diary, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
    far = entry.with_changes(start=dt.datetime(26, 6, 1, tzinfo=dt.timezone.utc),
                             end=dt.datetime(26, 6, 1, 1, tzinfo=dt.timezone.utc))
    with pytest.raises(Exception, match="1900"):
        diary.update_entry(far)
    assert diary.get_entry(entry.id).start == entry.start


# --- item 10: specific one-line messages ------------------------------------------------------

def test_each_item_10_input_gets_its_own_one_line_message(run_cli, tmp_path):
    assert run_cli(*TRAVEL).code == 0
    cases = {
        ("list", "--week", "9999-12-31"): "31/12/9999 is outside the dates",
        ("edit", "PD-99999999999999999999", "--notes", "x"): "no reference is that long",
        ("delete", "PD-99999999999999999999"): "no reference is that long",
        ("add", "--type", "COAP", "--crn", "X123456", "--start", "2026-11-16 10:00", "--end", "2026-11-16 11:00",
         "--outcome", "ATTC", "--event", "9" * 40): "event number",
    }
    for args, words in cases.items():
        result = run_cli(*args)
        assert result.code == 2 and words in result.err and "unexpected" not in result.err, (args, result)
        assert result.err.count("\n") == 1


def test_a_csv_cell_over_the_csv_limit_names_its_line(run_cli, diary_path, tmp_path):
    csv = tmp_path / "big.csv"
    csv.write_text("type,date,start,end,notes\nTravel,2026-11-16,09:00,09:30,short\n"
                   "Travel,2026-11-17,09:00,09:30," + "x" * 140_000 + "\n")
    result = run_cli("import", csv)
    assert result.code == 2 and "line 3: a cell is longer than 131,072 characters" in result.err
    assert "unexpected" not in result.err and count(diary_path) == 0


# --- item 11 ------------------------------------------------------------------------------

def test_duplicate_csv_columns_are_refused(run_cli, diary_path, tmp_path):
    csv = tmp_path / "dup.csv"
    csv.write_text("type,date,start,end,notes,notes\nTravel,2026-11-16,09:00,09:30,one,two\n")
    result = run_cli("import", csv)
    assert result.code == 2 and "the column notes appears more than once" in result.err
    assert count(diary_path) == 0


def test_export_writes_through_a_symlink(run_cli, tmp_path):
    assert run_cli(*TRAVEL).code == 0
    real = tmp_path / "real"
    real.mkdir()
    (real / "out.csv").write_text("old")
    link = tmp_path / "out.csv"
    link.symlink_to(real / "out.csv")
    assert run_cli("export", link, "--plain").code == 0
    assert link.is_symlink() and "Travel" in (real / "out.csv").read_text(encoding="utf-8-sig")


def test_edit_in_the_same_minute_says_saved(run_cli, fixed_now):
    fixed_now("2026-11-20 17:00")
    assert run_cli(*TRAVEL).code == 0
    result = run_cli("edit", "PD-000001", "--notes", "changed within the minute")
    assert result.code == 0 and result.out.strip() == "Saved PD-000001"
    again = run_cli("edit", "PD-000001", "--notes", "changed within the minute")
    assert again.out.strip() == "Saved PD-000001 (nothing changed)"


def test_a_write_waits_for_a_long_write_elsewhere_and_says_so(diary_path, monkeypatch):
    from probation_diary.store import diary as diary_module

    monkeypatch.setattr(diary_module, "BUSY_FIRST_MS", 100)
    Diary.open(diary_path).close()
    other = sqlite3.connect(str(diary_path))
    other.execute("BEGIN IMMEDIATE")  # a long import in another copy
    said = []
    with Diary.open(diary_path) as d:
        def notice(text):
            said.append(text)
            other.commit()  # the import finishes while we wait
        d.on_busy = notice
        add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        assert d.count_entries() == 1
    other.close()
    assert said and "busy" in said[0] and "waiting up to 120 seconds" in said[0]


# --- items 4, 5, 6: failures told apart ------------------------------------------------------

def test_an_empty_diary_with_backups_is_damaged_and_left_alone(run_cli, diary_path):
    assert run_cli(*TRAVEL).code == 0 and run_cli("backup").code == 0
    newest = backup.list_backups(diary_path)[0].path
    diary_path.write_bytes(b"")
    result = run_cli("list")
    assert result.code == 2 and "empty (0 bytes)" in result.err and str(newest) in result.err
    assert diary_path.stat().st_size == 0
    restored = run_cli("restore", newest)
    assert restored.code == 0, restored
    assert count(diary_path) == 1


def test_an_empty_diary_without_backups_is_a_new_one(run_cli, diary_path):
    diary_path.write_bytes(b"")
    assert run_cli(*TRAVEL).code == 0


def test_a_damaged_plain_diary_gives_a_clear_message(run_cli, diary_path):
    assert run_cli(*TRAVEL).code == 0 and run_cli("backup").code == 0
    data = bytearray(diary_path.read_bytes())
    for i in range(100, 4096):  # the header and schema page: the text is no longer UTF-8
        data[i] = 0xFF if i % 3 else data[i]
    diary_path.write_bytes(bytes(data))
    result = run_cli("list")
    assert result.code == 2 and result.err.count("\n") == 1
    assert "damaged" in result.err and "Traceback" not in result.err and "codec" not in result.err
    assert "newest good backup" in result.err


def _corrupt_encrypted(path):
    data = bytearray(path.read_bytes())
    for i in range(200, 400):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))


def test_a_damaged_encrypted_diary_is_not_called_a_wrong_passphrase(run_cli, diary_path, monkeypatch):
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", PASS)
    assert run_cli(*TRAVEL).code == 0 and run_cli("backup").code == 0
    _corrupt_encrypted(diary_path)
    result = run_cli("list")
    assert result.code == 2 and "damaged" in result.err and "wrong passphrase" not in result.err
    assert "newest good backup" in result.err
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", "not the passphrase at all")
    assert "wrong passphrase" in run_cli("list").err


def test_disk_full_read_only_and_busy_are_not_wrong_passphrases(diary_path, monkeypatch):
    with Diary.open(diary_path, passphrase=PASS) as d:
        add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
    for words, cls in (("database or disk is full", DiskFullError),
                       ("attempt to write a readonly database", ReadOnlyDiaryError),
                       ("database is locked", BusyError)):
        err = opening.plain_open_error(str(diary_path), security.sqlcipher().OperationalError(words))
        assert isinstance(err, cls) and "passphrase" not in str(err)


@pytest.mark.parametrize("passphrase", [None, PASS], ids=["plain", "encrypted"])
def test_a_full_disk_says_so_and_keeps_every_save(tmp_path, passphrase):
    mnt = tmp_path / "small"
    if not mount_tmpfs(mnt, "600k"):
        pytest.skip("needs root to mount a small tmpfs (a real full disk)")
    try:
        path = mnt / "diary.db"
        saved = 0
        with Diary.open(path, passphrase=passphrase) as d:
            with pytest.raises(DiskFullError, match="disk is full"):
                for i in range(10_000):
                    add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30", notes="n" * 2000)
                    saved += 1
        assert saved > 0
        assert count(path, passphrase) == saved  # every acknowledged save is there
        fill(mnt)
        for p in (path.with_name("diary.db-wal"), path.with_name("diary.db-shm")):
            if p.exists():
                p.unlink()
        with pytest.raises((DiskFullError, Exception)) as info:
            Diary.open(path, passphrase=passphrase, create=False).close()
        assert not isinstance(info.value, WrongPassphraseError)
        assert "full" in str(info.value)
    finally:
        umount(mnt)


def test_a_read_only_disk_says_so(tmp_path):
    mnt = tmp_path / "ro"
    if not mount_tmpfs(mnt, "4m"):
        pytest.skip("needs root to mount a tmpfs and make it read-only (chmod does not stop root)")
    try:
        path = mnt / "diary.db"
        with Diary.open(path, passphrase=PASS) as d:
            add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        assert subprocess.run(["mount", "-o", "remount,ro", str(mnt)]).returncode == 0
        with pytest.raises(ReadOnlyDiaryError, match="read-only"):
            Diary.open(path, passphrase=PASS, create=False)
        # a caller that only reads (list, summary, the window) reads it, and a save says why not
        with Diary.open(path, passphrase=PASS, create=False, reading=True) as d:
            assert d.read_only == "disk" and any("read-only disk" in n for n in d.notices)
            assert len(list(d.all_entries())) == 1
            with pytest.raises(ReadOnlyDiaryError, match="read-only disk"):
                add(d, "Travel", "2026-11-17 09:00", "2026-11-17 09:30")
    finally:
        umount(mnt)


def test_a_read_only_disk_with_saves_still_in_the_journal_is_not_read_without_them(tmp_path, capsys):
    """Saves still in the -wal file could not be read back on a read-only disk (SQLite would
    need to write its -shm index): rather than show the diary without them, the command says
    what to do, and the files stay as they are."""
    from probation_diary import cli

    source = tmp_path / "source"
    source.mkdir()
    path = source / "diary.db"
    with Diary.open(path) as d:
        add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
    keep = sqlite3.connect(path)  # a second connection holds the journal open: it is not emptied
    keep.execute("PRAGMA wal_autocheckpoint = 0")
    keep.execute("INSERT INTO people (crn, name) VALUES ('X123456', 'Jo Bloggs')")
    keep.commit()
    mnt = tmp_path / "ro"
    if not mount_tmpfs(mnt, "4m"):
        keep.close()
        pytest.skip("needs root to mount a tmpfs and make it read-only")
    try:
        for name in ("diary.db", "diary.db-wal"):
            shutil.copyfile(source / name, mnt / name)
        keep.close()
        assert (mnt / "diary.db-wal").stat().st_size > 0
        assert subprocess.run(["mount", "-o", "remount,ro", str(mnt)]).returncode == 0
        before = {n: (mnt / n).read_bytes() for n in os.listdir(mnt)}
        with pytest.raises(ReadOnlyDiaryError, match="journal"):
            Diary.open(mnt / "diary.db", create=False, reading=True)
        code = cli.main(["--db", str(mnt / "diary.db"), "--unencrypted", "list", "--from", "2026-11-16",
                         "--to", "2026-11-22"])
        assert code == 2 and "copy the diary" in capsys.readouterr().err
        assert {n: (mnt / n).read_bytes() for n in os.listdir(mnt)} == before
    finally:
        umount(mnt)


# --- item 7: the full check -----------------------------------------------------------------

def _break_an_index(path):
    """An index that no longer matches its table: quick_check passes, integrity_check fails."""
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'entries(start_utc)', 'entries(end_utc)')"
                 " WHERE name = 'entries_start'")
    conn.commit()
    conn.close()


def test_a_diary_that_passes_quick_check_but_not_integrity_check_is_never_written(run_cli, diary_path):
    for day in range(16, 20):
        assert run_cli("add", "--type", "Travel", "--start", f"2026-11-{day} 09:00",
                       "--end", f"2026-11-{day} 09:30").code == 0
    _break_an_index(diary_path)
    conn = sqlite3.connect(str(diary_path))
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    conn.close()
    before = diary_path.read_bytes()
    result = run_cli(*TRAVEL)
    assert result.code == 2 and "integrity check" in result.err
    assert diary_path.read_bytes() == before


def test_a_failed_check_before_a_backup_stops_all_writes(diary_path, monkeypatch):
    d = Diary.open(diary_path)
    add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
    monkeypatch.setattr(d, "integrity_check", lambda: ["row 1 missing from index"])
    with pytest.raises(DamagedDiaryError):
        backup.make_backup(d)
    with pytest.raises(DamagedDiaryError, match="nothing more is written"):
        add(d, "Travel", "2026-11-17 09:00", "2026-11-17 09:30")
    d.close()
    assert count(diary_path) == 1


# --- item 8: permissions ----------------------------------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="Windows: the user's profile folder keeps other users out")
def test_files_are_private_and_our_folders_too(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = tmp_path / "data" / "probation-diary" / "diary.db"
    assert run_cli(*TRAVEL, db=False).code == 0
    assert run_cli("backup", db=False).code == 0
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)
    assert mode(default) == 0o600 and mode(default.parent) == 0o700
    assert mode(default.parent / "backups") == 0o700
    assert all(mode(b.path) == 0o600 for b in backup.list_backups(default))
    with Diary.open(default):  # the -wal and -shm while it is open
        assert mode(default.with_name("diary.db-wal")) == 0o600
        assert mode(default.with_name("diary.db-shm")) == 0o600


def test_an_existing_readable_diary_is_made_private(run_cli, diary_path):
    assert run_cli(*TRAVEL).code == 0
    os.chmod(diary_path, 0o644)
    assert run_cli("list").code == 0
    assert stat.S_IMODE(diary_path.stat().st_mode) == 0o600


# --- item 9: leftovers --------------------------------------------------------------------------

def test_leftover_encrypting_and_restoring_copies_are_removed_at_the_next_open(run_cli, diary_path):
    assert run_cli(*TRAVEL).code == 0
    for suffix in (".encrypting", ".restoring"):
        shutil.copyfile(diary_path, diary_path.with_name(diary_path.name + suffix))
    result = run_cli("list")
    assert result.code == 0 and "diary.db.encrypting" in result.err and "warning" in result.err
    assert not diary_path.with_name("diary.db.encrypting").exists()
    assert not diary_path.with_name("diary.db.restoring").exists()


# --- item 12: the WAL removed after a crash -----------------------------------------------------

def test_a_missing_wal_that_the_shm_says_held_saves_is_reported(diary_path, tmp_path):
    script = (
        "import os, sys\n"
        "from probation_diary.store.diary import Diary\n"
        "from builders import add\n"
        f"d = Diary.open({str(diary_path)!r})\n"
        "add(d, 'Travel', '2026-11-16 09:00', '2026-11-16 09:30')\n"
        "os._exit(0)  # killed: no checkpoint, the WAL stays\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=f"{root}{os.pathsep}{root / 'tests'}")
    Diary.open(diary_path).close()
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=str(root))
    assert diary_path.with_name("diary.db-wal").exists()
    diary_path.with_name("diary.db-wal").unlink()  # another tool "tidies up"
    with Diary.open(diary_path) as d:
        assert any("journal (diary.db-wal) is missing" in n for n in d.notices)
        assert d.count_entries() == 0  # the save really is gone: that is why we say so


@pytest.mark.parametrize("passphrase", [None, PASS], ids=["plain", "encrypted"])
def test_on_a_full_disk_the_diary_can_still_be_read(tmp_path, passphrase, capsys, monkeypatch):
    """A full disk: list, summary, export (to another disk) and trends still work, saying the
    diary was opened for reading only; a change is refused in plain words and the file is
    unchanged."""
    from probation_diary import cli

    mnt = tmp_path / "small"
    if not mount_tmpfs(mnt, "700k"):
        pytest.skip("needs root to mount a small tmpfs (a real full disk)")
    try:
        path = mnt / "diary.db"
        with Diary.open(path, passphrase=passphrase) as d:
            add(d, "Travel", "2026-11-16 09:00", "2026-11-16 09:30")
        if passphrase:
            monkeypatch.setenv(security.ENV_PASSPHRASE, passphrase)
        fill(mnt)
        before = path.read_bytes()
        common = ["--db", str(path)] + ([] if passphrase else ["--unencrypted"])
        capsys.readouterr()
        assert cli.main(common + ["list", "--from", "2026-11-16", "--to", "2026-11-22"]) == 0
        out, err = capsys.readouterr()
        assert "PD-000001" in out and "full" in err and "reading only" in err
        assert cli.main(common + ["summary", "--week", "2026-11-16", "--json"]) == 0
        assert '"travel_minutes": 30' in capsys.readouterr().out
        # and it can be taken elsewhere: an export to another disk, the weeks' trends
        assert cli.main(common + ["export", str(tmp_path / "all.csv"), "--plain"]) == 0
        assert "09:00" in (tmp_path / "all.csv").read_text(encoding="utf-8-sig")
        assert cli.main(common + ["trends", "--weeks", "4"]) == 0
        capsys.readouterr()
        code = cli.main(common + ["add", "--type", "Travel", "--start", "2026-11-17 09:00", "--end", "2026-11-17 09:30"])
        assert code == 2 and "full" in capsys.readouterr().err
        assert path.read_bytes() == before
        # opened for reading (as the window opens it), a save says the disk is full, before SQLite
        with Diary.open(path, passphrase=passphrase, create=False, reading=True) as d:
            assert d.read_only == "full"
            with pytest.raises(DiskFullError, match="full when it was opened.*reading only"):
                add(d, "Travel", "2026-11-17 09:00", "2026-11-17 09:30")
        assert path.read_bytes() == before
    finally:
        umount(mnt)
