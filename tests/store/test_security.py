"""Encryption at rest: no personal data in the file, WAL or backups; wrong passphrase; CLI rules."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from builders import PASS, add
from probation_diary.store import backup, security
from probation_diary.store.diary import (
    DamagedDiaryError, Diary, DiaryError, EncryptedDiaryError, WrongPassphraseError,
)


CRN, NAME, PHRASE = "X987654", "Zebedee Quartermaine", "visited the allotment behind Holloway Road"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(diary):
    diary.save_person(CRN, NAME)
    return add(diary, "COAP", "2026-11-16 10:00", "2026-11-16 11:00", crn=CRN, outcome="ATTC", notes=PHRASE)


def secrets_in(path) -> list[str]:
    data = path.read_bytes()
    found = []
    for text in (CRN, NAME, PHRASE, "Zebedee", "allotment"):
        for enc in ("utf-8", "utf-16-le"):
            if text.encode(enc) in data:
                found.append(f"{text} ({enc})")
    return found


def test_encrypted_file_wal_and_backup_hold_no_personal_data(diary_path):
    diary = Diary.open(diary_path, passphrase=PASS)
    assert diary.encrypted
    fill(diary)
    wal = security.wal_path(diary_path)
    assert wal.exists() and wal.stat().st_size > 0  # the data is in the WAL right now
    assert secrets_in(wal) == []
    assert secrets_in(diary_path) == []
    made = backup.make_backup(diary)
    assert secrets_in(made.path) == []
    diary.close()
    assert secrets_in(diary_path) == []
    assert security.file_state(diary_path) == "encrypted"
    # and the same data in a plain diary *is* readable: the search is a real one
    plain = Diary.open(diary_path.with_name("plain.db"))
    fill(plain)
    plain.close()
    assert secrets_in(diary_path.with_name("plain.db"))


def test_wrong_passphrase_is_refused_and_file_unchanged(diary_path):
    with Diary.open(diary_path, passphrase=PASS) as diary:
        fill(diary)
    before = digest(diary_path)
    names_before = sorted(p.name for p in diary_path.parent.iterdir())
    for wrong in ("correct horse battery stapler", "x", "'; DROP TABLE entries; --"):
        with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
            Diary.open(diary_path, passphrase=wrong)
    assert digest(diary_path) == before
    assert sorted(p.name for p in diary_path.parent.iterdir()) == names_before
    with Diary.open(diary_path, passphrase=PASS) as diary:
        assert next(diary.all_entries()).notes == PHRASE


def test_encrypted_without_passphrase_says_so(diary_path):
    Diary.open(diary_path, passphrase=PASS).close()
    before = digest(diary_path)
    with pytest.raises(EncryptedDiaryError, match="encrypted.*PROBATION_DIARY_PASSPHRASE"):
        Diary.open(diary_path)
    assert digest(diary_path) == before


def test_plain_diaries_still_open_without_passphrase(diary_path):
    with Diary.open(diary_path) as diary:
        assert not diary.encrypted
        fill(diary)
    with Diary.open(diary_path) as diary:
        assert diary.count_entries() == 1
    with pytest.raises(DiaryError, match="not encrypted"):
        Diary.open(diary_path, passphrase=PASS)
    assert Diary.in_memory().encrypted is False


def test_quote_in_passphrase_works(diary_path):
    tricky = "it's a 'quoted' pass\"phrase ünïcode"
    with Diary.open(diary_path, passphrase=tricky) as diary:
        fill(diary)
    with Diary.open(diary_path, passphrase=tricky) as diary:
        assert diary.count_entries() == 1


def test_rekey_changes_the_passphrase(diary_path):
    with Diary.open(diary_path, passphrase=PASS) as diary:
        fill(diary)
        with pytest.raises(DiaryError, match="short"):
            security.rekey(diary, "short")
        security.rekey(diary, "a brand new passphrase 42")
        fill(diary)  # still writable after the rekey
    with pytest.raises(WrongPassphraseError):
        Diary.open(diary_path, passphrase=PASS)
    with Diary.open(diary_path, passphrase="a brand new passphrase 42") as diary:
        assert diary.count_entries() == 2


def test_encrypt_in_place_keeps_everything(diary_path):
    diary = Diary.open(diary_path)
    fill(diary)
    diary.set_setting("contracted_hours", "22.5")
    listener_calls = []
    diary.listeners.append(listener_calls.append)
    security.encrypt_in_place(diary, PASS)
    assert diary.encrypted and "entries" in listener_calls
    assert diary.count_entries() == 1 and str(diary.settings().contracted_hours) == "22.5"
    fill(diary)  # the same Diary object keeps working
    diary.close()
    assert secrets_in(diary_path) == []
    assert not diary_path.with_name(diary_path.name + ".encrypting").exists()
    with Diary.open(diary_path, passphrase=PASS) as again:
        assert again.count_entries() == 2 and again.quick_check() == []
        assert again.people()[0].name == NAME


def test_strength_check():
    assert security.passphrase_problems("password123")
    assert security.passphrase_problems("aaaaaaaaaaaaaaa")
    assert security.passphrase_problems("abcdefghijkl")
    assert security.passphrase_problems("short")
    assert not security.passphrase_problems("correct horse battery staple")
    assert security.strength("correct horse battery staple")[0] >= 3
    assert security.strength("Tr0ub4dor&3x!")[0] >= 2


# --- command line -------------------------------------------------------------------------

APPT = ["add", "--type", "COAP", "--crn", CRN, "--start", "2026-11-16 10:00", "--end", "2026-11-16 11:00",
        "--outcome", "ATTC", "--notes", PHRASE]


def test_cli_env_passphrase_creates_encrypted(run_cli, diary_path, monkeypatch):
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", PASS)
    r = run_cli(*APPT)
    assert r.code == 0 and r.err == ""
    assert security.file_state(diary_path) == "encrypted" and secrets_in(diary_path) == []
    assert "PD-000001" in run_cli("list", "--week", "2026-11-16").out
    monkeypatch.delenv("PROBATION_DIARY_PASSPHRASE")
    before = digest(diary_path)
    r = run_cli("list")
    assert r.code == 2 and len(r.err.splitlines()) == 1 and "encrypted" in r.err
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", "not the right one at all")
    r = run_cli("list")
    assert r.code == 2 and "wrong passphrase" in r.err and len(r.err.splitlines()) == 1
    assert digest(diary_path) == before


def test_cli_new_diary_without_passphrase_warns_loudly(run_cli, diary_path):
    r = run_cli(*APPT)
    assert r.code == 0
    assert "created an UNENCRYPTED diary" in r.err and "probation-diary encrypt" in r.err
    assert len(r.err.splitlines()) == 1
    r = run_cli("list")  # an existing unencrypted diary opens as it is
    assert r.code == 0 and r.err == ""


def test_cli_unencrypted_flag_is_silent(run_cli, diary_path, monkeypatch):
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", PASS)
    r = run_cli("--unencrypted", *APPT)
    assert r.code == 0 and r.err == ""
    assert security.file_state(diary_path) == "plain"


def test_cli_encrypt_and_change_passphrase(run_cli, diary_path, monkeypatch):
    run_cli("--unencrypted", *APPT)
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", PASS)
    r = run_cli("encrypt")
    assert r.code == 0, r
    assert security.file_state(diary_path) == "encrypted" and secrets_in(diary_path) == []
    monkeypatch.setenv("PROBATION_DIARY_NEW_PASSPHRASE", "another long passphrase here")
    assert run_cli("change-passphrase").code == 0
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", "another long passphrase here")
    assert "PD-000001" in run_cli("list", "--week", "2026-11-16").out


def test_cli_history_bin_undelete(run_cli, monkeypatch):
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", PASS)
    run_cli(*APPT)
    assert run_cli("edit", "PD-000001", "--notes", "changed later").code == 0
    r = run_cli("history", "PD-000001")
    assert r.code == 0 and PHRASE in r.out and "Changed" in r.out
    run_cli("delete", "PD-000001")
    r = run_cli("bin")
    assert "PD-000001" in r.out and "1 entry" in r.out
    assert run_cli("undelete", "PD-000001").code == 0
    assert "PD-000001" in run_cli("list", "--week", "2026-11-16").out


def test_cli_backup_restore(run_cli, diary_path, monkeypatch):
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", PASS)
    run_cli(*APPT)
    r = run_cli("backup")
    assert r.code == 0
    made = backup.list_backups(diary_path)[0]
    run_cli("delete", "PD-000001")
    r = run_cli("restore", str(made.path))
    assert r.code == 0 and "restore that to undo" in r.out
    assert "PD-000001" in run_cli("list", "--week", "2026-11-16").out
    assert "2 backups" in run_cli("backups").out


def test_cli_foreign_file_untouched(run_cli, tmp_path):
    path = tmp_path / "x.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (n)")
    conn.commit()
    conn.close()
    before = digest(path)
    r = run_cli("--db", str(path), "list", db=False)
    assert r.code == 2 and "not a Probation Diary file" in r.err
    assert digest(path) == before


def test_damaged_is_a_diary_error():
    assert issubclass(DamagedDiaryError, DiaryError)


def test_cli_prompts_on_a_terminal(run_cli, diary_path, monkeypatch):
    from probation_diary.cli import security as security_cli

    answers = iter([PASS, PASS, "a wrong guess here", PASS])
    monkeypatch.setattr(security_cli, "_interactive", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    r = run_cli(*APPT)  # new diary: choose a passphrase (asked twice)
    assert r.code == 0 and "cannot be opened by anyone" in r.err
    assert security.file_state(diary_path) == "encrypted"
    r = run_cli("list")  # then asked for it: wrong
    assert r.code == 2 and "wrong passphrase" in r.err
    r = run_cli("list", "--week", "2026-11-16")
    assert r.code == 0 and "PD-000001" in r.out
