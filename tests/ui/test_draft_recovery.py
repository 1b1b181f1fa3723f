"""Note drafts left by a crash are offered back when the window opens (issue 6)."""

from __future__ import annotations


from probation_diary.ui.mainwindow import MainWindow

SECRET = "talked about the new flat on Elm Road"


def _draft(diary, start="2026-11-18", **kw):
    data = {"type": "COAP", "crn": "X123456", "start_date": start, "start_time": "10:00",
            "end_time": "11:00", "notes": SECRET, **kw}
    return data


def test_a_new_entry_draft_is_offered_and_opens_restored(qtbot, diary, fake_dialogs):
    diary.set_settings({"contracted_hours": "37"})
    diary.save_draft("editor:new", _draft(diary), None)
    seen = {}

    def save(editor):
        seen["notes"] = editor.notes.toPlainText()
        seen["crn"] = editor.crn_edit.text()
        editor.save()
        return editor.result()

    fake_dialogs.on_exec = save
    win = MainWindow(diary)
    qtbot.addWidget(win)
    assert win.drafts_bar.isVisibleTo(win)
    text = win.drafts_label.text()
    assert "new entry" in text and "Unsaved notes from" in text
    assert SECRET not in text and SECRET not in win.windowTitle()
    saved = win.open_draft()
    assert seen == {"notes": SECRET, "crn": "X123456"}
    assert saved is not None and saved.notes == SECRET
    assert not win.editor_drafts()  # saving cleared the draft
    assert not win.drafts_bar.isVisibleTo(win)


def test_an_edit_draft_names_the_entry_and_discard_removes_it(qtbot, diary, make_entry, fake_dialogs):
    diary.set_settings({"contracted_hours": "37"})
    entry = diary.add_entry(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    diary.save_draft(f"editor:{entry.ref}", _draft(diary), entry.id)
    diary.save_draft("other:thing", {"x": 1}, None)  # not the editor's: never offered
    win = MainWindow(diary)
    qtbot.addWidget(win)
    assert entry.ref in win.drafts_label.text()
    assert SECRET not in win.drafts_label.text()
    win.drafts_discard_button.click()
    assert not win.editor_drafts()
    assert not win.drafts_bar.isVisibleTo(win)
    assert [d["key"] for d in diary.drafts()] == ["other:thing"]


def test_no_bar_without_drafts(window):
    assert not window.drafts_bar.isVisibleTo(window)
