"""Encryption, backups, history, bin and retention on the command line. Qt-free.

The passphrase comes from $PROBATION_DIARY_PASSPHRASE, else a getpass prompt on a terminal.
With neither: an encrypted diary fails with one clear line; an unencrypted one opens as it is;
a new diary is created unencrypted with a loud warning (scripted use keeps working). The global
--unencrypted flag creates or opens without encryption, silently.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from ..store import security
from ..core import clock
from ..core.model import parse_ref
from ..store.diary import DamagedDiaryError, Diary, DiaryError, default_path
from .common import PROG, warn



def _ask(prompt: str) -> str:
    import getpass  # (with termios) only when a passphrase is typed

    return getpass.getpass(prompt)


def _interactive() -> bool:
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _env_passphrase(name: str = security.ENV_PASSPHRASE) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def ask_new_passphrase(what: str = "the diary") -> str | None:
    """A new passphrase: from the environment, else asked twice on a terminal (with the
    strength check), else None."""
    value = _env_passphrase(security.ENV_NEW_PASSPHRASE) or _env_passphrase()
    if value is not None:
        problems = security.passphrase_problems(value)
        if problems:
            raise DiaryError(problems[0])
        return value
    if not _interactive():
        return None
    print(security.LOST_PASSPHRASE_WARNING, file=sys.stderr)
    while True:
        first = _ask(f"New passphrase for {what}: ")
        problems = security.passphrase_problems(first)
        if problems:
            print(f"{PROG}: {problems[0]}", file=sys.stderr)
            continue
        if _ask("Type it again: ") != first:
            print(f"{PROG}: the two did not match; try again", file=sys.stderr)
            continue
        return first


def open_for_cli(path, args, *, check: bool | None = None, reading: bool = False) -> Diary:
    """Open the diary for a command, following the passphrase rules above. What the user
    should hear about the file (a leftover copy removed, a missing journal) is printed as a
    warning; a write that has to wait for another copy says so; a damaged diary names the
    newest good backup. `check` is Diary.open's (False for a command that only reads: issue 18)."""
    target = Path(path).expanduser() if path is not None else default_path()
    try:
        diary = _open_for_cli(target, args, check, reading)
    except DamagedDiaryError as exc:
        raise DamagedDiaryError(f"{exc}. {_newest_good_words(target)}") from None
    for notice in getattr(diary, "notices", []):
        warn(notice)
    diary.on_busy = warn
    return diary


def _newest_good_words(target: Path) -> str:
    from ..store import backup

    try:
        good = backup.newest_good_backup(target, _env_passphrase())
    except Exception:  # a backup that cannot even be read is not a good one
        good = None
    if good is None:
        return f"No good backup was found in {backup.backup_dir(target)}"
    return (f"The newest good backup is {good.path} ({good.label}); `{PROG} restore {good.path}` "
            "puts it in place and keeps the damaged file beside it")


def _open_for_cli(target: Path, args, check: bool | None = None, reading: bool = False) -> Diary:
    unencrypted = bool(getattr(args, "unencrypted", False))
    state = security.file_state(target) if not target.is_dir() else "plain"
    passphrase = _env_passphrase()
    if state in ("missing", "empty"):
        if unencrypted:
            return Diary.open(target)
        if passphrase is None and _interactive():
            passphrase = ask_new_passphrase("the new diary")
        if passphrase is None:
            diary = Diary.open(target)
            _warn_at_first_write(diary, target)
            return diary
        problems = security.passphrase_problems(passphrase)
        if problems:
            raise DiaryError(f"{problems[0]}; the diary was not created")
        return Diary.open(target, passphrase=passphrase)
    if state == "other":
        return Diary.open(target)  # refused with "not a Probation Diary file", untouched
    if state == "plain":
        if passphrase is not None and not unencrypted:
            warn(f"this diary is NOT encrypted; run `{PROG} encrypt` to encrypt it")
        return Diary.open(target, check=check, reading=reading)
    # encrypted (or not a diary at all)
    if passphrase is None and _interactive():
        passphrase = _ask(f"Passphrase for {target}: ") or None
    if passphrase is None:
        raise DiaryError(
            f"{target} is encrypted: set {security.ENV_PASSPHRASE} or run this on a terminal to be asked "
            "(or it is not a diary file)")
    return Diary.open(target, passphrase=passphrase, check=check, reading=reading)


def _warn_at_first_write(diary: Diary, target: Path) -> None:
    """The loud warning for a diary created without encryption, printed once, when the first
    thing is saved into it (a command that fails before saving anything stays one line)."""
    def listener(what: str) -> None:
        diary.listeners.remove(listener)
        warn(f"created an UNENCRYPTED diary at {target}; set {security.ENV_PASSPHRASE} before creating "
              f"one, or run `{PROG} encrypt`")

    diary.listeners.append(listener)


# --- commands -------------------------------------------------------------------------------

def cmd_backup(diary: Diary, args) -> int:
    from ..store import backup

    made = backup.make_backup(diary)
    print(f"Backed up to {made.path}" + ("" if diary.encrypted else " (NOT encrypted, like the diary)"))
    return 0


def cmd_backups(diary: Diary, args) -> int:
    from ..store import backup

    found = backup.list_backups(diary.path)
    for b in found:
        print(f"{b.label:<36}{b.path}")
    print(f"{len(found)} backup{'' if len(found) == 1 else 's'} in {backup.backup_dir(diary.path)}")
    return 0


def cmd_restore(diary: Diary | None, args) -> int:
    """Restore a backup. A diary too damaged to open (or empty) is not opened: after the
    backup is checked, it is put in place and the damaged file is kept beside it, unchanged."""
    from ..store import backup
    from ..store.opening import refuse_if_shared

    old_pass = _env_passphrase("PROBATION_DIARY_BACKUP_PASSPHRASE")
    target = Path(getattr(args, "db", None) or default_path()).expanduser()
    try:
        diary = open_for_cli(target, args)
    except DamagedDiaryError:
        chosen = Path(args.file)
        passphrase = _env_passphrase()
        if not chosen.is_file():
            raise DiaryError(f"there is no backup at {chosen}")
        refuse_if_shared(target, "restored")
        if not backup.backup_is_good(chosen, passphrase):
            raise DiaryError(f"{chosen} is not a good backup of this diary (it does not open with this "
                             "passphrase or fails its check); nothing was changed")
        aside = backup.recover_from_backup(target, backup.Backup(chosen, clock.now_utc()))
        print(f"Restored {chosen}. The damaged diary was kept, unchanged, as {aside}")
        return 0
    try:
        undo = backup.restore(diary, Path(args.file), backup_passphrase=old_pass)
    finally:
        diary.close()
    print(f"Restored {args.file}. The diary as it was is in {undo.path}; restore that to undo")
    return 0


cmd_restore.needs_diary = False


def cmd_encrypt(diary: Diary, args) -> int:
    if diary.encrypted:
        raise DiaryError("this diary is already encrypted (use change-passphrase to change the passphrase)")
    passphrase = ask_new_passphrase()
    if passphrase is None:
        raise DiaryError(f"give the new passphrase in {security.ENV_PASSPHRASE}, or run this on a terminal")
    security.encrypt_in_place(diary, passphrase)
    print("The diary is now encrypted. Backups made from now on are encrypted too; "
          "delete the older, unencrypted ones in the backups folder when you have checked it opens")
    return 0


def cmd_change_passphrase(diary: Diary, args) -> int:
    if not diary.encrypted:
        raise DiaryError(f"this diary is not encrypted; use `{PROG} encrypt`")
    new = _env_passphrase(security.ENV_NEW_PASSPHRASE)
    if new is None and _interactive():
        new = ask_new_passphrase()
    if new is None:
        raise DiaryError(f"give the new passphrase in {security.ENV_NEW_PASSPHRASE}, or run this on a terminal")
    security.rekey(diary, new)
    print("Passphrase changed. Backups made before now still open with the old passphrase")
    return 0


def cmd_bin(diary: Diary, args) -> int:
    diary.purge_bin()  # over 30 days in the bin: gone for good
    rows = diary.binned()
    for when, e in rows:
        local = clock.to_local(e.start)
        print(f"{e.ref}  {local:%a %d/%m/%Y %H:%M}  deleted {clock.to_local(when):%d/%m/%Y %H:%M}")
    print(f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'} in the bin (kept for 30 days)")
    return 0


def cmd_undelete(diary: Diary, args) -> int:
    entry = diary.undelete(parse_ref(args.ref))
    print(f"Recovered {entry.ref}")
    return 0


def cmd_history(diary: Diary, args) -> int:
    entry_id = parse_ref(args.ref)
    current = diary.get_entry(entry_id)
    versions = diary.history(entry_id)
    if current is None and not versions:
        raise DiaryError(f"{args.ref.upper()} is not in the diary")
    ref = diary.reference()
    fields = ("type_id", "start", "end", "crn", "outcome_code", "location_code", "notes", "delius_status")
    newer = current
    for when, old in versions:
        print(f"Changed {clock.to_local(when):%a %d/%m/%Y %H:%M}; before that:")
        for f in fields:
            value = getattr(old, f)
            if newer is not None and getattr(newer, f) == value:
                continue
            if f == "type_id":
                value = ref.types[value].label if value in ref.types else value
            elif isinstance(value, dt.datetime):
                value = f"{clock.to_local(value):%d/%m/%Y %H:%M}"
            print(f"  {f.replace('_id', '').replace('_code', '')}: {value}")
        newer = old
    if not versions:
        print(f"{args.ref.upper()} has not been changed since it was saved")
    return 0


def cmd_retention(diary: Diary, args) -> int:
    from ..core import retention
    from ..store.retention import plan as retention_plan

    days = retention.validate_days(args.days)
    plan = retention_plan(diary, days, clock.now_utc())  # in SQL (issue 18)
    print(plan.describe())
    if plan.empty:
        return 0
    if not args.yes:
        if not _interactive():
            print("Nothing was changed. Run again with --yes to remove it.")
            return 0
        answer = input("Remove it now? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing was changed")
            return 0
    diary.anonymise_entries(plan.ids)
    if args.keep:
        diary.set_area_setting(retention.SETTING_KEY, str(days))
    print(f"Removed the personal details from {len(plan.ids)} entr{'y' if len(plan.ids) == 1 else 'ies'}")
    return 0


def register(sub, common, commands) -> None:
    """Add subcommands: sub.add_parser(name, parents=[common], ...); commands[name] = fn(diary, args) -> int."""
    sub.add_parser("backup", parents=[common], help="make a backup now")
    sub.add_parser("backups", parents=[common], help="list the backups")
    p = sub.add_parser("restore", parents=[common], help="restore a backup (the current diary is backed up first)")
    p.add_argument("file", help="a backup file (see 'backups')")
    sub.add_parser("encrypt", parents=[common], help="encrypt an unencrypted diary in place")
    sub.add_parser("change-passphrase", parents=[common],
                   help=f"change the passphrase (new one from {security.ENV_NEW_PASSPHRASE} or asked)")
    sub.add_parser("bin", parents=[common], help="list deleted entries")
    p = sub.add_parser("undelete", parents=[common], help="recover an entry from the bin")
    p.add_argument("ref")
    p = sub.add_parser("history", parents=[common], help="earlier versions of an entry")
    p.add_argument("ref")
    p = sub.add_parser("retention", parents=[common],
                       help="remove personal details from entries entered in Delius over N days ago")
    p.add_argument("--days", default="90", help="age in days (default 90)")
    p.add_argument("--yes", action="store_true", help="do it without asking")
    p.add_argument("--keep", action="store_true", help="also keep this as the diary's policy")
    commands.update({
        "backup": cmd_backup, "backups": cmd_backups, "restore": cmd_restore, "encrypt": cmd_encrypt,
        "change-passphrase": cmd_change_passphrase, "bin": cmd_bin, "undelete": cmd_undelete,
        "history": cmd_history, "retention": cmd_retention,
    })
