"""One stand-in for probation_diary.ui.dialogs, shared by the GUI test folders: no real modal
dialog or file chooser ever runs, and each test can see what would have been shown."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from probation_diary.ui import dialogs


class FakeDialogs:
    def __init__(self):
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.questions: list[str] = []
        self.confirm = True
        self.executed: list[QDialog] = []
        self.handlers = []  # fn(dialog) -> int, used in turn
        self.open_file = None
        self.save_file = None
        self.save_calls: list[tuple] = []

    def exec_dialog(self, dialog):
        self.executed.append(dialog)
        if not self.handlers:
            return int(QDialog.DialogCode.Rejected)
        return self.handlers.pop(0)(dialog)

    def ask_confirmation(self, parent, text, **kw):
        self.questions.append(text)
        return self.confirm

    def choose_save_file(self, *args, **kwargs):
        self.save_calls.append(args)
        return self.save_file

    def install(self, monkeypatch) -> "FakeDialogs":
        monkeypatch.setattr(dialogs, "exec_dialog", self.exec_dialog)
        monkeypatch.setattr(dialogs, "show_error", lambda parent, text, **kw: self.errors.append(text))
        monkeypatch.setattr(dialogs, "show_info", lambda parent, text, **kw: self.infos.append(text))
        monkeypatch.setattr(dialogs, "ask_confirmation", self.ask_confirmation)
        monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: self.open_file)
        monkeypatch.setattr(dialogs, "choose_save_file", self.choose_save_file)
        return self
