"""One stand-in for probation_diary.ui.dialogs, for every GUI test: no real modal dialog or
file chooser ever runs, and each test can see what would have been shown."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from probation_diary.ui import dialogs


class FakeDialogs:
    def __init__(self):
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.questions: list[str] = []
        self.confirm = True  # the answer to every ask_confirmation
        self.executed: list[QDialog] = []
        self.handlers = []  # fn(dialog) -> int, used in turn
        self.on_exec = None  # fn(dialog) -> int, once the handlers are used up; else Rejected
        self.open_file = None
        self.save_file = None
        self.save_calls: list[tuple] = []

    def exec_dialog(self, dialog):
        self.executed.append(dialog)
        if self.handlers:
            return int(self.handlers.pop(0)(dialog))
        if self.on_exec is not None:
            return int(self.on_exec(dialog))
        return int(QDialog.DialogCode.Rejected)

    def ask_confirmation(self, parent, text, **kw):
        self.questions.append(text)
        return self.confirm

    def show_error(self, parent, text, **kw):
        self.errors.append(text)

    def show_info(self, parent, text, **kw):
        self.infos.append(text)

    def choose_save_file(self, *args, **kwargs):
        self.save_calls.append(args)
        return self.save_file

    def choose_open_file(self, *args, **kwargs):
        return self.open_file

    def install(self, monkeypatch) -> "FakeDialogs":
        for name in ("exec_dialog", "ask_confirmation", "show_error", "show_info",
                     "choose_save_file", "choose_open_file"):
            monkeypatch.setattr(dialogs, name, getattr(self, name))
        return self
