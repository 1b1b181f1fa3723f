"""The window's retention policy plans with the store's SQL plan, the one the command line's
`retention` uses (issue 18): the same entries, the same words, and no Entry read per row."""

from __future__ import annotations

from builders import add
from probation_diary.core import retention
from probation_diary.core.clock import now_utc
from probation_diary.core.model import ENTERED, EXPORTED
from probation_diary.store.diary import Diary


def _fill(diary) -> dict[str, int]:
    ids = {
        "full": add(diary, "COAP", "2026-06-15 10:00", "2026-06-15 11:00", crn="X123456", outcome="ATTC",
                    notes="private").id,
        "crn only": add(diary, "COAP", "2026-06-16 10:00", "2026-06-16 11:00", crn="X654321", outcome="ATTC").id,
        "note only": add(diary, "Travel", "2026-05-02 09:00", "2026-05-02 10:00", notes="to court").id,
        "nothing to remove": add(diary, "Travel", "2026-05-03 09:00", "2026-05-03 10:00").id,
        "recent": add(diary, "COAP", "2027-05-20 10:00", "2027-05-20 11:00", crn="X123456", outcome="ATTC",
                      notes="recent").id,
        "not entered": add(diary, "COAP", "2026-06-17 10:00", "2026-06-17 11:00", crn="X111111", outcome="ATTC",
                           notes="exported only").id,
    }
    diary.set_delius_status([i for k, i in ids.items() if k != "not entered"], ENTERED)
    diary.set_delius_status([ids["not entered"]], EXPORTED, file="x.csv")
    return ids


def test_the_windows_retention_plan_is_the_command_lines(window, diary, fake_dialogs, run_cli, fixed_now,
                                                          monkeypatch):
    ids = _fill(diary)
    fixed_now("2027-06-01 12:00")
    cli = run_cli("retention", "--days", "90")  # not a terminal: it says what it would remove, and stops
    assert cli.code == 0 and "Nothing was changed" in cli.out
    rule = retention.plan(diary.all_entries(), 90, now_utc())  # the rules, over every entry
    assert sorted(rule.ids) == sorted(ids[k] for k in ("full", "crn only", "note only"))

    def every_entry(self):
        raise AssertionError("the window planned over every entry")

    monkeypatch.setattr(Diary, "all_entries", every_entry)
    fake_dialogs.confirm = False
    assert window.security.apply_retention_policy(90) == 0
    assert len(fake_dialogs.questions) == 1
    assert cli.out.startswith(fake_dialogs.questions[0] + "\n")  # the same plan, in the same words
    assert fake_dialogs.questions[0] == rule.describe()
    held = {k: (diary.get_entry(i).notes, diary.get_entry(i).crn) for k, i in ids.items()}
    fake_dialogs.confirm = True
    assert window.security.apply_retention_policy(90) == 3
    for key, entry_id in ids.items():
        entry = diary.get_entry(entry_id)
        assert (entry.notes, entry.crn) == (("", None) if entry_id in rule.ids else held[key]), key
    assert window.security.apply_retention_policy(90) == 0  # nothing left to remove: not asked again
    assert len(fake_dialogs.questions) == 2
