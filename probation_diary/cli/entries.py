"""The entry commands: add, list, edit, delete, summary, settings, export, import, and the
Delius status commands."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from ..core import clock
from ..core.clock import Week
from ..core.model import (
    CLASS_LABELS, DELIUS_STATUS_LABELS, SETTING_KEYS, TIME_CLASSES, parse_ref,
)
from ..core.timesplit import counts_as, share_percent
from ..store.diary import Diary, DiaryError, import_entries
from .common import PROG, Parser, UsageError, warn, wrote

TYPE_CHECKING = False  # typing's constant, without loading typing (15M instructions a command)
if TYPE_CHECKING:  # validation loads for add and edit only (issue 18)
    from ..core.validation import EntryDraft


def _entry_options(p: argparse.ArgumentParser, editing: bool) -> None:
    p.add_argument("--type", help="activity type: Delius code (COAP) or label ('Travel')")
    p.add_argument("--crn", help="the person's CRN, e.g. X123456")
    p.add_argument("--start", help='local start, "YYYY-MM-DD HH:MM"')
    p.add_argument("--end", help='local end, "YYYY-MM-DD HH:MM"')
    p.add_argument("--date", help="YYYY-MM-DD, with --all-day for a whole-day absence")
    p.add_argument("--outcome", help="outcome code, e.g. ATTC")
    p.add_argument("--notes", help="the contact note")
    p.add_argument("--location", help="location code (at most 7 characters)")
    p.add_argument("--event", help="event number the contact relates to")
    p.add_argument("--enforcement", help="enforcement action code, e.g. EA02")
    if editing:
        p.add_argument("--all-day", action=argparse.BooleanOptionalAction, default=None)
        for flag in ("sensitive", "alert", "rar"):
            p.add_argument(f"--{flag}", action=argparse.BooleanOptionalAction, default=None)
    else:
        p.add_argument("--all-day", action="store_true", help="a whole-day absence on --date")
        for flag in ("sensitive", "alert", "rar"):
            p.add_argument(f"--{flag}", action="store_true")


def register(sub, common, commands) -> None:

    p = sub.add_parser("add", parents=[common], help="add an entry")
    _entry_options(p, editing=False)

    p = sub.add_parser("list", parents=[common], help="list entries")
    p.add_argument("--week", help="any date in the week (default: this week)")
    p.add_argument("--from", dest="date_from", help="first date, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="last date, YYYY-MM-DD (inclusive)")

    p = sub.add_parser("edit", parents=[common], help="change an entry")
    p.add_argument("ref", help="diary reference, e.g. PD-000123")
    _entry_options(p, editing=True)

    p = sub.add_parser("delete", parents=[common], help="move an entry to the bin")
    p.add_argument("ref")

    p = sub.add_parser("summary", parents=[common], help="the week's time split")
    p.add_argument("--week", help="any date in the week (default: this week)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")

    p = sub.add_parser("settings", parents=[common], help="show or change settings")
    ssub = p.add_subparsers(dest="settings_command", parser_class=Parser)
    ssub.add_parser("show", parents=[common])
    ps = ssub.add_parser("set", parents=[common])
    ps.add_argument("key", choices=SETTING_KEYS)
    ps.add_argument("value")

    p = sub.add_parser("export", parents=[common],
                       help="the whole diary as CSV (lossless; encrypted when the diary is)")
    p.add_argument("file")
    p.add_argument("--plain", action="store_true",
                   help="write plain CSV even from an encrypted diary (it holds personal data)")
    p = sub.add_parser("import", parents=[common], help="entries from the diary's CSV or a spreadsheet")
    p.add_argument("file")

    p = sub.add_parser("export-delius", parents=[common], help="CSV for keying contacts into nDelius")
    p.add_argument("--from", dest="date_from", required=True)
    p.add_argument("--to", dest="date_to", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--include-entered", action="store_true")

    p = sub.add_parser("mark-entered", parents=[common], help="record that entries are now in nDelius")
    p.add_argument("refs", nargs="+")
    commands.update(COMMANDS)


# --- commands -----------------------------------------------------------------------------

def _split_local(text: str, what: str) -> tuple[str, str]:
    local = clock.parse_local_datetime(text)  # checks the shape
    return local.date().isoformat(), f"{local:%H:%M}"


def _draft_from_args(args, draft: EntryDraft) -> EntryDraft:
    if args.type is not None:
        draft.type = args.type
    if args.crn is not None:
        draft.crn = args.crn
    if args.all_day:
        draft.all_day = True
        if args.date is None and args.start is None:
            raise UsageError("--all-day needs --date YYYY-MM-DD")
    elif args.all_day is False:
        draft.all_day = False
    if draft.all_day:
        if args.start or args.end:
            raise UsageError("a whole-day entry takes --date, not --start and --end")
        if args.date is not None:
            draft.start_date = clock.parse_date(args.date).isoformat()
        draft.start_time = draft.end_time = draft.end_date = ""
    else:
        if args.date is not None and args.start is None:
            raise UsageError("--date is for whole-day absences (with --all-day); use --start and --end")
        if args.start is not None:
            draft.start_date, draft.start_time = _split_local(args.start, "start")
        if args.end is not None:
            end_date, draft.end_time = _split_local(args.end, "end")
            draft.end_date = end_date
        if draft.end_date == draft.start_date:
            draft.end_date = ""
    for name in ("outcome", "notes", "location", "event", "enforcement"):
        value = getattr(args, name)
        if value is not None:
            setattr(draft, name, value)
    for flag in ("sensitive", "alert", "rar"):
        value = getattr(args, flag)
        if value is not None:
            setattr(draft, flag, bool(value))
    return draft


def cmd_add(diary: Diary, args) -> int:
    if not args.all_day and (args.start is None or args.end is None):
        raise UsageError("add needs --start and --end (or --date with --all-day)")
    if args.type is None:
        raise UsageError("add needs --type, e.g. --type COAP")
    from ..core.validation import EntryDraft, check_entry, starting_location

    draft = _draft_from_args(args, EntryDraft())
    if args.location is None:  # an office visit starts at the office (--location "" clears it)
        try:
            code = diary.reference().find_type(draft.type).delius_code
        except LookupError:
            code = None  # check_entry says why
        draft.location = starting_location(code, diary.settings().office_location)
    checked = check_entry(draft, diary.reference(), clock.now_utc())
    if not checked.ok:
        raise UsageError(checked.first_error())
    for w in checked.warnings:
        warn(w)
    entry = diary.add_entry(checked.entry)
    print(f"Added {entry.ref}")
    return 0


def cmd_edit(diary: Diary, args) -> int:
    old = diary.get_entry(parse_ref(args.ref))
    if old is None:
        raise DiaryError(f"{args.ref.upper()} is not in the diary")
    ref = diary.reference()
    from ..core.validation import EntryDraft, check_entry

    draft = EntryDraft.from_entry(old, ref)
    if args.start is not None and args.end is None and not old.all_day:
        # keep the length when only the start moves
        draft.end_time = ""
        draft.end_date = ""
        draft.duration = str(old.minutes)
    draft = _draft_from_args(args, draft)
    checked = check_entry(draft, ref, clock.now_utc(), base=old)
    if not checked.ok:
        raise UsageError(checked.first_error())
    for w in checked.warnings:
        warn(w)
    from ..core.model import CONTENT_FIELDS

    changed = any(getattr(old, f) != getattr(checked.entry, f) for f in CONTENT_FIELDS)
    new = diary.update_entry(checked.entry)
    print(f"Saved {new.ref}" + ("" if changed else " (nothing changed)"))
    return 0


def cmd_delete(diary: Diary, args) -> int:
    old = diary.delete_entry(parse_ref(args.ref))
    print(f"Deleted {old.ref} (kept in the bin for 30 days)")
    return 0


def _week_arg(text: str | None) -> Week:
    return Week.containing(clock.parse_date(text) if text else clock.today_local())


def cmd_list(diary: Diary, args) -> int:
    if args.date_from or args.date_to:
        if args.week:
            raise UsageError("give either --week or --from/--to")
        first = clock.parse_date(args.date_from) if args.date_from else clock.parse_date(args.date_to)
        last = clock.parse_date(args.date_to) if args.date_to else first
        if last < first:
            raise UsageError("--to is before --from")
    else:
        week = _week_arg(args.week)
        first, last = week.monday, week.monday + dt.timedelta(days=6)
    start = clock.local_midnight(first)
    end = clock.local_midnight(last + dt.timedelta(days=1))
    ref = diary.reference()
    now = clock.now_utc()
    names = {p.crn: p.name for p in diary.people()}

    def rows():
        for e in diary.iter_entries_between(start, end):
            atype = ref.types[e.type_id]
            s, f = clock.to_local(e.start), clock.to_local(e.end)
            counted = counts_as(e, atype, ref.outcomes.get(e.outcome_code or ""), now)
            cls = "all day" if e.all_day else f"{s:%H:%M}-{f:%H:%M}"
            who = e.crn or ""
            if who and names.get(who):
                who += f" ({names[who]})"
            yield [
                e.ref, f"{s:%a %d/%m/%Y}", cls, clock.format_minutes(e.minutes) if not e.all_day else "",
                atype.delius_code or "-", atype.label, who, e.outcome_code or "",
                counted.short,
                DELIUS_STATUS_LABELS[e.delius_status] if atype.exportable else "",
            ]

    header = ["REF", "DATE", "TIME", "LENGTH", "CODE", "TYPE", "CRN", "OUTCOME", "COUNTS AS", "DELIUS"]
    # One streamed pass over the rows (issue 18). The column widths come first, from one SQL
    # aggregate (store.listing.span_groups) of a few dozen groups, so no row is held and none
    # is built twice: a list of any length runs in constant memory.
    widths, count = _list_widths(diary, ref, start, end, now, header)
    _print_rows(header, widths)
    for row in rows():
        _print_rows(row, widths)
    print(f"{count} entr{'y' if count == 1 else 'ies'} from {first:%d/%m/%Y} to {last:%d/%m/%Y}")
    return 0


def _list_widths(diary: Diary, ref, start: dt.datetime, end: dt.datetime, now: dt.datetime,
                 header: list[str]) -> tuple[list[int], int]:
    """The widths cmd_list's columns take over [start, end), and how many rows it prints,
    exactly as a pass over the rows would find them: each group's cells are made by the same
    formatting as the rows' (a sample entry for what it counts as; the longest reference,
    length and CRN from SQL)."""
    from ..core.model import format_ref
    from ..store.listing import span_groups

    widths = [len(h) for h in header]
    count = 0
    for g in span_groups(diary, start, end, now):
        count += g.count
        atype = ref.types[g.type_id]
        sample = diary.get_entry(g.sample_id)
        counted = counts_as(sample, atype, ref.outcomes.get(g.outcome_code or ""), now)
        lengths = [len(clock.format_minutes(m)) for m in (g.max_minutes, g.min_minutes) if m is not None]
        cells = [  # the lengths each column's cells take in this group
            [len(format_ref(g.max_id))], [len(f"{clock.to_local(sample.start):%a %d/%m/%Y}")],
            ([len("00:00-00:00")] if g.timed else []) + ([len("all day")] if g.all_day else []),
            lengths + ([0] if g.all_day else []),
            [len(atype.delius_code or "-")], [len(atype.label)], [g.who], [len(g.outcome_code or "")],
            [len(counted.short)], [len(DELIUS_STATUS_LABELS[g.delius_status]) if atype.exportable else 0],
        ]
        widths = [max(w, *c) for w, c in zip(widths, cells)]
    return widths, count


def _print_rows(row, widths) -> None:
    print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())


def cmd_summary(diary: Diary, args) -> int:
    week = _week_arg(args.week)
    summary = diary.week_summary(week)
    if args.json:
        print(json.dumps(summary.to_json(), indent=2))
        return 0
    fm = clock.format_minutes
    sunday = week.monday + dt.timedelta(days=6)
    print(f"Week {week.monday:%a %d/%m/%Y} to {sunday:%a %d/%m/%Y}")
    print(f"Face-to-face share:    {share_percent(summary.face_to_face_share)}")
    print(f"Direct-contact share:  {share_percent(summary.direct_contact_share)}")
    print()
    for c in TIME_CLASSES:
        print(f"  {CLASS_LABELS[c]:<22}{fm(summary.minutes[c]):>8}")
    print(f"  {'Worked':<22}{fm(summary.worked_minutes):>8}")
    print(f"  {'Planned':<22}{fm(summary.planned_minutes):>8}  (booked after now: not yet worked)")
    print()
    print(f"  {'Contracted':<22}{fm(summary.contracted_minutes):>8}")
    print(f"  {'Expected':<22}{fm(summary.expected_minutes):>8}")
    print(f"  {'Unlogged':<22}{fm(summary.unlogged_minutes):>8}")
    print(f"  {'Extra hours':<22}{fm(summary.extra_minutes):>8}")
    print()
    print(f"  {'Overlapping entries':<22}{fm(summary.overlap_minutes):>8}")
    print(f"  {'Booked, not attended':<22}{fm(summary.not_attended_minutes):>8}")
    print(f"  {'Awaiting outcome':<22}{fm(summary.awaiting_outcome_minutes):>8}")
    if summary.per_person:
        print()
        print("  Per person            face to face    total")
        for p in summary.per_person:
            print(f"  {p.crn:<22}{fm(p.face_to_face_minutes):>12}{fm(p.total_minutes):>9}")
    return 0


def cmd_settings(diary: Diary, args) -> int:
    if args.settings_command == "set":
        diary.set_setting(args.key, args.value)
    elif args.settings_command not in (None, "show"):
        raise UsageError("use 'settings show' or 'settings set KEY VALUE'")
    for key, value in diary.settings().to_strings().items():
        print(f"{key} = {value}")
    return 0


def cmd_export(diary: Diary, args) -> int:
    from ..formats import diarycsv
    from ..formats.safefile import TextSink, open_atomically
    from ..formats.sealed import Sealer

    out = Path(args.file)
    names = {p.crn: p.name for p in diary.people()}
    sealed = diary.encrypted and not args.plain
    # streamed from SQLite to the file (issue 18): the same bytes as building the whole text
    # and sealing it, without holding the diary in memory
    with open_atomically(out) as fh:
        sink = Sealer(fh, diary._passphrase) if sealed else fh
        count = diarycsv.write(diary.all_entries(), diary.reference(), names, TextSink(sink, "utf-8-sig"))
        if sealed:
            sink.finish()
    wrote(f"Wrote {count} entr{'y' if count == 1 else 'ies'} to {out}"
          + (" (encrypted with your diary passphrase)" if sealed else ""), out)
    if diary.encrypted and args.plain:
        warn(f"{out} holds personal data in plain text; keep it safe and delete it when done")
    return 0


def cmd_import(diary: Diary, args) -> int:
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        raise DiaryError(f"cannot read {args.file}: {exc.strerror}")
    from ..formats.sealed import SealError, is_sealed, unseal

    if is_sealed(raw):
        passphrase = diary._passphrase or os.environ.get("PROBATION_DIARY_PASSPHRASE")
        if not passphrase:
            raise DiaryError(f"{args.file} is encrypted; set PROBATION_DIARY_PASSPHRASE to the passphrase it was made with")
        try:
            raw = unseal(raw, passphrase)
        except SealError as exc:
            raise DiaryError(f"{args.file}: {exc}; nothing was imported")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DiaryError(f"{args.file} is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'")
    from ..formats import diarycsv  # only export and import load the CSV module (issue 18)

    result = diarycsv.read(text, diary.reference(), clock.now_utc())
    for w in result.warnings:
        warn(w)
    if result.errors:
        for e in result.errors[:20]:
            print(f"{PROG}: {e}", file=sys.stderr)
        more = len(result.errors) - 20
        if more > 0:
            print(f"{PROG}: ... and {more} more", file=sys.stderr)
        raise DiaryError(f"{len(result.errors)} problem(s) in {args.file}; nothing was imported")
    saved = import_entries(diary, result.entries, result.names)
    print(f"Imported {len(saved)} entr{'y' if len(saved) == 1 else 'ies'}")
    return 0


def cmd_export_delius(diary: Diary, args) -> int:
    from .delius import export_delius_command

    return export_delius_command(diary, args, warn=warn)


def cmd_mark_entered(diary: Diary, args) -> int:
    from ..core.model import ENTERED

    ids = [parse_ref(r) for r in args.refs]
    missing = [r for r, i in zip(args.refs, ids) if diary.get_entry(i) is None]
    if missing:
        raise DiaryError(f"not in the diary: {', '.join(missing)}; nothing was marked")
    diary.set_delius_status(ids, ENTERED)
    print(f"Marked {len(ids)} as entered in Delius")
    return 0


cmd_summary.read_only = cmd_list.read_only = True  # opened without the check at open (issue 18)
cmd_export.reads_only = True  # writes nothing to the diary: it still reads on a full disk

COMMANDS = {
    "add": cmd_add, "edit": cmd_edit, "delete": cmd_delete, "list": cmd_list,
    "summary": cmd_summary, "settings": cmd_settings, "export": cmd_export, "import": cmd_import,
    "export-delius": cmd_export_delius, "mark-entered": cmd_mark_entered,
}

