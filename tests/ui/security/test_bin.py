"""The bin (Edit > Bin): each deleted entry is told apart, and recovering one is undoable."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from probation_diary.ui import commands


def _recover_first(fake_dialogs, seen):
    def choose(dlg):
        seen.extend(dlg.list.item(i).text() for i in range(dlg.list.count()))
        dlg._accept()
        return QDialog.DialogCode.Accepted
    fake_dialogs.on_exec = choose


def test_each_bin_row_says_what_the_entry_was(window, diary, make_entry, fake_dialogs):
    """Two entries deleted the same minute read 'PD-000001  Wed 18 Nov 2026 10:00 (deleted ...)'
    and 'PD-000002  ...': the type, the times and the CRN tell them apart."""
    a = diary.add_entry(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    b = diary.add_entry(make_entry("Travel", "2026-11-18 10:00", 30))
    diary.delete_entry(a.id)
    diary.delete_entry(b.id)
    seen: list[str] = []
    _recover_first(fake_dialogs, seen)
    window.security.show_bin()
    rows = {text.split()[0]: text for text in seen}
    assert "Planned office visit" in rows[a.ref] and "X123456" in rows[a.ref] and "10:00–11:00" in rows[a.ref]
    assert "Travel" in rows[b.ref] and "10:00–10:30" in rows[b.ref]


def test_recovering_from_the_bin_is_undoable(window, diary, make_entry, fake_dialogs):
    entry = diary.add_entry(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    commands.push(window.undo_stack, commands.DeleteEntriesCommand(diary, [entry.id]))
    assert diary.get_entry(entry.id) is None
    _recover_first(fake_dialogs, [])
    window.security.show_bin()
    assert diary.get_entry(entry.id) is not None
    assert window.undo_stack.undoText() == "Recover entry from the bin"
    window.undo_stack.undo()  # the recovery, not the delete before it
    assert diary.get_entry(entry.id) is None
    assert [e.id for _when, e in diary.binned()] == [entry.id]
    window.undo_stack.redo()
    assert diary.get_entry(entry.id) is not None and not diary.binned()
    window.undo_stack.undo()
    window.undo_stack.undo()  # and then the delete: the entry is back, once
    assert diary.get_entry(entry.id) is not None and not diary.binned()
