"""Command-line subcommands for evidence over time: report, trends, caseload, export-figures,
team-summary. Qt-free: import Qt nowhere on this path."""

from __future__ import annotations

import json
from pathlib import Path

from ..core import clock, evidence
from ..core.clock import Week, format_minutes
from ..core.timesplit import share_percent
from ..formats import figures
from .common import wrote


def register(sub, common, commands) -> None:
    """Add subcommands: sub.add_parser(name, parents=[common], ...); commands[name] = fn(diary, args) -> int."""
    p = sub.add_parser("report", parents=[common], help="the week's one-page report as PDF (anonymous unless --named)")
    p.add_argument("--week", help="any date in the week (default: this week)")
    p.add_argument("--pdf", required=True, metavar="FILE", help="where to save the PDF")
    p.add_argument("--named", action="store_true", help="add the per-person table (CRNs and names)")
    commands["report"] = cmd_report

    p = sub.add_parser("trends", parents=[common], help="the last 4, 12 or 52 weeks, with averages and medians")
    p.add_argument("--weeks", type=int, choices=evidence.TREND_LENGTHS, default=12)
    p.add_argument("--to", dest="date_to", help="any date in the last week (default: this week)")
    p.add_argument("--json", action="store_true")
    commands["trends"] = cmd_trends

    p = sub.add_parser("caseload", parents=[common], help="time per person over a period, and who has not been seen")
    p.add_argument("--from", dest="date_from", required=True)
    p.add_argument("--to", dest="date_to", required=True)
    p.add_argument("--not-seen-weeks", type=int, default=4, metavar="N",
                   help="highlight people not seen face to face for N weeks (default 4)")
    p.add_argument("--json", action="store_true")
    commands["caseload"] = cmd_caseload

    p = sub.add_parser("export-figures", parents=[common],
                       help="anonymised weekly figures (.csv or .json): no CRN, name or note")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--weeks", type=int, default=12, metavar="N",
                   help="how many weeks, ending with last week, the last complete one (default 12)")
    p.add_argument("--to", dest="date_to", help="any date in the last week to include (default: last week)")
    p.add_argument("--label", default="", help="a pseudonymous label for you, e.g. 'PO-3'")
    p.add_argument("--grade", default="", type=str.upper, choices=("", *evidence.GRADES))
    p.add_argument("--team", default="", help="a team code")
    commands["export-figures"] = cmd_export_figures

    p = sub.add_parser("team-summary", parents=[common], help="pool colleagues' anonymised figures files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--csv", metavar="OUT", help="also save the team table as CSV")
    commands["team-summary"] = cmd_team_summary


def _week(text: str | None) -> Week:
    return Week.containing(clock.parse_date(text) if text else clock.today_local())


def _table(header, rows) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    for row in [header] + rows:
        print("  ".join(str(v).rjust(w) if i else str(v).ljust(w)
                        for i, (v, w) in enumerate(zip(row, widths))).rstrip())


def _pct(share) -> str:
    return "-" if share is None else share_percent(share)


def _hours(minutes) -> str:
    return "-" if minutes is None else format_minutes(round(minutes))


# --- report ------------------------------------------------------------------------------

def cmd_report(diary, args) -> int:
    from ..formats import report_pdf

    out = Path(args.pdf)
    if out.suffix.lower() != ".pdf":
        raise ValueError(f"the report file must end in .pdf, not '{out.name}'")
    week = _week(args.week)
    now = clock.now_utc()
    summary = diary.week_summary(week, now)
    names = {p.crn: p.name for p in diary.people()} if args.named else None
    page = report_pdf.weekly_report(summary, named=args.named, names=names, generated=now)
    report_pdf.write_pdf(out, page)
    kind = "named" if args.named else "anonymous"
    wrote(f"Wrote the {kind} report for the week of {week.monday:%d/%m/%Y} to {out}", out)
    return 0


# --- trends ------------------------------------------------------------------------------

def cmd_trends(diary, args) -> int:
    now = clock.now_utc()
    trend = evidence.diary_trend(diary, args.weeks, last=_week(args.date_to) if args.date_to else None, now=now)
    if args.json:
        print(json.dumps(trend.to_json(), indent=2))
        return 0
    header = ["WEEK", "F2F", "DIRECT", "WORKED", "EXPECTED", "EXTRA", "UNLOGGED", "NOTE"]
    rows = []
    for w in trend.weeks:
        if w.before_diary:  # not part of the record: no figures
            rows.append([f"{w.week_start:%d/%m/%Y}", *["-"] * 6, w.status])
            continue
        note = w.status
        if w.planned_minutes:
            note += f" ({format_minutes(w.planned_minutes)} planned)"
        rows.append([f"{w.week_start:%d/%m/%Y}", _pct(w.face_to_face_share), _pct(w.direct_contact_share),
                     _hours(w.worked_minutes), _hours(w.expected_minutes), _hours(w.extra_minutes),
                     _hours(w.unlogged_minutes), note])
    st = trend.stats
    for name in ("average", "median"):
        rows.append([name.upper(), _pct(getattr(st["face_to_face_share"], name)),
                     _pct(getattr(st["direct_contact_share"], name)),
                     *(_hours(getattr(st[m], name)) for m in
                       ("worked_minutes", "expected_minutes", "extra_minutes", "unlogged_minutes")), ""])
    rows.append(["TOTAL", "", "", *(_hours(st[m].total) for m in
                                    ("worked_minutes", "expected_minutes", "extra_minutes", "unlogged_minutes")), ""])
    _table(header, rows)
    counted = st["face_to_face_share"].weeks
    print(f"{len(trend.weeks)} weeks; averages and medians over {counted} week(s) "
          "(not weeks of mostly absence, with no time logged, still in progress or before the diary started)")
    return 0


# --- caseload ------------------------------------------------------------------------------

def cmd_caseload(diary, args) -> int:
    first, last = clock.parse_date(args.date_from), clock.parse_date(args.date_to)
    spread = evidence.caseload_spread(diary, first, last, not_seen_weeks=args.not_seen_weeks)
    if args.json:
        print(json.dumps(spread.to_json(), indent=2))
        return 0
    rows = [[p.crn, _hours(p.face_to_face_minutes), _hours(p.total_minutes),
             f"{p.last_face_to_face:%d/%m/%Y}" if p.last_face_to_face else "never",
             "NOT SEEN" if p.not_seen else ""] for p in spread.people]
    _table(["CRN", "FACE TO FACE", "TOTAL", "LAST SEEN", ""], rows)
    print(f"{len(spread.people)} people from {first:%d/%m/%Y} to {last:%d/%m/%Y}; "
          f"{spread.not_seen_count} not seen face to face for {spread.not_seen_weeks} weeks or more "
          f"(at {spread.today:%d/%m/%Y})")
    top = len(spread.top_people)
    print(f"Concentration: {_pct(spread.concentration)} of face-to-face time went to the top {top} "
          f"{'person' if top == 1 else 'people'}")
    return 0


# --- anonymised figures ------------------------------------------------------------------------

def cmd_export_figures(diary, args) -> int:
    if args.weeks < 1 or args.weeks > 520:
        raise ValueError("--weeks must be from 1 to 520")
    who = evidence.Practitioner(args.label, args.grade, args.team).checked()
    last = _week(args.date_to) if args.date_to else _week(None).previous()
    weeks = evidence.diary_figures(diary, args.weeks, last=last)
    figures.write_figures(args.out, weeks, who)
    wrote(f"Wrote {len(weeks)} weeks of anonymised figures to {args.out}", args.out)
    return 0


# --- team ------------------------------------------------------------------------------

def cmd_team_summary(diary, args) -> int:
    team = evidence.Team()
    for name in args.files:
        figures.add_file(team, name)  # EvidenceError (a ValueError) names the file and the problem
    if args.csv:
        figures.write_team_csv(team, args.csv)
    if args.json:
        print(json.dumps(team.to_json(), indent=2))
        return 0
    rows = []
    for w in team.weeks():
        q = w.quantiles() or (None,) * 5
        rows.append([f"{w.week_start:%d/%m/%Y}", w.practitioners, w.counted, _pct(w.team_share), _pct(q[2]),
                     _pct(q[0]), _pct(q[1]), _pct(q[3]), _pct(q[4]), _hours(w.extra_minutes)])
    _table(["WEEK", "PEOPLE", "COUNTED", "TEAM F2F", "MEDIAN", "MIN", "Q1", "Q3", "MAX", "EXTRA"], rows)
    print(f"{len(team.labels)} practitioner(s): {', '.join(team.labels)}")
    for label, monday, old, new in team.replaced:
        print(f"{label}, week of {monday:%d/%m/%Y}: figures from {new} replace those from {old}")
    if args.csv:
        print(f"Saved the team table to {args.csv}")
    return 0


cmd_team_summary.needs_diary = False  # it reads colleagues' files, never a diary
# these write nothing to the diary (finished weeks' figures are cached only where it can be
# written): they still read it on a full disk
cmd_report.reads_only = cmd_trends.reads_only = cmd_caseload.reads_only = cmd_export_figures.reads_only = True
