"""Issue 12, items 1 and 2: a second process holds the diary open (as the window does) while
this one does the dangerous thing; after kill -9 of the holder nothing it saved is lost.

The holder is a real process. Its "sniff" command does what a file dialog listing the
diary's folder does (and what our own `open(path).read(16)` did): it opens the diary and its
-shm through new descriptors and closes them, which drops every POSIX lock the process holds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from builders import PASS
from probation_diary.store import handles
from probation_diary.store.diary import Diary

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="POSIX lock semantics are checked on Linux")

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent("""
    import os, sys
    from probation_diary.core import clock
    from probation_diary.core.validation import EntryDraft, check_entry
    from probation_diary.store.diary import Diary
    path, passphrase = sys.argv[1], (sys.argv[2] or None)
    diary = Diary.open(path, passphrase=passphrase)
    ref = diary.reference()
    def add(note):
        draft = EntryDraft(type="Travel", start_date="2026-11-16", start_time="09:00", end_time="09:30", notes=note)
        checked = check_entry(draft, ref, clock.now_utc())
        return diary.add_entry(checked.entry)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "sniff":  # a file dialog in the diary's folder: open, read, close
            for name in (path, path + "-shm", path + "-wal"):
                if os.path.exists(name):
                    with open(name, "rb") as fh:
                        fh.read(64)
            print("sniffed", flush=True)
        elif cmd == "add":
            print("saved", add(arg).id, flush=True)
""")


class Holder:
    def __init__(self, path: Path, passphrase: str | None = None):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), passphrase or ""], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=env, cwd=str(ROOT))
        assert self.proc.stdout.readline().strip() == "ready"

    def ask(self, line: str) -> str:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


def cli(path: Path, *args: str, passphrase: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PROBATION_DIARY_PASSPHRASE", None)
    if passphrase:
        env["PROBATION_DIARY_PASSPHRASE"] = passphrase
    return subprocess.run([sys.executable, "-m", "probation_diary", "--db", str(path), *args],
                          capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=60)


def notes(path: Path, passphrase: str | None = None) -> list[str]:
    with Diary.open(path, passphrase=passphrase, create=False) as d:
        return [e.notes for e in d.all_entries()]


@pytest.mark.parametrize("passphrase", [None, PASS], ids=["plain", "encrypted"])
def test_a_command_never_deletes_the_wal_of_a_diary_another_process_has_open(tmp_path, passphrase):
    path = tmp_path / "diary.db"
    Diary.open(path, passphrase=passphrase).close()
    holder = Holder(path, passphrase)
    try:
        assert holder.ask("add before").startswith("saved")
        assert holder.ask("sniff") == "sniffed"  # the file dialog lists the diary's folder
        done = cli(path, "add", "--type", "Travel", "--start", "2026-11-17 09:00", "--end", "2026-11-17 09:30",
                   "--notes", "from the command line", passphrase=passphrase)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "diary.db-wal").exists(), "the command line deleted the WAL the holder writes to"
        assert holder.ask("add after").startswith("saved")  # acknowledged...
    finally:
        holder.kill()  # ... then kill -9
    assert sorted(notes(path, passphrase)) == ["after", "before", "from the command line"]


def test_restore_refuses_while_another_process_has_the_diary_and_names_it(tmp_path):
    path = tmp_path / "diary.db"
    Diary.open(path).close()
    assert cli(path, "backup").returncode == 0
    made = sorted((tmp_path / "backups").glob("*.backup"))[0]
    holder = Holder(path)
    try:
        assert holder.ask("sniff") == "sniffed"  # even with the holder's SQLite locks gone
        for args in (["restore", str(made)], ["encrypt"]):
            env_pass = PASS if args == ["encrypt"] else None
            done = cli(path, *args, passphrase=env_pass)
            assert done.returncode == 2, done
            assert f"process {holder.proc.pid}" in done.stderr and "Nothing was changed" in done.stderr
        assert holder.ask("add still mine").startswith("saved")
    finally:
        holder.kill()
    assert notes(path) == ["still mine"]


def test_change_passphrase_refuses_while_another_process_has_the_diary(tmp_path):
    path = tmp_path / "diary.db"
    Diary.open(path, passphrase=PASS).close()
    holder = Holder(path, PASS)
    try:
        env = dict(os.environ, PYTHONPATH=str(ROOT), PROBATION_DIARY_PASSPHRASE=PASS,
                   PROBATION_DIARY_NEW_PASSPHRASE="another horse battery staple")
        done = subprocess.run([sys.executable, "-m", "probation_diary", "--db", str(path), "change-passphrase"],
                              capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=60)
        assert done.returncode == 2 and f"process {holder.proc.pid}" in done.stderr, done
        assert holder.ask("add readable").startswith("saved")  # the holder can still read its diary
    finally:
        holder.kill()
    assert notes(path, PASS) == ["readable"]


def test_our_own_reads_of_the_header_go_through_the_one_descriptor(diary_path, monkeypatch):
    """file_state on an open diary opens nothing new (a new descriptor's close would drop the
    locks)."""
    from probation_diary.store import security

    diary = Diary.open(diary_path)
    try:
        import builtins

        real_open = builtins.open

        def no_second_descriptor(file, *a, **k):
            assert os.path.realpath(str(file)) != os.path.realpath(diary_path), "opened the live diary"
            return real_open(file, *a, **k)

        monkeypatch.setattr(builtins, "open", no_second_descriptor)
        assert security.file_state(diary_path) == "plain"
        security.fsync_file(diary_path)
        assert handles.is_open(diary_path)
    finally:
        diary.close()
    assert not handles.is_open(diary_path)
