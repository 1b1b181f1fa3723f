"""A demo diary: one realistic, entirely fictional week of a probation officer.

Every CRN is invented (all start with Z9, a made-up range) and people are known only by
made-up initials. Entries go through ``check_entry`` and ``diary.add_entry``, like any other.
The week gives a face-to-face share of about 23%, which is what practitioners report.
"""

from __future__ import annotations

import datetime as dt
from . import clock
from .validation import EntryDraft, check_entry

DEMO_PEOPLE = {
    "Z900101": "A.M.",
    "Z900102": "B.K.",
    "Z900103": "C.O.",
    "Z900104": "D.P.",
    "Z900105": "E.W.",
    "Z900106": "F.R.",
    "Z900107": "G.T.",
    "Z900108": "H.L.",
    "Z900109": "J.S.",
    "Z900110": "K.N.",
    "Z900111": "L.D.",
}

# (day offset from Monday, start, end, type, crn, outcome, notes, extra fields)
DEMO_WEEK: list[tuple] = [
    # Monday
    (0, "09:00", "10:00", "Email and correspondence", "", "", "Inbox and diary for the week", {}),
    (0, "10:00", "10:45", "COAP", "Z900101", "ATTC", "Reviewed licence conditions; job search going well", {}),
    (0, "11:00", "11:45", "COAP", "Z900102", "ATTC", "RAR session: thinking skills, part 3", {"rar": True}),
    (0, "11:45", "12:30", "Recording on Delius", "", "", "", {}),
    (0, "13:00", "14:00", "Team meeting", "", "", "Weekly allocation meeting", {}),
    (0, "14:00", "14:15", "CTOB", "Z900103", "", "Called to confirm Friday's appointment", {}),
    (0, "14:15", "16:45", "EOAS", "Z900103", "", "OASys review before sentence plan", {}),
    (0, "16:45", "17:15", "Recording on Delius", "", "", "", {}),
    # Tuesday
    (1, "08:45", "09:30", "Email and correspondence", "", "", "", {}),
    (1, "09:30", "10:00", "Recording on Delius", "", "", "", {}),
    (1, "10:00", "11:00", "COSR", "Z900104", "ATTC", "Pre-sentence report interview", {}),
    (1, "11:00", "12:30", "Report writing (PSR or parole)", "", "", "Pre-sentence report, first draft", {}),
    (1, "13:00", "13:30", "Travel", "", "", "Drive to home visit", {}),
    (1, "13:30", "14:30", "CHVS", "Z900105", "ATTC", "Home visit: address suitable, partner present",
     {"alert": True}),
    (1, "14:30", "15:00", "Travel", "", "", "Drive back to office", {}),
    (1, "15:00", "16:00", "Recording on Delius", "", "", "", {}),
    (1, "16:00", "17:00", "C204", "Z900105", "", "Information sharing with neighbourhood police",
     {"sensitive": True}),
    # Wednesday
    (2, "09:00", "09:30", "Email and correspondence", "", "", "", {}),
    (2, "09:30", "11:00", "CCMM", "Z900106", "", "MAPPA level 2 meeting", {"sensitive": True}),
    (2, "11:00", "12:00", "COAI", "Z900107", "ATTC", "Induction: expectations and licence explained", {}),
    (2, "12:00", "12:30", "Recording on Delius", "", "", "", {}),
    (2, "13:30", "14:15", "COAP", "Z900108", "AFTA", "Did not attend; no contact beforehand",
     {"enforcement": "EA02"}),
    (2, "14:15", "14:30", "CTOB", "Z900108", "", "Tried to call; left voicemail", {}),
    (2, "14:30", "15:00", "AWLI", "Z900108", "", "First warning letter for missed appointment", {}),
    (2, "15:00", "15:20", "COPT", "Z900101", "ATTC", "Planned phone check-in", {}),
    (2, "15:20", "17:00", "Report writing (PSR or parole)", "", "", "Pre-sentence report, final", {}),
    # Thursday
    (3, "09:00", "10:00", "Supervision with manager", "", "", "", {}),
    (3, "10:00", "10:50", "COAP", "Z900109", "ATTC", "Progress on accommodation and benefits", {}),
    (3, "11:00", "11:45", "COAP", "Z900110", "ATTC", "Discussed work placement", {}),
    (3, "11:45", "12:30", "Recording on Delius", "", "", "", {}),
    (3, "13:00", "14:00", "CSPR", "Z900110", "", "Sentence plan review", {}),
    (3, "14:00", "16:00", "Other absence", "", "", "Medical appointment", {}),
    (3, "16:00", "17:00", "Email and correspondence", "", "", "", {}),
    # Friday
    (4, "09:00", "09:45", "Recording on Delius", "", "", "", {}),
    (4, "10:00", "10:45", "COAP", "Z900103", "ATTC", "Sentence plan agreed", {}),
    (4, "11:00", "12:00", "C084", "Z900104", "ATTC", "Three-way meeting with drug service worker", {}),
    (4, "12:00", "12:30", "Recording on Delius", "", "", "", {}),
    (4, "13:00", "14:00", "Training or e-learning", "", "", "Safeguarding refresher (e-learning)", {}),
    (4, "14:00", "14:45", "COAP", "Z900111", "", "", {}),  # awaiting outcome
    (4, "15:00", "15:30", "C203", "Z900111", "", "Called GP surgery about medication review", {}),
    (4, "15:30", "16:30", "Recording on Delius", "", "", "", {}),
]


def build_demo_week(diary, monday: dt.date, *, now: dt.datetime | None = None) -> list:
    """Save the demo week starting on ``monday`` into ``diary``; returns the saved entries.

    Appointments that have not happened yet (relative to ``now``) are saved as booked, with
    no outcome, as they would be in a real diary."""
    if monday.weekday() != 0:
        raise ValueError(f"the demo week starts on a Monday; {monday:%A %d %B %Y} is not one")
    now = now or clock.now_utc()
    ref = diary.reference()
    for crn, initials in DEMO_PEOPLE.items():
        if diary.person(crn) is None:
            diary.save_person(crn, initials)
    saved = []
    for offset, start, end, type_text, crn, outcome, notes, extra in DEMO_WEEK:
        day = monday + dt.timedelta(days=offset)
        draft = EntryDraft(type=type_text, crn=crn, start_date=day.isoformat(), start_time=start,
                           end_time=end, outcome=outcome, notes=notes, **extra)
        begins = clock.local_to_utc(dt.datetime.combine(day, clock.parse_time(start))).instant
        if begins > now:  # not happened yet: booked, no outcome
            draft.outcome = ""
            draft.enforcement = ""
        checked = check_entry(draft, ref, now)
        if not checked.ok:
            raise ValueError(f"the demo week cannot be made in this diary: {checked.first_error()}")
        saved.append(diary.add_entry(checked.entry))
    return saved
