import os

import pytest

from probation_diary.formats.safefile import write_atomically


def test_replaces_in_one_step_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    write_atomically(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_failure_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.csv"]


@pytest.mark.parametrize("where", ["folder", "missing"])
def test_folder_or_missing_folder_is_a_plain_error(tmp_path, where):
    path = tmp_path if where == "folder" else tmp_path / "nope" / "out.csv"
    with pytest.raises(ValueError, match="folder"):
        write_atomically(path, b"x")
