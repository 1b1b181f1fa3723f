"""The caseload: each person's last face-to-face contact and time spent with them.

Qt-free. Time per person comes from the week summaries (the same rules as the time split:
an appointment counts only once attended, overlaps are counted once); the last face-to-face
contact follows the same outcome rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .clock import Week


@dataclass(frozen=True)
class CaseloadRow:
    crn: str
    name: str
    last_face_to_face: dt.datetime | None  # UTC
    week_minutes: int
    four_week_minutes: int
    week_face_to_face_minutes: int = 0  # of week_minutes, face to face (spec: per person, both)


def caseload(diary, week: Week, now: dt.datetime) -> list[CaseloadRow]:
    """Everyone in the diary, with time in ``week`` and in the four weeks ending with it."""
    weeks = [week]
    for _ in range(3):
        weeks.append(weeks[-1].previous())
    this_week: dict[str, int] = {}
    face_to_face: dict[str, int] = {}
    four: dict[str, int] = {}
    for i, w in enumerate(weeks):
        for p in diary.week_summary(w, now).per_person:
            four[p.crn] = four.get(p.crn, 0) + p.total_minutes
            if i == 0:
                this_week[p.crn] = p.total_minutes
                face_to_face[p.crn] = p.face_to_face_minutes
    # One index walk per person, newest first, stopping at the first contact that counts: fast
    # however long the diary's history is.
    last = {}
    for person in diary.people():
        start = diary.last_face_to_face(person.crn, now, inclusive=True)
        if start is not None:
            last[person.crn] = start
    return [
        CaseloadRow(p.crn, p.name, last.get(p.crn), this_week.get(p.crn, 0), four.get(p.crn, 0),
                    face_to_face.get(p.crn, 0))
        for p in diary.people()
    ]
