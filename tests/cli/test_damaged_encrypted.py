"""A damaged encrypted diary with no backups is called damaged when the passphrase is right,
and a wrong passphrase is still called one (issue 18 follow-up). Real SQLCipher files,
damaged on disk."""

from __future__ import annotations

import pytest

from builders import PASS, add
from probation_diary.store import security
from probation_diary.store.diary import DamagedDiaryError, Diary, WrongPassphraseError

PAGE = 4096
WRONG = "not the passphrase at all"


@pytest.fixture
def encrypted(diary_path, monkeypatch):
    """An encrypted diary of a few entries, closed, with no backups; the passphrase set for
    the command line."""
    with Diary.open(diary_path, passphrase=PASS) as d:
        for day in range(16, 21):
            add(d, "Travel", f"2026-11-{day} 09:00", f"2026-11-{day} 09:30", notes="to court")
    monkeypatch.setenv(security.ENV_PASSPHRASE, PASS)
    assert not (diary_path.parent / "backups").exists()
    return diary_path


def _damage_page(path, page: int) -> bytes:
    data = bytearray(path.read_bytes())
    start = (page - 1) * PAGE
    for i in range(start + 200, start + 400):  # inside the page's ciphertext
        data[i] ^= 0x55
    path.write_bytes(bytes(data))
    return bytes(data)


def _root_page(path, table: str) -> int:
    conn = security.connect_encrypted(path, PASS)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    finally:
        conn.close()


def _wrong_words(path) -> str:
    return (f"wrong passphrase for {path} (or the file is not an encrypted diary); "
            "the file was left untouched")


def test_damage_to_the_first_page_with_the_right_passphrase_is_damage(encrypted, run_cli, monkeypatch):
    damaged = _damage_page(encrypted, 1)  # the header and the schema's first page
    result = run_cli("list", "--week", "2026-11-16")
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1
    assert "is damaged" in result.err and "the passphrase is right" in result.err
    assert "wrong passphrase" not in result.err and "No good backup was found" in result.err
    with pytest.raises(DamagedDiaryError):
        Diary.open(encrypted, passphrase=PASS)
    monkeypatch.setenv(security.ENV_PASSPHRASE, WRONG)
    wrong = run_cli("list", "--week", "2026-11-16")
    assert wrong.code == 2 and _wrong_words(encrypted) in wrong.err  # unchanged
    assert "damaged" not in wrong.err
    assert encrypted.read_bytes() == damaged  # left untouched


def test_a_later_damaged_page_read_by_a_command_is_damage(encrypted, run_cli, monkeypatch):
    page = _root_page(encrypted, "entries")
    assert page > 1
    damaged = _damage_page(encrypted, page)  # the page holding the entries
    result = run_cli("list", "--week", "2026-11-16")  # reads only: no check at open
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1
    assert "is damaged" in result.err and "unexpected problem" not in result.err
    assert "wrong passphrase" not in result.err and "No good backup was found" in result.err
    added = run_cli("add", "--type", "Travel", "--start", "2026-11-17 12:00", "--end", "2026-11-17 12:30")
    assert added.code == 2 and "damaged" in added.err  # a writing command: its check at open
    monkeypatch.setenv(security.ENV_PASSPHRASE, WRONG)
    assert _wrong_words(encrypted) in run_cli("list", "--week", "2026-11-16").err
    assert encrypted.read_bytes() == damaged


def test_an_undamaged_file_and_a_wrong_passphrase(encrypted):
    with pytest.raises(WrongPassphraseError) as caught:
        security.connect_encrypted(encrypted, WRONG)
    assert str(caught.value) == _wrong_words(encrypted)
    assert not security._key_fits_some_page(encrypted, WRONG)
    assert security._key_fits_some_page(encrypted, PASS)
