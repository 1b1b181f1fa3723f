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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_is_written_into_not_replaced(tmp_path):
    """An export to a named pipe (or /dev/stdout) goes into it, streamed; the pipe stays a pipe.
    (It used to fail with a NameError: the streamed writer still wrote a `data` it no longer had.)"""
    import stat
    import threading

    from probation_diary.formats.safefile import open_atomically

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    with open_atomically(pipe) as fh:
        fh.write(b"first,")
        fh.write(b"second\n")
    reader.join(10)
    assert got == [b"first,second\n"]
    write_atomically(os.devnull, b"into the void")  # a device: no temporary file beside it
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]
