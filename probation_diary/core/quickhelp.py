"""What the quick-entry box says it reads (its tooltip). Apart from core.quickentry, so the box
can show it before the parser loads, at the first typed line (issue 18: first paint)."""

QUICK_SYNTAX_HELP = """\
Quick entry: type the details first, in any order, then your notes.
  type      a Delius code (CHVS, COAP, CTOB...), a label ("Team meeting"),
            or a short word: office, hv, doorstep, phone, video, text, letter,
            admin, recording, oasys, mappa, meeting, email, report, training,
            supervision, travel, leave, sick, toil
  CRN       one letter and six digits, e.g. X123456
  date      today, yesterday, tomorrow, mon..sun (the most recent such
            day), 2026-11-20, 20/11, 20/11/2026, +1w or -2d; no date means today
  time      a range 14:00-15:10 (22:00-01:00+1 ends the next day), or a
            start and a duration 14:00 45m, or just a duration (30m, 1h,
            1h30) meaning "ending now"
  outcome   an outcome code in capitals, e.g. ATTC or AFTA
Leave and sickness without a time are whole-day absences.
The first word that is none of these starts the notes.
Examples:
  CHVS X123456 14:00-15:10 discussed housing
  admin 30m Delius recording
  yesterday COAP X123456 10:00 45m ATTC
  leave fri"""
