"""Issue 15 item 8: the welcome screen comes back until it is completed or dismissed, and the
demo window has "Back to my diary"."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from probation_diary.ui.mainwindow import MainWindow
from probation_diary.ui.settings.firstrun import FirstRunDialog


def welcomes(fake_dialogs):
    return [d for d in fake_dialogs.executed if isinstance(d, FirstRunDialog)]


def test_after_the_demo_the_welcome_comes_back(qtbot, diary, fake_dialogs):
    answers = ["demo", "later", "dismiss", "later"]

    def answer(dlg):
        what = answers.pop(0)
        if what == "demo":
            dlg.choose_demo()
            return int(QDialog.DialogCode.Accepted)
        if what == "dismiss":
            dlg.dismiss()
            return int(QDialog.DialogCode.Accepted)
        return int(QDialog.DialogCode.Rejected)  # Not now

    fake_dialogs.on_exec = answer
    win = MainWindow(diary)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.maybe_first_run()
    demo = win.demo_window
    assert demo.back_action.text() == "&Back to my diary"
    assert demo.back_action in demo.toolbar.actions()
    demo.back_action.trigger()
    qtbot.waitUntil(lambda: win.demo_window is None)
    qtbot.waitUntil(lambda: len(welcomes(fake_dialogs)) == 2)  # offered again on the way back
    assert "37 hours" in win.statusBar().currentMessage()  # it says what the diary counts meanwhile
    assert win.maybe_first_run()  # "Not now": next start offers it again
    assert len(welcomes(fake_dialogs)) == 3
    assert not win.maybe_first_run()  # dismissed: never again
    assert len(welcomes(fake_dialogs)) == 3
    assert win.maybe_first_run(force=True)  # but Help > Welcome screen still has it
    fake_dialogs.on_exec = None


def test_completed_welcome_is_not_offered_again(qtbot, diary, fake_dialogs):
    def start(dlg):
        assert dlg.start()
        return int(QDialog.DialogCode.Accepted)

    fake_dialogs.on_exec = start
    win = MainWindow(diary)
    qtbot.addWidget(win)
    assert win.maybe_first_run()
    assert not win.maybe_first_run()
    assert "welcome_action" in vars(win)
