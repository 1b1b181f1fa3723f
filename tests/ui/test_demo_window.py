"""Choosing the demo on the first-run screen opens a second window on a separate demo diary."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from probation_diary.ui.mainwindow import DEMO_TITLE, MainWindow


def test_demo_opens_a_separate_window_and_leaves_the_diary_alone(qtbot, diary, fake_dialogs):
    def choose_demo(dlg):
        dlg.choose_demo()
        return int(QDialog.DialogCode.Accepted)

    fake_dialogs.on_exec = choose_demo
    win = MainWindow(diary)
    qtbot.addWidget(win)
    assert win.maybe_first_run()
    demo = win.demo_window
    assert demo is not None and demo is not win
    assert demo.isVisible()
    assert demo.windowTitle() == DEMO_TITLE
    assert demo.diary is not diary and demo.diary.path is None
    assert demo.diary.count_entries() > 0  # the fictional week
    assert len(demo.week_view.entries) > 0
    assert not hasattr(demo, "security")  # no lock or backups for an in-memory demo
    # the user's own diary is untouched, so the first-run screen comes back next time
    assert diary.count_entries() == 0
    assert not diary.has_setting("contracted_hours")
    assert DEMO_TITLE not in win.windowTitle()
    demo.close()
    qtbot.waitUntil(lambda: win.demo_window is None)


def test_starting_the_diary_opens_no_demo(qtbot, diary, fake_dialogs):
    def start(dlg):
        assert dlg.start()
        return int(QDialog.DialogCode.Accepted)

    fake_dialogs.on_exec = start
    win = MainWindow(diary)
    qtbot.addWidget(win)
    assert win.maybe_first_run()
    assert win.demo_window is None
    assert diary.has_setting("contracted_hours")
