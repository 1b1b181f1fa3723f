"""Soak test (issue 12; a script, not a timed test): the window (offscreen) and the command
line write the same diary for a few minutes, with SIGKILLs of both, backups, Delius exports
and "file dialogs" that open and close the diary's files in the window's process (which drops
its POSIX locks). At the end every acknowledged save must be in the diary.

    .venv/bin/python benchmarks/soak.py --seconds 120 [--encrypted]

Reports acknowledged saves (window and command line), lost saves (must be 0), kills, backups
and exports, and the integrity check of the final file.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASS = "correct horse battery staple"

WINDOW = textwrap.dedent("""
    import os, sys, random
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from probation_diary.core import clock
    from probation_diary.core.validation import EntryDraft, check_entry
    from probation_diary.store import backup
    from probation_diary.store.diary import Diary, DiaryError
    from probation_diary.ui.security.single_instance import SingleInstance
    from probation_diary.ui.mainwindow import MainWindow
    import datetime as dt

    path, passphrase, tag = sys.argv[1], sys.argv[2] or None, sys.argv[3]
    app = QApplication([])
    guard = SingleInstance(path)
    guard.acquire()
    diary = Diary.open(path, passphrase=passphrase)
    window = MainWindow(diary)
    window.show()
    ref = diary.reference()
    n = [0]

    def sniff():  # what a file dialog listing the diary's folder does
        folder = os.path.dirname(path)
        for name in os.listdir(folder):
            full = os.path.join(folder, name)
            if os.path.isfile(full):
                try:
                    with open(full, "rb") as fh:
                        fh.read(512)
                except OSError:
                    pass

    def step():
        n[0] += 1
        note = f"{tag}-{n[0]}"
        day = dt.date(2026, 1, 5) + dt.timedelta(days=n[0] % 300)
        draft = EntryDraft(type="Travel", start_date=day.isoformat(), start_time="09:00", end_time="09:20", notes=note)
        checked = check_entry(draft, ref, clock.now_utc())
        try:
            diary.add_entry(checked.entry)
        except DiaryError as exc:
            print("failed", type(exc).__name__, flush=True)
            return
        print("saved", note, flush=True)  # the status bar says "saved"
        r = random.random()
        if r < 0.05:
            sniff()
            print("sniff", flush=True)
        elif r < 0.07:
            try:
                backup.make_backup(diary)
                print("backup", flush=True)
            except DiaryError as exc:
                print("backup-failed", type(exc).__name__, flush=True)

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(15)
    print("ready", flush=True)
    app.exec()
""")


class Tally:
    def __init__(self):
        self.acked: set[str] = set()
        self.lock = threading.Lock()
        self.counts = {"window kills": 0, "command kills": 0, "backups": 0, "delius exports": 0,
                       "window saves": 0, "command saves": 0, "refused busy": 0, "sniffs": 0}

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] += n


def run(seconds: float, encrypted: bool) -> int:
    from probation_diary.store.diary import Diary

    folder = Path(tempfile.mkdtemp(prefix="pd-soak-"))
    path = folder / "diary.db"
    passphrase = PASS if encrypted else None
    with Diary.open(path, passphrase=passphrase) as d:
        d.set_settings({"provider_code": "N07", "team_code": "N07T01", "staff_code": "N07A001"})
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env.pop("PROBATION_DIARY_PASSPHRASE", None)
    if encrypted:
        env["PROBATION_DIARY_PASSPHRASE"] = PASS
    tally = Tally()
    stop = time.monotonic() + seconds

    def window_loop():
        generation = 0
        while time.monotonic() < stop:
            generation += 1
            proc = subprocess.Popen([sys.executable, "-c", WINDOW, str(path), passphrase or "", f"w{generation}"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
            life = time.monotonic() + random.uniform(3, 12)

            def read():
                for line in proc.stdout:
                    word, _, rest = line.strip().partition(" ")
                    if word == "saved":
                        with tally.lock:
                            tally.acked.add(rest)
                        tally.add("window saves")
                    elif word == "backup":
                        tally.add("backups")
                    elif word == "sniff":
                        tally.add("sniffs")

            reader = threading.Thread(target=read, daemon=True)
            reader.start()
            while time.monotonic() < min(life, stop) and proc.poll() is None:
                time.sleep(0.1)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            reader.join(5)
            proc.stdout.close()
            tally.add("window kills")

    def command_loop():
        n = 0
        while time.monotonic() < stop:
            n += 1
            r = random.random()
            if r < 0.08:
                out = folder / f"delius-{n}.csv"
                args = ["export-delius", "--from", "2026-01-01", "--to", "2026-12-31", "--out", str(out)]
                key = "delius exports"
            elif r < 0.12:
                args, key = ["backup"], "backups"
            else:
                note = f"c-{n}"
                day = f"2026-{1 + n % 12:02d}-{1 + n % 27:02d}"
                args = ["add", "--type", "Travel", "--start", f"{day} 14:00", "--end", f"{day} 14:20", "--notes", note]
                if n % 3 == 0:  # a contact that goes to Delius
                    args = ["add", "--type", "COAP", "--crn", "X123456", "--outcome", "ATTC", "--start", f"{day} 15:00",
                            "--end", f"{day} 15:30", "--notes", note]
                key = None
            proc = subprocess.Popen([sys.executable, "-m", "probation_diary", "--db", str(path), *args],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(ROOT))
            killed = False
            if key is None and random.random() < 0.05:  # kill a command part-way
                time.sleep(random.uniform(0.05, 0.4))
                proc.send_signal(signal.SIGKILL)
                killed = True
                tally.add("command kills")
            out, err = proc.communicate()
            if killed:
                continue
            if proc.returncode == 0:
                if key is None and out.startswith("Added"):
                    with tally.lock:
                        tally.acked.add(note)
                    tally.add("command saves")
                elif key:
                    tally.add(key)
            elif "busy" in err:
                tally.add("refused busy")

    threads = [threading.Thread(target=window_loop), threading.Thread(target=command_loop)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started

    with Diary.open(path, passphrase=passphrase, create=False) as d:
        present = {e.notes for e in d.all_entries()}
        problems = d.integrity_check()
    lost = sorted(tally.acked - present)
    print(f"soak: {elapsed:.0f} s, {'encrypted' if encrypted else 'plain'} diary at {path}")
    for key, value in tally.counts.items():
        print(f"  {key:<16}{value:>7}")
    print(f"  {'acknowledged':<16}{len(tally.acked):>7}")
    print(f"  {'lost':<16}{len(lost):>7}" + (f"  e.g. {lost[:5]}" if lost else ""))
    print(f"  integrity check: {'ok' if not problems else problems[:3]}")
    return 1 if lost or problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--encrypted", action="store_true")
    args = parser.parse_args()
    return run(args.seconds, args.encrypted)


if __name__ == "__main__":
    sys.exit(main())
