"""Opening the diary for the window: one copy per diary file, then create, unlock or open it,
and offer the newest good backup when the file is damaged.

The dialogs (unlock.py) load only when one is shown: opening a plain diary does not pay for
their Qt classes before the window's first paint (issue 18).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...store import security
from ...store.diary import DamagedDiaryError, Diary, DiaryError, default_path
from .. import dialogs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

ACCEPTED = 1  # QDialog.DialogCode.Accepted, as dialogs.exec_dialog returns it


def open_diary_interactively(db_path=None, parent: QWidget | None = None, *,
                             listen: bool = True) -> Diary | None:
    """Open the diary for the window: single instance first, then create / unlock / open.
    Returns None if the user cancels, another copy has the file, or it cannot be opened (the
    user has been told why). With listen=False the caller starts the diary's
    ``instance_guard`` listening (the app: after its first paint)."""
    from .single_instance import SingleInstance

    path = Path(db_path).expanduser() if db_path else default_path()
    guard = SingleInstance(path)
    outcome = guard.acquire(listen=listen)
    if outcome == "forwarded":
        return None  # the running copy brings its window forward
    if outcome != "ok":
        dialogs.show_error(parent, outcome)
        return None
    try:
        diary = _open(path, parent)
    except BaseException:
        guard.release()
        raise
    if diary is None:
        guard.release()
        return None
    diary.instance_guard = guard
    return diary


def _sentence(exc: BaseException) -> str:
    text = str(exc).strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _open(path: Path, parent: QWidget | None) -> Diary | None:
    diary = _open_file(path, parent)
    if diary is not None:
        _tell_notices(diary, path, parent)
    return diary


def _tell_notices(diary: Diary, path: Path, parent: QWidget | None) -> None:
    """What the store found at open: a removed leftover copy is told; a missing journal
    (saves may be lost) offers the newest backup."""
    for notice in getattr(diary, "notices", []):
        from ...store import backup

        if "journal" in notice and backup.list_backups(path):
            newest = backup.newest_good_backup(path, diary._passphrase)
            if newest is not None and dialogs.ask_confirmation(
                    parent, _sentence(notice) + f"\n\nRestore the newest good backup, from {newest.label}? "
                    "The diary as it is now is backed up first.", confirm="Restore the backup"):
                try:
                    backup.restore(diary, newest.path)
                except DiaryError as exc:
                    dialogs.show_error(parent, f"Nothing was restored: {exc}")
            continue
        dialogs.show_info(parent, _sentence(notice))


def _has_backups(path: Path) -> bool:
    from ...store import backup  # loaded only on the paths that need it, not before every window

    return bool(backup.list_backups(path))


def _open_file(path: Path, parent: QWidget | None) -> Diary | None:
    state = security.file_state(path)
    if state == "empty" and _has_backups(path):
        # an empty file with backups is a damaged diary: never replaced by a fresh one
        try:
            Diary.open(path, create=False)
        except DamagedDiaryError as exc:
            return offer_backup(path, None, exc, parent)
    if state in ("missing", "empty"):
        from .unlock import CreateDiaryDialog

        dlg = CreateDiaryDialog(path, parent)
        if dialogs.exec_dialog(dlg) != ACCEPTED:
            return None
        try:
            diary = Diary.open(path, passphrase=dlg.passphrase())
        except DiaryError as exc:
            dialogs.show_error(parent, f"The diary could not be created: {exc}")
            return None
        from ...core import retention

        days = dlg.retention_policy()
        diary.set_area_setting(retention.ASKED_KEY, "yes")
        if days:
            diary.set_area_setting(retention.SETTING_KEY, str(days))
        return diary
    passphrase = None
    if state == "encrypted":
        from .unlock import UnlockDialog

        dlg = UnlockDialog(path, parent)
        if dialogs.exec_dialog(dlg) != ACCEPTED:
            if dlg.diary is not None:
                dlg.diary.close()
            return None
        if dlg.damaged is None:
            return dlg.diary
        passphrase, error = dlg.passphrase, dlg.damaged
    else:
        try:
            # reading=True: on a full or a read-only disk it still opens, for reading only (it says so)
            return Diary.open(path, create=False, reading=True)
        except DamagedDiaryError as exc:
            error = exc
        except DiaryError as exc:
            dialogs.show_error(parent, f"The diary could not be opened: {_sentence(exc)}")
            return None
        except Exception as exc:  # a damaged file must never crash the window
            error = DamagedDiaryError(f"{path} could not be read ({type(exc).__name__}); it was left untouched")
    return offer_backup(path, passphrase, error, parent)


def offer_backup(path: Path, passphrase: str | None, error: Exception, parent: QWidget | None) -> Diary | None:
    """The file is damaged or not a diary: it is not touched. Offer the newest good backup."""
    from ...store import backup

    good = backup.newest_good_backup(path, passphrase)
    if good is None:
        dialogs.show_error(parent, f"The diary could not be opened: {error}\n\nNo good backup was found "
                                   f"in {backup.backup_dir(path)}.")
        return None
    question = (f"The diary could not be opened: {error}\n\nThe newest good backup is from {good.label}. "
                "Put it in place of the damaged file? The damaged file is kept beside it, unchanged.")
    if not dialogs.ask_confirmation(parent, question, confirm="Use the backup"):
        return None
    backup.recover_from_backup(path, good)
    try:
        return Diary.open(path, passphrase=passphrase, create=False)
    except DiaryError as exc:
        dialogs.show_error(parent, f"The backup could not be opened either: {exc}")
        return None
