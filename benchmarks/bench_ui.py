"""Desktop app benchmarks (a script, not a test). Every figure is measured in the same run as
its baseline, in separate processes, several times; medians are reported.

1. Launch to first painted window: the app on a 100,000-entry diary vs a bare PySide6 window
   (target: within 1.5x).
2. Saving an entry to the summary showing it: a 1,000,000-entry diary vs an empty one.
3. Peak memory (max RSS) with a 1,000,000-entry diary vs an empty one, with the week, the
   list (first pages, then sorted by type) and the caseload opened (target: within 60 MB).

    .venv/bin/python benchmarks/bench_ui.py [--repeats 5] [--big 1000000] [--startup 100000] [--only-startup]

Synthetic diaries are fictional, built with executemany in one transaction, about 45 entries
a week going back from this week, so the current week looks like a real one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PER_WEEK = 45


def build(path: Path, n: int, seed: int = 4) -> Path:
    from probation_diary.core.clock import Week, format_utc, local_midnight, today_local
    from probation_diary.store.diary import Diary

    if path.exists():
        path.unlink()
    d = Diary.open(path)
    d.set_settings({"contracted_hours": "37"})
    d.close()
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    types = conn.execute("SELECT id, needs_crn, needs_outcome FROM activity_types").fetchall()
    crns = [f"X{200000 + i}" for i in range(120)]
    outcomes = ["ATTC"] * 8 + ["AFTA", "AACL"]
    statuses = ["entered"] * 6 + ["exported", "not_exported", "changed"]
    monday = Week.containing(today_local()).monday
    now = format_utc(dt.datetime.now(dt.timezone.utc).replace(second=0, microsecond=0))

    def rows():
        for i in range(n):
            week, slot = divmod(i, PER_WEEK)
            day = monday - dt.timedelta(weeks=week) + dt.timedelta(days=slot % 5)
            start = local_midnight(day) + dt.timedelta(hours=8 + slot // 5, minutes=rng.choice((0, 15, 30)))
            end = start + dt.timedelta(minutes=rng.choice((15, 30, 45, 60)))
            type_id, needs_crn, needs_outcome = rng.choice(types)
            crn = rng.choice(crns) if needs_crn else None
            outcome = rng.choice(outcomes) if needs_outcome and week > 0 else None
            yield (type_id, crn, format_utc(start), format_utc(end), outcome,
                   "synthetic note " + str(i % 997), rng.choice(statuses), now, now)

    with conn:
        conn.executemany("INSERT OR IGNORE INTO people (crn, name) VALUES (?, '')", [(c,) for c in crns])
        conn.executemany(
            "INSERT INTO entries (type_id, crn, start_utc, end_utc, outcome_code, notes, delius_status,"
            " created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    conn.execute("ANALYZE")
    conn.close()
    return path


# --- child processes ---------------------------------------------------------------------

def child(mode: str, db: str | None) -> None:
    """Runs in a subprocess; prints one JSON line."""
    import resource

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    painted = {}

    def first_paint_filter():
        from PySide6.QtCore import QEvent, QObject, QTimer
        from PySide6.QtWidgets import QApplication

        class FirstPaint(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and "t" not in painted:
                    painted["t"] = time.time()
                    painted["cpu"] = time.process_time()  # this process's CPU to the first paint
                    QTimer.singleShot(0, QApplication.instance().quit)
                return False

        return FirstPaint

    if mode == "window":
        # launched exactly as `probation-diary --db FILE` is (the app chooses its own import
        # order: nothing of Qt is imported here first), timed to the week's first paint. The
        # patch itself loads nothing the app does not: not importlib.abc, which brings
        # importlib.resources (8 ms that the bare window's run does not pay)
        import importlib.util

        from probation_diary import cli

        def patch(mainwindow):
            original_show = mainwindow.MainWindow.show
            watcher = first_paint_filter()

            def show(self):
                self.week_view.viewport().installEventFilter(watcher(self))
                original_show(self)

            mainwindow.MainWindow.show = show

        class PatchWhenImported:  # a meta path finder needs only find_spec
            def find_spec(self, name, path, target=None):
                if name != "probation_diary.ui.mainwindow":
                    return None
                sys.meta_path.remove(self)
                spec = importlib.util.find_spec(name)
                run = spec.loader.exec_module

                def exec_module(module):
                    run(module)
                    patch(module)

                spec.loader.exec_module = exec_module
                return spec

        sys.meta_path.insert(0, PatchWhenImported())
        cli.main(["--db", db])
        from PySide6.QtWidgets import QApplication
    else:
        from PySide6.QtWidgets import QApplication

        FirstPaint = first_paint_filter()
    if mode == "bare":
        from PySide6.QtWidgets import QLabel, QMainWindow

        app = QApplication(["bench"])
        w = QMainWindow()
        w.setCentralWidget(QLabel("Hello"))
        w.centralWidget().installEventFilter(FirstPaint(app))
        w.resize(1280, 800)
        w.show()
        app.exec()
    elif mode == "window":
        pass
    else:  # memory: the same window, kept open for the list and caseload
        from probation_diary.store.diary import Diary
        from probation_diary.ui.mainwindow import MainWindow

        app = QApplication(["bench"])
        w = MainWindow(Diary.open(db))
        w.week_view.viewport().installEventFilter(FirstPaint(w))
        w.resize(1280, 800)
        w.show()
        app.exec()
    out = {"painted": painted.get("t"), "cpu": painted.get("cpu")}
    if mode == "memory":
        from PySide6.QtCore import Qt

        from probation_diary.ui.week.listmodel import COLUMN_INDEX
        from probation_diary.ui.mainwindow import LIST_PAGE, PEOPLE_PAGE

        t0 = time.perf_counter()
        w.show_page(LIST_PAGE)
        app.processEvents()
        model = w.list_panel.model
        for _ in range(4):  # scroll a few pages
            w.list_panel.view.scrollToBottom()
            app.processEvents()
        out["list_first_pages_ms"] = (time.perf_counter() - t0) * 1000
        out["list_rows_loaded"] = model.rowCount()
        t0 = time.perf_counter()
        model.sort(COLUMN_INDEX["type"], Qt.SortOrder.AscendingOrder)
        out["list_sort_by_type_ms"] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        w.show_page(PEOPLE_PAGE)
        app.processEvents()
        out["caseload_ms"] = (time.perf_counter() - t0) * 1000
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out), flush=True)


def save_latency(db: str, repeats: int) -> list[float]:
    """In a subprocess: ms from saving an entry to the summary panel having updated."""
    code = f"""
import os, sys, time, json, datetime as dt
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, {str(ROOT)!r})
from PySide6.QtWidgets import QApplication
app = QApplication(["bench"])
from probation_diary.store.diary import Diary
from probation_diary.core.model import Entry
from probation_diary.ui.mainwindow import MainWindow
diary = Diary.open({db!r})
w = MainWindow(diary); w.resize(1280, 800); w.show(); app.processEvents()
atype = diary.reference().find_type("Recording on Delius")
monday = w.current_week().start
times = []
for i in range({repeats}):
    start = monday + dt.timedelta(days=i % 5, hours=19, minutes=30 * (i // 5))  # the evening's next half hour
    before = w.summary_updates
    t0, c0 = time.perf_counter(), time.process_time()
    w.save_new(Entry(type_id=atype.id, start=start, end=start + dt.timedelta(minutes=30)))
    while w.summary_updates == before:
        app.processEvents()
    w.summary.repaint()
    times.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
print(json.dumps(times))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=_env()).stdout
    return json.loads(out.strip().splitlines()[-1])


PYCACHE = tempfile.mkdtemp(prefix="pd-bench-pycache-")


def _env():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # as installed: byte-code cached (kept out of the source tree), warmed up before timing
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    home = tempfile.mkdtemp(prefix="pd-bench-home-")
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"))  # fresh QSettings
    env.pop("PROBATION_DIARY_NOW", None)
    return env


def run_child(mode: str, db: str | None = None) -> tuple[float, dict]:
    start = time.time()
    proc = subprocess.run([sys.executable, __file__, "--child", mode, db or ""], capture_output=True,
                          text=True, env=_env(), check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return (result["painted"] - start) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--startup", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DB"))
    parser.add_argument("--only-startup", action="store_true", help="measure start-up only (figure 1)")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1] or None)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="pd-bench-"))
    t0 = time.perf_counter()
    empty = build(tmp / "empty.db", 0)
    mid = build(tmp / "mid.db", args.startup)
    big = None if args.only_startup else build(tmp / "big.db", args.big)
    print(f"built synthetic diaries ({args.startup:,} and {0 if big is None else args.big:,} entries) in "
          f"{time.perf_counter() - t0:.1f}s")

    # 1. launch to first paint, alternating so both see the same machine state
    run_child("bare")
    run_child("window", str(mid))  # warm-up: byte-code cache and OS file cache
    bare, app, bare_cpu, app_cpu = [], [], [], []
    for _ in range(args.repeats):
        ms, out = run_child("bare")
        bare.append(ms)
        bare_cpu.append(out["cpu"] * 1000)
        ms, out = run_child("window", str(mid))
        app.append(ms)
        app_cpu.append(out["cpu"] * 1000)
    b, a = statistics.median(bare), statistics.median(app)
    bc, ac = statistics.median(bare_cpu), statistics.median(app_cpu)
    print(f"\n1. Launch to first painted window (median of {args.repeats}; wall, and the process's CPU)")
    print(f"   bare PySide6 window        {b:7.0f} ms   CPU {bc:5.0f} ms")
    print(f"   app, {args.startup:,}-entry diary  {a:7.0f} ms   CPU {ac:5.0f} ms   ratio {a / b:.2f}x wall, "
          f"{ac / bc:.2f}x CPU (target 1.5x; load {os.getloadavg()[0]:.1f})")
    if args.only_startup:
        return 0

    # 2. save -> summary updated
    small = save_latency(str(empty), args.repeats * 2)
    large = save_latency(str(big), args.repeats * 2)
    s, l = statistics.median(t for t, _ in small), statistics.median(t for t, _ in large)
    sc, lc = statistics.median(c for _, c in small), statistics.median(c for _, c in large)
    print(f"\n2. Save an entry -> summary updated (median of {args.repeats * 2}; wall, and CPU of the process)")
    print(f"   empty diary                {s:7.1f} ms   CPU {sc:5.1f} ms")
    print(f"   {args.big:,}-entry diary    {l:7.1f} ms   CPU {lc:5.1f} ms   ratio {l / s:.2f}x (target: 16 ms of CPU)")

    # 3. peak memory
    _, bare_mem = run_child("bare")
    _, empty_mem = run_child("memory", str(empty))
    _, big_mem = run_child("memory", str(big))
    print("\n3. Peak memory (max RSS), week + list (4 pages, then sorted by type) + caseload")
    print(f"   bare PySide6 window        {bare_mem['maxrss_mb']:7.1f} MB")
    print(f"   app, empty diary           {empty_mem['maxrss_mb']:7.1f} MB")
    delta = big_mem['maxrss_mb'] - empty_mem['maxrss_mb']
    print(f"   app, {args.big:,}-entry diary {big_mem['maxrss_mb']:7.1f} MB   +{delta:.1f} MB (target 60 MB)")
    print(f"   with {args.big:,} entries: list first pages {big_mem['list_first_pages_ms']:.0f} ms "
          f"({big_mem['list_rows_loaded']} rows loaded), sort by type {big_mem['list_sort_by_type_ms']:.0f} ms, "
          f"caseload {big_mem['caseload_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
