"""Delius export on disk and on the command line (issue 5). Qt-free.

The rules (which entries, which order, which cells, which checks) are in formats/delius.py.
This module reads the diary, writes the file safely and records what was exported.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from ..core import clock
from ..core.model import CHANGED, ENTERED, format_ref, parse_ref
from ..store.delius import iter_contacts, read_contacts
from ..store.diary import Diary, DiaryError
from .common import wrote

TYPE_CHECKING = False  # typing's constant, without loading typing (15M instructions a command)
if TYPE_CHECKING:
    from ..formats import delius


def __getattr__(name: str):
    # formats.delius (and the csv writer) load only when an export needs them: the command
    # line's parser imports this module
    if name == "delius":
        from ..formats import delius

        return delius
    raise AttributeError(name)


def plan_export(diary: Diary, first: dt.date, last: dt.date, *, include_entered: bool = False,
                now: dt.datetime | None = None) -> delius.Export:
    """What an export of [first, last] would write; nothing is written."""
    from ..formats import delius

    start, end = delius.range_bounds(first, last)
    return delius.build(
        read_contacts(diary, start, end), diary.reference(), diary.settings(),
        now or clock.now_utc(), first, last, include_entered)


def plan_keying(diary: Diary, first: dt.date, last: dt.date, *,
                now: dt.datetime | None = None) -> list[delius.Card]:
    """The contacts of [first, last] not yet entered in Delius, one card each, in export order
    (keying mode, issue 17): the same reads and rules as plan_export, and no file."""
    from ..formats import delius

    start, end = delius.range_bounds(first, last)
    return delius.cards(read_contacts(diary, start, end), diary.reference(), diary.settings(),
                        now or clock.now_utc(), first, last)


def missing_settings_message(keys: list[str]) -> str:
    from ..formats import delius

    how = "; ".join(f"probation-diary settings set {k} CODE" for k in keys)
    return (f"the Delius export needs your {delius.describe_missing(keys)}, which "
            f"{'is' if len(keys) == 1 else 'are'} not set; set {'it' if len(keys) == 1 else 'them'} "
            f"with: {how}. Nothing was written")


def write_file(rows: list[list[str]], target: Path) -> int:
    """Write the CSV beside its target, flush it to disk, then move it into place, so a
    crash or a full disk never leaves half a file under the real name."""
    from ..formats import delius

    import io

    from ..formats.safefile import write_atomically

    buffer = io.StringIO(newline="")
    count = delius.write(rows, buffer)
    try:
        write_atomically(target, buffer.getvalue().encode(delius.ENCODING))
    except ValueError as exc:  # a folder, or no such folder
        raise DiaryError(str(exc))
    except PermissionError:
        raise DiaryError(f"cannot replace {target}: is it open in a spreadsheet? Close it and "
                         "save again. Nothing was written")
    return count


@dataclass
class Written:
    export: delius.Export
    path: Path
    count: int


def export_to_file(diary: Diary, export: delius.Export, path: str | os.PathLike,
                   now: dt.datetime | None = None) -> Written:
    """Write a planned export and mark its rows exported, with the time and the file.
    Entries already entered in Delius (with --include-entered) stay entered."""
    if export.missing_settings:
        raise DiaryError(missing_settings_message(export.missing_settings))
    target = Path(path).expanduser().absolute()
    count = write_file(export.rows, target)
    if export.entry_ids:
        diary.mark_exported(export.entry_ids, str(target), now or clock.now_utc())
    return Written(export, target, count)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def export_delius_command(diary: Diary, args, warn) -> int:
    from ..formats import delius

    first = clock.parse_date(args.date_from)
    last = clock.parse_date(args.date_to)
    if last < first:
        raise ValueError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    missing = delius.missing_settings(diary.settings())
    if missing:
        raise DiaryError(missing_settings_message(missing))
    out = Path(args.out).expanduser()
    if out.is_dir():
        out = out / delius.default_file_name(first, last)
    now = clock.now_utc()
    path, count, left_out = stream_export_to_file(diary, first, last, out, include_entered=args.include_entered,
                                                  now=now)
    wrote(f"Wrote {_plural(count, 'row', 'rows')} to {path}", path)
    if left_out:
        print(f"Left out {_plural(left_out, 'entry', 'entries')} that Delius would refuse:")
        start, end = delius.range_bounds(first, last)
        for problem in delius.stream_problems(iter_contacts(diary, start, end, order="start"), diary.reference(),
                                              now, first, last, args.include_entered):
            print(f"  {problem}")
        warn(f"{_plural(left_out, 'entry was', 'entries were')} left out (listed above); "
             "fix them in the diary and export again")
        return 1
    return 0


def stream_export_to_file(diary: Diary, first: dt.date, last: dt.date, path: str | os.PathLike, *,
                          include_entered: bool = False, now: dt.datetime | None = None,
                          progress=None) -> tuple[Path, int, int]:
    """plan_export + export_to_file in one pass, streamed from SQLite to the file (issue 18):
    the same bytes and statuses, with memory that does not grow with the diary. Returns the
    file, the rows written and how many entries were left out (their problems come from
    delius.stream_problems, in the order plan_export gives them). ``progress(rows)`` is called
    every PROGRESS_EVERY rows; an exception it raises (the window's Cancel) stops the export
    with nothing written and nothing marked exported."""
    from ..formats import delius
    from ..formats.safefile import TextSink, open_atomically

    now = now or clock.now_utc()
    missing = delius.missing_settings(diary.settings())
    if missing:
        raise DiaryError(missing_settings_message(missing))
    target = Path(path).expanduser().absolute()
    start, end = delius.range_bounds(first, last)
    done = delius.Streamed()
    rows = delius.stream_rows(iter_contacts(diary, start, end), diary.reference(), diary.settings(), now,
                              first, last, include_entered, done)
    if progress is not None:
        rows = _reporting(rows, progress)
    try:
        with open_atomically(target) as fh:
            count = delius.write(rows, TextSink(fh, delius.ENCODING))
    except ValueError as exc:  # a folder, or no such folder
        raise DiaryError(str(exc))
    except PermissionError:
        raise DiaryError(f"cannot replace {target}: is it open in a spreadsheet? Close it and "
                         "save again. Nothing was written")
    if done.entry_ids:
        diary.mark_exported(done.entry_ids, str(target), now)
    return target, count, done.left_out


PROGRESS_EVERY = 500  # rows between two calls of stream_export_to_file's progress


def _reporting(rows, progress):
    for number, row in enumerate(rows, 1):
        if number % PROGRESS_EVERY == 0:
            progress(number)
        yield row


def refs_in_file(path: str | os.PathLike) -> list[int]:
    """The diary references in a CSV this export wrote (its last column), in file order."""
    from ..formats import delius

    import csv

    try:
        with open(path, encoding=delius.ENCODING, newline="") as fh:
            rows = list(csv.reader(fh))
    except OSError as exc:
        raise DiaryError(f"cannot read {path}: {exc.strerror or exc}")
    except (UnicodeDecodeError, csv.Error):
        raise DiaryError(f"{path} is not a Delius CSV written by Probation Diary")
    if not rows or tuple(rows[0]) != delius.HEADERS:
        raise DiaryError(f"{path} is not a Delius CSV written by Probation Diary (its header row differs)")
    ids = []
    for number, row in enumerate(rows[1:], start=2):
        try:
            ids.append(parse_ref(row[-1] if row else ""))
        except ValueError:
            raise DiaryError(f"line {number} of {path} has no diary reference; nothing was marked")
    return ids


def cmd_mark_entered_file(diary: Diary, args) -> int:
    """Mark every row of an exported CSV as entered in Delius, except rows whose entry has
    changed since (its row in the file is out of date and must be keyed again)."""
    ids = list(dict.fromkeys(refs_in_file(args.file)))
    ready, stale, missing = [], [], []
    for entry_id in ids:
        entry = diary.get_entry(entry_id)
        if entry is None:
            missing.append(format_ref(entry_id))
        elif entry.delius_status == CHANGED:
            stale.append(entry.ref)
        elif entry.delius_status != ENTERED:
            ready.append(entry_id)
    if ready:
        diary.set_delius_status(ready, ENTERED)
    print(f"Marked {_plural(len(ready), 'entry', 'entries')} as entered in Delius")
    for ref in stale:
        print(f"  {ref}: changed since it was exported; not marked. Export it again and key the new row")
    for ref in missing:
        print(f"  {ref}: no longer in the diary; not marked")
    return 1 if stale or missing else 0


def register(sub, common, commands) -> None:
    """Add this module's subcommands to the command-line parser (export-delius lives in cli.py)."""
    p = sub.add_parser("mark-entered-file", parents=[common],
                       help="mark every row of an exported Delius CSV as entered in nDelius")
    p.add_argument("file", help="a CSV written by export-delius")
    commands["mark-entered-file"] = cmd_mark_entered_file
