"""Stage 5: metadata — the title, and the values meta rules pull out of chrome lines.

- ``title``: the first kept line of an article's head that is shaped like a headline
  (short, no sentence-ending full stop, colon or comma).
- ``published``: dates such as ``0555 GMT January 08, 2020``, ``Jan. 8, 2020 5:55 pm``,
  ``08/01/2020``, ``2020-01-08T05:55Z`` parse to ISO 8601; a time given with a zone
  (GMT, UTC, Z, +03:00, ET...) keeps its offset, a date alone stays a date.
- ``byline`` and ``credit`` come straight from the rules' named group.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import regex

__all__ = ["is_title_like", "parse_date"]

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ZONES = {
    "gmt": 0,
    "utc": 0,
    "z": 0,
    "bst": 60,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "irst": 210,
    "ist": 330,
    "est": -300,
    "edt": -240,
    "et": -300,
    "cst": -360,
    "cdt": -300,
    "mst": -420,
    "mdt": -360,
    "pst": -480,
    "pdt": -420,
    "pt": -480,
    "jst": 540,
    "aest": 600,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ZONE = r"(?P<zone>" + "|".join(_ZONES) + r"|[+-]\d{2}:?\d{2})"
_TIME = (
    r"(?P<hour>\d{1,2})(?::?(?P<minute>\d{2}))(?::(?P<second>\d{2}))?\s*"
    r"(?P<ampm>[ap]\.?m\.?)?\s*" + _ZONE + r"?"
)
_DATE_FORMS = [
    # 2020-01-08, 2020-01-08T05:55:00Z, 2020-01-08 05:55 +03:00
    r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?:[T ]" + _TIME + r")?",
    # January 08, 2020 / Jan. 8 2020
    _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})",
    # 8 January 2020 / 8th Jan, 2020
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})",
    # 08/01/2020 or 08.01.2020 (day first, the common order outside the US)
    r"(?P<day>\d{1,2})[./](?P<mnum>\d{1,2})[./](?P<year>\d{4})",
]
_DATE_RES = [regex.compile(r"(?i)\b" + form + r"\b") for form in _DATE_FORMS]
_TIME_RE = regex.compile(r"(?i)(?<![\d/.-])" + _TIME + r"(?![\d/])")

# A headline: up to 30 words, no sentence-ending full stop / colon / comma / semicolon.
_TITLE_END = regex.compile(r"[.,;:]$")
_TITLE_MAX_WORDS = 30
_TITLE_MAX_CHARS = 250


def is_title_like(text: str) -> bool:
    """Is the line shaped like a headline?"""
    if len(text) > _TITLE_MAX_CHARS or text.count(" ") >= _TITLE_MAX_WORDS:
        return False
    if _ends_like_clause(text) and not text.endswith("..."):
        return False
    first = text[0]
    return first.isupper() or first.isdigit() or first in "\"'‘“«¿¡(["


def _ends_like_clause(text: str) -> bool:
    """``_TITLE_END.search(text)`` on the last character alone (``is_title_like`` is
    asked of every line; the regex scans the whole line), by the regex after a final
    newline, where ``$`` also matches before it."""
    if text.endswith("\n"):
        return bool(_TITLE_END.search(text))
    return text.endswith((".", ",", ";", ":"))


def _time_parts(found: regex.Match) -> tuple[int, int, int, str | None] | None:
    if ":" not in found.group(0) and not (found.group("zone") or found.group("ampm")):
        return None  # "0555" is a time only with a zone or am/pm after it
    hour, minute = int(found.group("hour")), int(found.group("minute") or 0)
    second = int(found.group("second") or 0)
    ampm = (found.group("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second, found.group("zone")


def _zone(zone: str) -> timezone:
    key = zone.lower()
    if key in _ZONES:
        return UTC if _ZONES[key] == 0 else timezone(timedelta(minutes=_ZONES[key]))
    sign = -1 if key[0] == "-" else 1
    digits = key[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def parse_date(text: str) -> str | None:
    """Parse a date (and time) from a dateline; ISO 8601 or None when there is none."""
    for pattern in _DATE_RES:
        found = pattern.search(text)
        if found:
            break
    else:
        return None
    parts = found.groupdict()
    month = _MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["mnum"])
    try:
        day = date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None
    time = _time_parts(found) if parts.get("hour") else None
    if time is None:
        rest = text[: found.start()] + " " + text[found.end() :]
        found_time = _TIME_RE.search(rest)
        time = _time_parts(found_time) if found_time else None
    if time is None:
        return day.isoformat()
    hour, minute, second, zone = time
    moment = datetime(day.year, day.month, day.day, hour, minute, second)
    if zone:
        moment = moment.replace(tzinfo=_zone(zone))
    return moment.isoformat()
