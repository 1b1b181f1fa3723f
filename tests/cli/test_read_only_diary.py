"""A diary the user has made read-only (chmod a-w) stays read-only: it can be read, listed and
exported, a change is refused in plain words and writes nothing, and its permissions are only
ever narrowed (group and others out), never widened. An administrator, whom the permission
does not stop, is held to it too."""

from __future__ import annotations

import os
import stat

import pytest

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_read_only_diary_is_read_but_never_written(run_cli, diary_path):
    assert run_cli("--unencrypted", "add", "--type", "Travel", "--start", "2026-11-16 09:15",
                   "--end", "2026-11-16 10:00").code == 0
    os.chmod(diary_path, 0o444)
    before = diary_path.read_bytes()

    r = run_cli("--unencrypted", "add", "--type", "Travel", "--start", "2026-11-17 09:15", "--end", "2026-11-17 10:00")
    assert r.code == 2 and "read-only" in r.err and "nothing was saved" in r.err
    assert diary_path.read_bytes() == before
    assert _mode(diary_path) == 0o400  # others lost their read; nobody gained a write

    listed = run_cli("--unencrypted", "list", "--from", "2026-11-16", "--to", "2026-11-22")
    assert listed.code == 0 and "PD-000001" in listed.out
    assert "opened for reading only" in listed.err  # said, not left to be found at the first save

    from builders import add
    from probation_diary.store.diary import Diary, ReadOnlyDiaryError

    with Diary.open(diary_path, create=False) as d:  # as the window opens it
        assert d.read_only == "file"
        with pytest.raises(ReadOnlyDiaryError, match="write permission was taken away"):
            add(d, "Travel", "2026-11-17 09:15", "2026-11-17 10:00")
    assert diary_path.read_bytes() == before

    os.chmod(diary_path, 0o600)  # the user makes it writable again: it works as before
    assert run_cli("--unencrypted", "add", "--type", "Travel", "--start", "2026-11-17 09:15",
                   "--end", "2026-11-17 10:00").code == 0


def test_a_shared_diary_is_made_private_without_gaining_a_permission(run_cli, diary_path):
    assert run_cli("--unencrypted", "add", "--type", "Travel", "--start", "2026-11-16 09:15",
                   "--end", "2026-11-16 10:00").code == 0
    os.chmod(diary_path, 0o664)
    assert run_cli("--unencrypted", "list").code == 0
    assert _mode(diary_path) == 0o600
