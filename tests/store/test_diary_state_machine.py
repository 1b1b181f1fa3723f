"""A stateful property test (issue 12): adds, edits, deletes, undeletes, imports, backups and
restores against a plain Python model of the entries. After every step the file must match the
model and pass PRAGMA integrity_check."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from builders import add
from probation_diary.core import clock
from probation_diary.core.model import Entry
from probation_diary.store import backup, security
from probation_diary.store.diary import Diary, import_entries

notes = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
days = st.integers(min_value=0, max_value=40)


class DiaryMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="pd-state-"))
        self.path = self.folder / "diary.db"
        self.diary = Diary.open(self.path)
        self.model: dict[int, tuple[str, dt.datetime]] = {}  # id -> (notes, start)
        self.binned: dict[int, tuple[str, dt.datetime]] = {}
        self.backups: list[tuple[Path, dict, dict]] = []
        self.tick = 0

    def _now(self):
        self.tick += 1
        return clock.local_to_utc(dt.datetime(2026, 11, 20, 9, 0) + dt.timedelta(seconds=self.tick)).instant

    @staticmethod
    def _start(day: int) -> str:
        return f"{dt.date(2026, 10, 1) + dt.timedelta(days=day)} 09:00"

    @rule(day=days, text=notes)
    def add_entry(self, day, text):
        start = self._start(day)
        end = start.replace("09:00", "09:45")
        entry = add(self.diary, "Travel", start, end, notes=text)
        self.model[entry.id] = (text, entry.start)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), text=notes)
    def edit_entry(self, data, text):
        entry_id = data.draw(st.sampled_from(sorted(self.model)))
        old = self.diary.get_entry(entry_id)
        self.diary.update_entry(old.with_changes(notes=text))
        self.model[entry_id] = (text, old.start)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete_entry(self, data):
        entry_id = data.draw(st.sampled_from(sorted(self.model)))
        self.diary.delete_entry(entry_id)
        self.binned[entry_id] = self.model.pop(entry_id)

    @precondition(lambda self: self.binned)
    @rule(data=st.data())
    def undelete_entry(self, data):
        entry_id = data.draw(st.sampled_from(sorted(self.binned)))
        self.diary.undelete(entry_id)
        self.model[entry_id] = self.binned.pop(entry_id)

    @rule(day=days, texts=st.lists(notes, min_size=1, max_size=3))
    def import_some(self, day, texts):
        ref = self.diary.reference()
        travel = next(t for t in ref.types.values() if t.label == "Travel")
        start = clock.local_to_utc(clock.parse_local_datetime(self._start(day))).instant
        entries = [Entry(type_id=travel.id, start=start, end=start + dt.timedelta(minutes=30), notes=t) for t in texts]
        for saved in import_entries(self.diary, entries, {}):
            self.model[saved.id] = (saved.notes, saved.start)

    @rule()
    def make_a_backup(self):
        made = backup.make_backup(self.diary, now=self._now(), thin_after=False)
        self.backups.append((made.path, dict(self.model), dict(self.binned)))

    @precondition(lambda self: self.backups)
    @rule(data=st.data())
    def restore_a_backup(self, data):
        path, model, binned = data.draw(st.sampled_from(self.backups))
        undo = backup.restore(self.diary, path, now=self._now())
        self.backups.append((undo.path, dict(self.model), dict(self.binned)))
        self.model, self.binned = dict(model), dict(binned)

    @invariant()
    def file_matches_the_model_and_passes_integrity_check(self):
        found = {e.id: (e.notes, e.start) for e in self.diary.all_entries()}
        assert found == self.model
        assert {e.id for _, e in self.diary.binned()} == set(self.binned)
        assert security.integrity_check(self.diary.db.conn) == []

    def teardown(self):
        self.diary.close()
        with Diary.open(self.path, create=False) as again:  # and after a reopen from the file
            assert {e.id: (e.notes, e.start) for e in again.all_entries()} == self.model
            assert again.integrity_check() == []
        shutil.rmtree(self.folder, ignore_errors=True)


DiaryMachine.TestCase.settings = settings(
    max_examples=6, stateful_step_count=8, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_diary_state_machine = DiaryMachine.TestCase
