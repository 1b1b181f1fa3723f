"""A full-diary export from an encrypted diary is encrypted too (issue 6)."""

from probation_diary.formats.sealed import SealError, is_sealed, seal, unseal

import pytest

NOTE = "Discussed the hostel move to Pen-y-ffordd"


def test_seal_round_trip_and_wrong_passphrase():
    blob = seal(b"secret rows", "correct horse battery")
    assert is_sealed(blob) and b"secret" not in blob
    assert unseal(blob, "correct horse battery") == b"secret rows"
    with pytest.raises(SealError, match="wrong passphrase"):
        unseal(blob, "wrong")
    with pytest.raises(SealError, match="damaged"):
        unseal(blob[:40], "correct horse battery")


def test_export_of_encrypted_diary_is_sealed_and_imports(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", "a long and careful passphrase 42")
    r = run_cli("add", "--type", "COAP", "--crn", "X765432", "--start", "2026-11-16 10:00",
                "--end", "2026-11-16 11:00", "--notes", NOTE)
    assert r.code == 0, r
    out = tmp_path / "all.csv"
    r = run_cli("export", out)
    assert r.code == 0 and "encrypted" in r.out
    raw = out.read_bytes()
    assert is_sealed(raw)
    assert b"X765432" not in raw and b"hostel" not in raw and b"Pen-y-ffordd" not in raw
    other = tmp_path / "other.db"
    assert run_cli("--db", other, "import", out, db=False).code == 0
    plain = tmp_path / "plain.csv"
    r = run_cli("--db", other, "export", "--plain", plain, db=False)
    assert r.code == 0 and "plain text" in r.err
    assert NOTE.encode() in plain.read_bytes()
    monkeypatch.setenv("PROBATION_DIARY_PASSPHRASE", "not the passphrase at all 99")
    r = run_cli("--db", tmp_path / "third.db", "import", out, db=False)
    assert r.code == 2 and "wrong passphrase" in r.err
