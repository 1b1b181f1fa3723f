"""The window shows what the command line saved to the same diary, without being asked."""

from __future__ import annotations


def test_an_entry_added_by_the_command_line_appears_in_the_window(window, run_cli, qtbot):
    from probation_diary.core.model import parse_ref

    result = run_cli("add", "--type", "Team meeting", "--start", "2026-11-18 14:00", "--end", "2026-11-18 15:00")
    assert result.code == 0, result
    added = parse_ref(result.out.split()[-1])
    assert added not in window._entries
    qtbot.waitUntil(lambda: added in window._entries, timeout=5000)


def test_settings_changed_elsewhere_are_read_again(window, run_cli, qtbot):
    assert window.diary.settings().contracted_hours == 37
    assert run_cli("settings", "set", "contracted_hours", "30").code == 0
    qtbot.waitUntil(lambda: window.diary.settings().contracted_hours == 30, timeout=5000)


def test_its_own_saves_are_not_counted_as_changes_elsewhere(window, make_entry):
    window.diary.changed_elsewhere()
    window.save_new(make_entry("COAP", "2026-11-18 10:00", 60, crn="X123456"))
    assert not window.diary.changed_elsewhere()


def test_the_window_timers_do_nothing_once_the_diary_is_closed(window, diary):
    diary.close()
    window._minute_passed()  # raised "Cannot operate on a closed database" before
    window._check_elsewhere()
