"""Calendar (.ics) import and export on the command line (issue 8). Qt-free.

    probation-diary import-ics FILE --from DATE --to DATE [--yes]
    probation-diary export-ics --from DATE --to DATE --out FILE [--with-names]
    probation-diary ics-keywords [--set "KEYWORD=TYPE"] [--remove KEYWORD] [--reset]

Without --yes, import-ics prints what it would do and saves nothing. It never asks on the
terminal, so it never waits on input. The preview shows dates, times, types and CRNs (as
`list` does), never an event's subject or body.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from ..core import clock
from .common import warn, wrote

# formats.ics (icalendar, recurring-ical-events) is imported inside the commands: every other
# command starts faster without it.
TYPE_CHECKING = False  # typing's constant, without loading typing
if TYPE_CHECKING:
    from ..formats import ics



def register(sub, common, commands) -> None:
    p = sub.add_parser("import-ics", parents=[common],
                       help="appointments from an Outlook or Google calendar file (.ics)")
    p.add_argument("file", help="the .ics file exported from your calendar")
    p.add_argument("--from", dest="date_from", required=True, help="first date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last date, YYYY-MM-DD (inclusive)")
    p.add_argument("--yes", action="store_true", help="save without asking (otherwise only a preview)")
    commands["import-ics"] = cmd_import_ics

    p = sub.add_parser("export-ics", parents=[common],
                       help="planned appointments as a calendar file (.ics) for Outlook")
    p.add_argument("--from", dest="date_from", required=True, help="first date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last date, YYYY-MM-DD (inclusive)")
    p.add_argument("--out", required=True, help="the .ics file to write")
    p.add_argument("--with-names", action="store_true",
                   help="put people's names in the events (by default only CRN and type)")
    commands["export-ics"] = cmd_export_ics

    p = sub.add_parser("ics-keywords", parents=[common],
                       help="show or change the words that guess an event's activity type")
    p.add_argument("--set", action="append", default=[], metavar="KEYWORD=TYPE",
                   help="add or change a keyword, e.g. --set 'home visit=CHVS'")
    p.add_argument("--remove", action="append", default=[], metavar="KEYWORD")
    p.add_argument("--with-crn", metavar="TYPE",
                   help="the type for an event with a CRN but no keyword ('' for none)")
    p.add_argument("--reset", action="store_true", help="go back to the built-in keywords")
    commands["ics-keywords"] = cmd_ics_keywords


def _range(args) -> tuple[dt.date, dt.date]:
    first, last = clock.parse_date(args.date_from), clock.parse_date(args.date_to)
    if last < first:
        raise ValueError("--to is before --from")
    if (last - first).days > 731:
        raise ValueError("choose a range of at most two years")
    return first, last


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}")


def _type_code(ref, type_text: str) -> str:
    try:
        t = ref.find_type(type_text)
    except LookupError:
        return type_text or "?"
    return t.delius_code or t.label


def print_plan(plan: ics.ImportPlan, ref, out=None) -> None:
    from ..formats import ics

    out = out or sys.stdout
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"Calendar import, {plan.first:%a %d/%m/%Y} to {plan.last:%a %d/%m/%Y}")
    for prop in plan.proposals:
        occ = prop.occurrence
        what = f"{_type_code(ref, prop.type_text):<22} {prop.crn or '':<8}".rstrip()
        if prop.action == ics.NEW and prop.include:
            p(f"  new        {occ.when():<34} {what}" + ("  (several CRNs: check)" if prop.several_crns else ""))
        elif prop.action == ics.UPDATE and prop.include:
            p(f"  update     {occ.when():<34} {prop.ref}: {'; '.join(prop.changes)}")
        elif prop.action == ics.UNCHANGED:
            continue
        elif prop.needs_type:
            p(f"  needs type {occ.when():<34} {prop.crn or ''}".rstrip()
              + "  (no keyword matched: add one with ics-keywords)")
        else:
            p(f"  left out   {occ.when():<34} {prop.reason}")
    unchanged = plan.count(ics.UNCHANGED)
    if unchanged:
        p(f"  unchanged  {unchanged} event(s) already in the diary")
    if plan.skipped:
        p("Whole-day events skipped (they do not look like leave):")
        for event, _reason in plan.skipped:
            p(f"  {event.when()}")
    if plan.gone:
        p("No longer in the calendar (kept; delete them yourself if they were cancelled):")
        for gone in plan.gone:
            e = gone.entry
            p(f"  {e.ref}  {_when(e)}  {_type_code(ref, ref.types[e.type_id].label)}  {e.crn or ''}  ({gone.reason})")
    if plan.problems:
        p("Events that could not be read (skipped):")
        for problem in plan.problems:
            p(f"  {problem}")
    if plan.notes:
        p("Read in part (the rest of each event was read):")
        for note in plan.notes:
            p(f"  {note}")


def _when(e) -> str:
    s, f = clock.to_local(e.start), clock.to_local(e.end)
    return f"{s:%a %d/%m/%Y} (all day)" if e.all_day else f"{s:%a %d/%m/%Y %H:%M}-{f:%H:%M}"


def cmd_import_ics(diary, args) -> int:
    from ..formats import ics

    first, last = _range(args)
    data = _read(args.file)
    now = clock.now_utc()
    try:
        plan = ics.plan_import(data, diary, first, last, now=now)
    except ics.IcsError as exc:
        raise ValueError(f"{args.file}: {exc}")
    ref = diary.reference()
    print_plan(plan, ref)
    for problem in plan.problems:
        warn(problem)
    new, changed = plan.count(ics.NEW, True), plan.count(ics.UPDATE, True)
    if not args.yes:
        if new or changed:
            print(f"Nothing was saved. Run again with --yes to add {new} and update {changed}.")
        else:
            print("Nothing to save.")
        return 0
    result = ics.apply_plan(diary, plan, now=now)
    for w in result.warnings:
        warn(w)
    for failure in result.failed:
        warn(f"not saved: {failure}")
    print(f"Added {len(result.created)}, updated {len(result.updated)}"
          + (f", {len(result.failed)} not saved" if result.failed else ""))
    return 0


def write_ics(diary, first: dt.date, last: dt.date, out, with_names: bool = False,
              now: dt.datetime | None = None) -> int:
    """Write the planned appointments in [first, last] to an .ics file (flushed to disk, then
    moved into place). Returns how many were written. Shared by the CLI and the window."""
    from ..formats import ics

    now = now or clock.now_utc()
    entries = ics.appointments_to_export(diary, first, last, now)
    names = {p.crn: p.name for p in diary.people()} if with_names else None
    data = ics.export_calendar(entries, diary.reference(), now,
                               sequence_of=lambda e: len(diary.history(e.id)), names=names)
    from ..formats.safefile import write_atomically

    write_atomically(out, data)
    return len(entries)


def cmd_export_ics(diary, args) -> int:
    first, last = _range(args)
    count = write_ics(diary, first, last, args.out, args.with_names)
    wrote(f"Wrote {count} planned appointment(s) to {args.out}"
          + (" (with names)" if args.with_names else " (CRN and type only, no names)"), args.out)
    return 0


def cmd_ics_keywords(diary, args) -> int:
    from ..formats import ics

    keywords = ics.Keywords() if args.reset else ics.load_keywords(diary)
    changed = args.reset
    for item in args.set:
        if "=" not in item:
            raise ValueError(f"--set takes KEYWORD=TYPE, e.g. 'home visit=CHVS', not '{item}'")
        word, _, type_text = (x.strip() for x in item.partition("="))
        if not word or not type_text:
            raise ValueError("--set needs both a keyword and a type")
        type_text = _type_code(diary.reference(), type_text) if _known(diary, type_text) else type_text
        keywords.pairs = [(k, t) for k, t in keywords.pairs if k.lower() != word.lower()] + [(word, type_text)]
        changed = True
    for word in args.remove:
        before = len(keywords.pairs)
        keywords.pairs = [(k, t) for k, t in keywords.pairs if k.lower() != word.strip().lower()]
        if len(keywords.pairs) == before:
            raise ValueError(f"there is no keyword '{word}'")
        changed = True
    if args.with_crn is not None:
        keywords.with_crn = args.with_crn.strip()
        changed = True
    if changed:
        ics.save_keywords(diary, keywords)  # checks every type first
    for k, t in keywords.pairs:
        print(f"{k} = {t}")
    print(f"(an event with a CRN and no keyword: {keywords.with_crn or 'no guess'})")
    return 0


def _known(diary, type_text: str) -> bool:
    try:
        diary.reference().find_type(type_text)
        return True
    except LookupError:
        return False
