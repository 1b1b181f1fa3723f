"""Windows time zones in calendar files: the zone names Outlook and Exchange write in TZID
(such as "GMT Standard Time") and the display names some exports use instead (such as
"(UTC-05:00) Eastern Time (US & Canada)"), mapped to tz database zones.

Windows zone names are mapped by icalendar's table (from CLDR windowsZones.xml). Display names
come from the same CLDR file (the comment above each zone, territory "001"); older spellings
("(GMT-05:00) ...", "(UTC) Dublin, ...", "US and Canada", "Kiev") are matched by the name after
the offset, and then by the first place named with the same offset.

Data: Unicode CLDR, common/supplemental/windowsZones.xml (Unicode License v3).
"""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# (display name, Windows zone name), in CLDR's order.
DISPLAY_NAMES: tuple[tuple[str, str], ...] = (
    ("(UTC-12:00) International Date Line West", "Dateline Standard Time"),
    ("(UTC-11:00) Coordinated Universal Time-11", "UTC-11"),
    ("(UTC-10:00) Aleutian Islands", "Aleutian Standard Time"),
    ("(UTC-10:00) Hawaii", "Hawaiian Standard Time"),
    ("(UTC-09:30) Marquesas Islands", "Marquesas Standard Time"),
    ("(UTC-09:00) Alaska", "Alaskan Standard Time"),
    ("(UTC-09:00) Coordinated Universal Time-09", "UTC-09"),
    ("(UTC-08:00) Baja California", "Pacific Standard Time (Mexico)"),
    ("(UTC-08:00) Coordinated Universal Time-08", "UTC-08"),
    ("(UTC-08:00) Pacific Time (US & Canada)", "Pacific Standard Time"),
    ("(UTC-07:00) Arizona", "US Mountain Standard Time"),
    ("(UTC-07:00) Chihuahua, La Paz, Mazatlan", "Mountain Standard Time (Mexico)"),
    ("(UTC-07:00) Mountain Time (US & Canada)", "Mountain Standard Time"),
    ("(UTC-07:00) Yukon", "Yukon Standard Time"),
    ("(UTC-06:00) Central America", "Central America Standard Time"),
    ("(UTC-06:00) Central Time (US & Canada)", "Central Standard Time"),
    ("(UTC-06:00) Easter Island", "Easter Island Standard Time"),
    ("(UTC-06:00) Guadalajara, Mexico City, Monterrey", "Central Standard Time (Mexico)"),
    ("(UTC-06:00) Saskatchewan", "Canada Central Standard Time"),
    ("(UTC-05:00) Bogota, Lima, Quito, Rio Branco", "SA Pacific Standard Time"),
    ("(UTC-05:00) Chetumal", "Eastern Standard Time (Mexico)"),
    ("(UTC-05:00) Eastern Time (US & Canada)", "Eastern Standard Time"),
    ("(UTC-05:00) Haiti", "Haiti Standard Time"),
    ("(UTC-05:00) Havana", "Cuba Standard Time"),
    ("(UTC-05:00) Indiana (East)", "US Eastern Standard Time"),
    ("(UTC-05:00) Turks and Caicos", "Turks And Caicos Standard Time"),
    ("(UTC-04:00) Asuncion", "Paraguay Standard Time"),
    ("(UTC-04:00) Atlantic Time (Canada)", "Atlantic Standard Time"),
    ("(UTC-04:00) Caracas", "Venezuela Standard Time"),
    ("(UTC-04:00) Cuiaba", "Central Brazilian Standard Time"),
    ("(UTC-04:00) Georgetown, La Paz, Manaus, San Juan", "SA Western Standard Time"),
    ("(UTC-04:00) Santiago", "Pacific SA Standard Time"),
    ("(UTC-03:30) Newfoundland", "Newfoundland Standard Time"),
    ("(UTC-03:00) Araguaina", "Tocantins Standard Time"),
    ("(UTC-03:00) Brasilia", "E. South America Standard Time"),
    ("(UTC-03:00) Cayenne, Fortaleza", "SA Eastern Standard Time"),
    ("(UTC-03:00) City of Buenos Aires", "Argentina Standard Time"),
    ("(UTC-03:00) Greenland", "Greenland Standard Time"),
    ("(UTC-03:00) Montevideo", "Montevideo Standard Time"),
    ("(UTC-03:00) Punta Arenas", "Magallanes Standard Time"),
    ("(UTC-03:00) Saint Pierre and Miquelon", "Saint Pierre Standard Time"),
    ("(UTC-03:00) Salvador", "Bahia Standard Time"),
    ("(UTC-02:00) Coordinated Universal Time-02", "UTC-02"),
    ("(UTC-01:00) Azores", "Azores Standard Time"),
    ("(UTC-01:00) Cabo Verde Is.", "Cape Verde Standard Time"),
    ("(UTC) Coordinated Universal Time", "UTC"),
    ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "GMT Standard Time"),
    ("(UTC+00:00) Monrovia, Reykjavik", "Greenwich Standard Time"),
    ("(UTC+00:00) Sao Tome", "Sao Tome Standard Time"),
    ("(UTC+01:00) Casablanca", "Morocco Standard Time"),
    ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "W. Europe Standard Time"),
    ("(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague", "Central Europe Standard Time"),
    ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Romance Standard Time"),
    ("(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb", "Central European Standard Time"),
    ("(UTC+01:00) West Central Africa", "W. Central Africa Standard Time"),
    ("(UTC+02:00) Amman", "Jordan Standard Time"),
    ("(UTC+02:00) Athens, Bucharest", "GTB Standard Time"),
    ("(UTC+02:00) Beirut", "Middle East Standard Time"),
    ("(UTC+02:00) Cairo", "Egypt Standard Time"),
    ("(UTC+02:00) Chisinau", "E. Europe Standard Time"),
    ("(UTC+02:00) Damascus", "Syria Standard Time"),
    ("(UTC+02:00) Gaza, Hebron", "West Bank Standard Time"),
    ("(UTC+02:00) Harare, Pretoria", "South Africa Standard Time"),
    ("(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius", "FLE Standard Time"),
    ("(UTC+02:00) Jerusalem", "Israel Standard Time"),
    ("(UTC+02:00) Juba", "South Sudan Standard Time"),
    ("(UTC+02:00) Kaliningrad", "Kaliningrad Standard Time"),
    ("(UTC+02:00) Khartoum", "Sudan Standard Time"),
    ("(UTC+02:00) Tripoli", "Libya Standard Time"),
    ("(UTC+02:00) Windhoek", "Namibia Standard Time"),
    ("(UTC+03:00) Baghdad", "Arabic Standard Time"),
    ("(UTC+03:00) Istanbul", "Turkey Standard Time"),
    ("(UTC+03:00) Kuwait, Riyadh", "Arab Standard Time"),
    ("(UTC+03:00) Minsk", "Belarus Standard Time"),
    ("(UTC+03:00) Moscow, St. Petersburg", "Russian Standard Time"),
    ("(UTC+03:00) Nairobi", "E. Africa Standard Time"),
    ("(UTC+03:30) Tehran", "Iran Standard Time"),
    ("(UTC+04:00) Abu Dhabi, Muscat", "Arabian Standard Time"),
    ("(UTC+04:00) Astrakhan, Ulyanovsk", "Astrakhan Standard Time"),
    ("(UTC+04:00) Baku", "Azerbaijan Standard Time"),
    ("(UTC+04:00) Izhevsk, Samara", "Russia Time Zone 3"),
    ("(UTC+04:00) Port Louis", "Mauritius Standard Time"),
    ("(UTC+04:00) Saratov", "Saratov Standard Time"),
    ("(UTC+04:00) Tbilisi", "Georgian Standard Time"),
    ("(UTC+04:00) Volgograd", "Volgograd Standard Time"),
    ("(UTC+04:00) Yerevan", "Caucasus Standard Time"),
    ("(UTC+04:30) Kabul", "Afghanistan Standard Time"),
    ("(UTC+05:00) Ashgabat, Tashkent", "West Asia Standard Time"),
    ("(UTC+05:00) Ekaterinburg", "Ekaterinburg Standard Time"),
    ("(UTC+05:00) Islamabad, Karachi", "Pakistan Standard Time"),
    ("(UTC+05:00) Qyzylorda", "Qyzylorda Standard Time"),
    ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "India Standard Time"),
    ("(UTC+05:30) Sri Jayawardenepura", "Sri Lanka Standard Time"),
    ("(UTC+05:45) Kathmandu", "Nepal Standard Time"),
    ("(UTC+06:00) Astana", "Central Asia Standard Time"),
    ("(UTC+06:00) Dhaka", "Bangladesh Standard Time"),
    ("(UTC+06:00) Omsk", "Omsk Standard Time"),
    ("(UTC+06:30) Yangon (Rangoon)", "Myanmar Standard Time"),
    ("(UTC+07:00) Bangkok, Hanoi, Jakarta", "SE Asia Standard Time"),
    ("(UTC+07:00) Barnaul, Gorno-Altaysk", "Altai Standard Time"),
    ("(UTC+07:00) Hovd", "W. Mongolia Standard Time"),
    ("(UTC+07:00) Krasnoyarsk", "North Asia Standard Time"),
    ("(UTC+07:00) Novosibirsk", "N. Central Asia Standard Time"),
    ("(UTC+07:00) Tomsk", "Tomsk Standard Time"),
    ("(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi", "China Standard Time"),
    ("(UTC+08:00) Irkutsk", "North Asia East Standard Time"),
    ("(UTC+08:00) Kuala Lumpur, Singapore", "Singapore Standard Time"),
    ("(UTC+08:00) Perth", "W. Australia Standard Time"),
    ("(UTC+08:00) Taipei", "Taipei Standard Time"),
    ("(UTC+08:00) Ulaanbaatar", "Ulaanbaatar Standard Time"),
    ("(UTC+08:45) Eucla", "Aus Central W. Standard Time"),
    ("(UTC+09:00) Chita", "Transbaikal Standard Time"),
    ("(UTC+09:00) Osaka, Sapporo, Tokyo", "Tokyo Standard Time"),
    ("(UTC+09:00) Pyongyang", "North Korea Standard Time"),
    ("(UTC+09:00) Seoul", "Korea Standard Time"),
    ("(UTC+09:00) Yakutsk", "Yakutsk Standard Time"),
    ("(UTC+09:30) Adelaide", "Cen. Australia Standard Time"),
    ("(UTC+09:30) Darwin", "AUS Central Standard Time"),
    ("(UTC+10:00) Brisbane", "E. Australia Standard Time"),
    ("(UTC+10:00) Canberra, Melbourne, Sydney", "AUS Eastern Standard Time"),
    ("(UTC+10:00) Guam, Port Moresby", "West Pacific Standard Time"),
    ("(UTC+10:00) Hobart", "Tasmania Standard Time"),
    ("(UTC+10:00) Vladivostok", "Vladivostok Standard Time"),
    ("(UTC+10:30) Lord Howe Island", "Lord Howe Standard Time"),
    ("(UTC+11:00) Bougainville Island", "Bougainville Standard Time"),
    ("(UTC+11:00) Chokurdakh", "Russia Time Zone 10"),
    ("(UTC+11:00) Magadan", "Magadan Standard Time"),
    ("(UTC+11:00) Norfolk Island", "Norfolk Standard Time"),
    ("(UTC+11:00) Sakhalin", "Sakhalin Standard Time"),
    ("(UTC+11:00) Solomon Is., New Caledonia", "Central Pacific Standard Time"),
    ("(UTC+12:00) Anadyr, Petropavlovsk-Kamchatsky", "Russia Time Zone 11"),
    ("(UTC+12:00) Auckland, Wellington", "New Zealand Standard Time"),
    ("(UTC+12:00) Coordinated Universal Time+12", "UTC+12"),
    ("(UTC+12:00) Fiji", "Fiji Standard Time"),
    ("(UTC+12:45) Chatham Islands", "Chatham Islands Standard Time"),
    ("(UTC+13:00) Coordinated Universal Time+13", "UTC+13"),
    ("(UTC+13:00) Nuku'alofa", "Tonga Standard Time"),
    ("(UTC+13:00) Samoa", "Samoa Standard Time"),
    ("(UTC+14:00) Kiritimati Island", "Line Islands Standard Time"),
)

# Windows zone names that CLDR maps to a zone with no DST history of its own.
EXTRA_WINDOWS = {"UTC": "Etc/UTC", "GMT": "Etc/UTC", "Z": "Etc/UTC"}

_OFFSET = re.compile(r"^\(\s*(?:UTC|GMT)\s*(?:([+\-\u2212\u2013])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)\s*(.*)$", re.I)


def _words(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("kiev", "kyiv")
    return " ".join(re.findall(r"[a-z0-9'.+\-]+|,", text)).replace(" ,", ",")


def _split(display: str) -> tuple[str, str] | None:
    """'(UTC-05:00) Eastern Time' -> ('-0500', 'eastern time'); None if no offset prefix."""
    match = _OFFSET.match(display.strip())
    if not match:
        return None
    sign, hours, minutes, name = match.groups()
    offset = "+0000" if not hours else f"{'-' if sign not in '+' else '+'}{int(hours):02d}{minutes or '00'}"
    name = name.split(" : ", 1)[-1] if " : " in name else name  # '(GMT) Greenwich Mean Time : Dublin, ...'
    return offset, _words(name)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    by_name: dict[str, str] = {}
    by_first_place: dict[tuple[str, str], str] = {}
    for display, windows in DISPLAY_NAMES:
        offset, name = _split(display)
        by_name.setdefault(name, windows)
        by_first_place.setdefault((offset, name.split(",")[0].split(" and ")[0].strip()), windows)
    by_name.setdefault("greenwich mean time", "GMT Standard Time")
    return by_name, by_first_place


def windows_zone_name(tzid: str) -> str | None:
    """The Windows zone name for a display name such as '(UTC-05:00) Eastern Time (US and
    Canada)'; None if it is not one."""
    parts = _split(tzid)
    if parts is None:
        return None
    offset, name = parts
    by_name, by_first_place = _tables()
    if name in by_name:
        return by_name[name]
    first = name.split(",")[0].split(" and ")[0].strip()
    return by_first_place.get((offset, first))


@lru_cache(maxsize=512)
def zone_for_tzid(tzid: str | None):
    """A tz database zone for a calendar's TZID: tz database names as they are (also with a
    vendor prefix such as /mozilla.org/20050126_1/Europe/London), Windows zone names and Windows
    display names mapped. None if the name is not known."""
    if not tzid:
        return None
    name = str(tzid).strip().strip('"').strip()
    candidates = [name]
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    if name in WINDOWS_TO_OLSON:
        candidates.append(WINDOWS_TO_OLSON[name])
    if name.upper() in EXTRA_WINDOWS:
        candidates.append(EXTRA_WINDOWS[name.upper()])
    windows = windows_zone_name(name)
    if windows:
        candidates.append(WINDOWS_TO_OLSON.get(windows) or EXTRA_WINDOWS.get(windows.upper(), ""))
    if "/" in name:  # '/mozilla.org/20050126_1/Europe/London' -> 'Europe/London'
        parts = [p for p in name.split("/") if p]
        candidates += ["/".join(parts[i:]) for i in range(1, len(parts))]
    for candidate in candidates:
        if not candidate or candidate.startswith("/") or ".." in candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return None
