"""Run a folder of real calendar files through the calendar import and report what goes wrong.

    python scripts/ics_corpus_check.py FOLDER [--limit N] [--only SUBSTRING] [--verbose]

A throwaway check, not a test: for every .ics file under FOLDER it

1. picks a window (the CLI's longest, two years) from the file's earliest start;
2. runs the command line's preview and `--yes` import against a fresh diary file, and the
   functions the command calls (`plan_import`, `apply_plan`) against a fresh in-memory diary,
   giving every event that matched no keyword a type, as a person would in the review;
3. re-imports the same file, which must change nothing;
4. expands the file with recurring-ical-events itself (icalendar's own parse, x-wr-timezone's
   calendar-wide zone, floating times as UK time) over the same window and compares, event by
   event, the occurrences and their UTC instants with what the import read.

It prints one line per fault (file, kind, detail: never an event's text) and the counts per kind.
Kinds: crash (a traceback from the import functions), cli (an exit that is not 0 or a one-line
error), bad-entry (end <= start, or not a whole minute), reimport (a second import changed
something), dropped (an occurrence recurring-ical-events finds that the import neither read nor
reported), extra (one the import read that the library does not have), time (same count, other
instants), unreported (a proposal left out without a reason), slow (over the time limit).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import io
import os
import re
import signal
import sys
import tempfile
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import icalendar  # noqa: E402
import recurring_ical_events  # noqa: E402
import x_wr_timezone  # noqa: E402

from probation_diary import cli  # noqa: E402
from probation_diary.core import clock  # noqa: E402
from probation_diary.formats import ics  # noqa: E402
from probation_diary.store.diary import Diary  # noqa: E402

NOW = clock.parse_utc("2026-10-01T08:00:00Z")
CHOSEN_TYPE = "Team meeting"  # what the "person" picks for an event no keyword matched
LIMIT_SECONDS = 60
POSITION = re.compile(r"^event (\d+) in the file")


class Slow(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    def stop(_sig, _frame):
        raise Slow()
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def window_for(data: bytes) -> tuple[dt.date, dt.date]:
    """From the earliest DTSTART (1900..2197) for two years, as far as the CLI allows."""
    text = data.decode("utf-8", "replace")
    days = []
    for match in re.finditer(r"^DTSTART[^:\r\n]*:(\d{8})", text, re.MULTILINE):
        try:
            day = dt.date(int(match.group(1)[:4]), int(match.group(1)[4:6]), int(match.group(1)[6:8]))
        except ValueError:
            continue
        if 1900 <= day.year <= 2197:
            days.append(day)
    # VTIMEZONE sub-components start in 1601/1970: only VEVENT starts count, but they are
    # hard to tell apart with a regex; take the latest start before any VEVENT-looking one.
    event_days = []
    for block in re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", text, re.DOTALL):
        m = re.search(r"^DTSTART[^:\r\n]*:(\d{8})", block, re.MULTILINE)
        if m:
            try:
                d = dt.date(int(m.group(1)[:4]), int(m.group(1)[4:6]), int(m.group(1)[6:8]))
            except ValueError:
                continue
            if 1900 <= d.year <= 2197:
                event_days.append(d)
    first = min(event_days or days or [dt.date(2026, 1, 2)]) - dt.timedelta(days=1)  # zones east of UK
    return first, first + dt.timedelta(days=730)


# --- the reference: recurring-ical-events' own expansion ----------------------------------------

def _utc(value, zone):
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(clock.UTC).replace(second=0, microsecond=0)


def _midnight(v):
    return v.time() == dt.time() or clock.to_local(v).time() == dt.time()


def reference(data: bytes, first: dt.date, last: dt.date):
    """{uid: Counter of keys} from icalendar + x-wr-timezone + recurring-ical-events, and the
    number of cancelled occurrences. A key is ('at', utc minute) or ('day', date)."""
    text = data.decode("utf-8-sig", "replace")
    if "BEGIN:VCALENDAR" not in text[:4096].upper():  # one event on its own, as the import reads it
        text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + text.rstrip("\r\n") + "\r\nEND:VCALENDAR\r\n"
    cals = icalendar.Calendar.from_ical(text, multiple=True)
    out: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    cancelled = 0
    lo, hi = clock.local_midnight(first), clock.local_midnight(last + dt.timedelta(days=1))
    for cal in cals:
        if cal.name != "VCALENDAR":
            continue
        name = cal.get("X-WR-TIMEZONE")
        zone = clock.LONDON
        if name:
            try:
                cal = x_wr_timezone.to_standard(cal)
                from probation_diary.formats.windows_zones import zone_for_tzid
                zone = zone_for_tzid(str(name)) or clock.LONDON
            except Exception:
                pass
        for series in recurring_ical_events.of(cal, skip_bad_series=True).series:
            n = 0
            # a day wider each side: the library leaves out a whole-day event on the first day
            # when the window starts at a local midnight in summer (23:00 UTC the day before)
            wide_lo, wide_hi = lo - dt.timedelta(days=1), hi + dt.timedelta(days=1)
            for occ in series.between(wide_lo.astimezone(clock.LONDON), wide_hi.astimezone(clock.LONDON)):
                n += 1
                if n > ics.MAX_OCCURRENCES + 1:
                    break
                comp = occ.as_component(False)
                uid = str(comp.get("UID") or "")  # the library numbers events without one
                start = comp["DTSTART"].dt
                end = comp["DTEND"].dt if "DTEND" in comp else None
                if str(comp.get("STATUS", "")).upper() == "CANCELLED":
                    cancelled += 1
                    continue
                if isinstance(start, dt.datetime) and str(comp["DTSTART"].params.get("VALUE", "")).upper() == "DATE":
                    start = start.date()  # the library gives DATE values with a TZID a time
                if isinstance(start, dt.datetime):
                    s = _utc(start, zone)
                    if end is not None and isinstance(end, dt.datetime) and _midnight(start) and _midnight(end) \
                            and end - start >= dt.timedelta(hours=23):
                        in_own = start.time() == dt.time() and end.time() == dt.time()
                        day = start.date() if in_own else clock.to_local(s).date()
                        if first <= day <= last:
                            out[uid][("day", day)] += 1
                    elif lo <= s < hi:
                        out[uid][("at", s)] += 1
                else:
                    if not (first <= start <= last):
                        continue
                    out[uid][("day", start)] += 1
    return out, cancelled


# --- one file ----------------------------------------------------------------------------------

def ours(parsed):
    got: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for occ in parsed.timed:
        got[occ.uid][("at", occ.start)] += 1
    for ev in parsed.all_day:
        got[ev.uid][("day", ev.first)] += 1
    return got


def positions_to_uids(data: bytes):
    uids = {}
    position = 0
    for cal in ics._parse(data):
        for event in cal.subcomponents:
            if event.name != "VEVENT":
                continue
            position += 1
            uids[position] = ics._text(event, "UID")
    return uids


def entries_of(diary):
    return [(e.id, e.start, e.end, e.all_day, e.type_id, e.crn) for e in diary.all_entries()]


def choose_types(plan, diary):
    for p in plan.proposals:
        if p.needs_type:  # as the review dialog does when a type is chosen
            p.type_text = CHOSEN_TYPE
            ics.refresh(p, diary, NOW)
            p.include = not p.reason


def run_cli(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(args)
    return code, out.getvalue(), err.getvalue()


def check_file(path: Path, faults: list, stats: collections.Counter, verbose=False) -> None:
    data = path.read_bytes()
    first, last = window_for(data)
    name = str(path)

    def flag(kind, detail):
        faults.append((name, kind, detail))
        print(f"{kind:<10} {name}: {detail}", flush=True)

    # 1. the command line: preview, then --yes, then again (must add nothing)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "diary.db")
        base = ["--db", db, "import-ics", str(path), "--from", first.isoformat(), "--to", last.isoformat()]
        for attempt in ("preview", "yes", "again"):
            try:
                with time_limit(LIMIT_SECONDS):
                    code, out, err = run_cli(base + (["--yes"] if attempt != "preview" else []))
            except Slow:
                flag("slow", f"cli {attempt} over {LIMIT_SECONDS}s")
                return
            except BaseException as exc:  # noqa: BLE001
                flag("crash", f"cli {attempt}: {type(exc).__name__}")
                return
            errors = [line for line in err.splitlines() if ": error:" in line]
            if code not in (0, 2) or "unexpected problem" in err or (code == 2 and len(errors) != 1):
                flag("cli", f"{attempt}: exit {code}: {errors[:1] or err.splitlines()[-1:]}")
                return
            if code == 2:
                stats["refused files"] += 1
                stats["refused: " + errors[0].split(": ", 3)[-1][:70]] += 1
                return
            if attempt == "again" and not re.search(r"Added 0, updated 0\b", out):
                flag("reimport", f"cli: {out.splitlines()[-1:]}")

    # 2. the functions the command calls, in memory, with types chosen
    diary = Diary.in_memory()
    try:
        try:
            with time_limit(LIMIT_SECONDS):
                parsed = ics.read_calendar(data, first, last)
                plan = ics.plan_import(data, diary, first, last, now=NOW)
                choose_types(plan, diary)
                result = ics.apply_plan(diary, plan, now=NOW)
        except Slow:
            flag("slow", f"import over {LIMIT_SECONDS}s")
            return
        except ics.IcsError:
            return
        except Exception as exc:  # noqa: BLE001
            flag("crash", f"import: {type(exc).__name__}: {traceback.format_exc().splitlines()[-3].strip()}")
            return
        stats["files imported"] += 1
        stats["occurrences read"] += len(parsed.timed) + len(parsed.all_day)
        stats["entries saved"] += len(result.created)
        stats["problems reported"] += len(parsed.problems)
        stats["notes"] += len(parsed.notes)
        for p in plan.proposals:
            if not p.include and p.action not in (ics.UNCHANGED,) and not p.reason:
                flag("unreported", f"{p.occurrence.when()} left out without a reason")
            if not p.include and p.reason:
                stats["left out: " + re.sub(r"\d+", "N", p.reason)[:70]] += 1
        for problem in parsed.problems:
            stats["problem: " + re.sub(r"\(.*?\)|\d[\d,:/]*", "N", problem.split("skipped: ", 1)[-1])[:80]] += 1
        for e in diary.all_entries():
            if e.end <= e.start:
                flag("bad-entry", f"{e.ref} ends at or before its start")
            for v in (e.start, e.end):
                if v.second or v.microsecond:
                    flag("bad-entry", f"{e.ref} has a time that is not a whole minute")
        before = entries_of(diary)
        try:
            with time_limit(LIMIT_SECONDS):
                plan2 = ics.plan_import(data, diary, first, last, now=NOW)
                choose_types(plan2, diary)
                result2 = ics.apply_plan(diary, plan2, now=NOW)
        except Exception as exc:  # noqa: BLE001
            flag("crash", f"re-import: {type(exc).__name__}")
            return
        changed = [p for p in plan2.proposals if p.include and p.action in (ics.NEW, ics.UPDATE)]
        if changed or result2.created or result2.updated or plan2.gone or entries_of(diary) != before:
            flag("reimport", f"{len(changed)} proposal(s) {sorted({p.action for p in changed})}, "
                             f"{len(result2.created)} added, {len(result2.updated)} updated, {len(plan2.gone)} gone"
                             + (f" e.g. {changed[0].occurrence.when()} {changed[0].changes}" if changed else ""))
    finally:
        diary.close()

    # 3. against recurring-ical-events
    try:
        with time_limit(LIMIT_SECONDS):
            ref, cancelled = reference(data, first, last)
    except Slow:
        stats["reference slow"] += 1
        return
    except Exception:  # noqa: BLE001  the library cannot read it: nothing to compare
        stats["reference cannot read"] += 1
        return
    got = ours(parsed)
    uids = positions_to_uids(data)
    reported = set()
    for problem in parsed.problems:
        m = POSITION.match(problem)
        if m:
            reported.add(uids.get(int(m.group(1)), ""))
    copies = set()  # "another copy of event N (the same UID): only the newest copy is used"
    for note in parsed.notes:
        m = POSITION.match(note)
        if m and "another copy" in note:
            copies.add(uids.get(int(m.group(1)), ""))
    # events without a UID get one of ours: compare them together
    for uid in [u for u in got if u.startswith("no-uid-")]:
        got[""] += got.pop(uid)
    for uid in set(ref) | set(got):
        want, have = ref.get(uid, collections.Counter()), got.get(uid, collections.Counter())
        if want == have:
            continue
        if uid in reported or uid in copies:
            stats["reported instead of read"] += sum((want - have).values())
            continue
        missing, extra = want - have, have - want
        short = uid[:40]
        if missing and extra and sum(missing.values()) == sum(extra.values()):
            m, x = sorted(missing)[0], sorted(extra)[0]
            flag("time", f"uid {short}: {sum(missing.values())} at other instants, e.g. library {m[1]} ours {x[1]}")
        else:
            if missing:
                flag("dropped", f"uid {short}: {sum(missing.values())} of {sum(want.values())} not read, "
                                f"e.g. {sorted(missing)[0][1]}")
            if extra:
                flag("extra", f"uid {short}: {sum(extra.values())} not in the library's, e.g. {sorted(extra)[0][1]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--only", default="")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    files = sorted(p for p in Path(args.folder).rglob("*") if p.is_file() and p.suffix.lower() == ".ics"
                   and args.only in str(p))
    if args.limit:
        files = files[:args.limit]
    faults: list = []
    stats: collections.Counter = collections.Counter()
    for path in files:
        stats["files"] += 1
        stats["VEVENTs"] += path.read_bytes().upper().count(b"BEGIN:VEVENT")
        check_file(path, faults, stats, args.verbose)
    print()
    kinds = collections.Counter(kind for _n, kind, _d in faults)
    for key in ("files", "VEVENTs", "files imported", "refused files", "occurrences read", "entries saved",
                "problems reported", "notes", "reported instead of read", "reference cannot read", "reference slow"):
        print(f"{key:<28} {stats[key]:,}")
    print("faults:", dict(sorted(kinds.items())) or "none")
    if args.verbose:
        for key, n in sorted(stats.items()):
            if key.startswith(("problem:", "left out:", "refused:")):
                print(f"  {n:>6}  {key}")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
