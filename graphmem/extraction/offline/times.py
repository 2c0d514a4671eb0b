"""The day a time expression names, read against the day it was said.

"in 2019", "May 2019", "last May", "last Saturday", "yesterday", "three years ago": each
names a past day (the first of the month or year when that is all it says). Expressions of
the future ("next month") and of recurring times ("every Monday") name nothing: a relation
they qualify is not known to hold from any day yet.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

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
_WEEKDAYS = {
    name: number
    for number, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_COUNTS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a few": 3, "several": 3,
}  # fmt: skip
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}

_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_COUNT = r"(?P<count>\d+|" + "|".join(sorted(_COUNTS, key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit>day|week|fortnight|month|year)s?"

_ABSOLUTE = (
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),
    re.compile(rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"),
    re.compile(rf"{_MONTH},?\s+(?:of\s+)?{_YEAR}"),
    re.compile(rf"(?<![\d-]){_YEAR}(?![\d-])"),
)
_AGO = re.compile(rf"{_COUNT}\s+{_UNIT}\s+ago")
_LAST_UNIT = re.compile(r"(?:last|past|previous)\s+(?P<unit>week|month|year|weekend)")
_WEEKDAY = re.compile(
    r"(?:(?:last|this\s+past|on)\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")(?:\s+night)?"
)
_BARE_MONTH = re.compile(rf"(?:(?:last|this\s+past|in|since)\s+)?{_MONTH}(?:\s+{_DAY})?")
_FUTURE = re.compile(r"\b(?:next|coming|upcoming|tomorrow|every|each|later|soon)\b")


def stated_day(text: str, said: date) -> date | None:
    """The past day `text` names, said on `said`; None when it names none.

    Example:
        >>> stated_day("last May", date(2023, 7, 1)), stated_day("yesterday", date(2023, 7, 1))
        (datetime.date(2023, 5, 1), datetime.date(2023, 6, 30))
    """
    text = re.sub(r"\s+", " ", text.casefold().strip())
    if _FUTURE.search(text):
        return None
    for reader in (_absolute, _relative, _weekday, _month):
        day = reader(text, said)
        if day is not None:
            return day if day <= said else None
    return None


def _absolute(text: str, said: date) -> date | None:
    for pattern in _ABSOLUTE:
        match = pattern.search(text)
        if match:
            found = match.groupdict()
            month = _MONTHS[found["month"]] if found.get("month") else 1
            return _day(int(found["year"]), month, int(found.get("day") or 1))
    return None


def _relative(text: str, said: date) -> date | None:
    if re.search(r"\b(?:today|tonight|this morning|this afternoon|this evening)\b", text):
        return said
    if re.search(r"\b(?:yesterday|last night)\b", text):
        return said - timedelta(days=1)
    match = _AGO.search(text)
    if match:
        count = match.group("count")
        return _back(said, _COUNTS.get(count) or int(count), match.group("unit"))
    match = _LAST_UNIT.search(text)
    if match:
        unit = match.group("unit")
        return _back(said, 1, "week" if unit == "weekend" else unit)
    return None


def _weekday(text: str, said: date) -> date | None:
    """The latest such weekday before the day it was said ("last Saturday")."""
    match = _WEEKDAY.search(text)
    if not match:
        return None
    days_back = (said.weekday() - _WEEKDAYS[match.group("weekday")]) % 7 or 7
    return said - timedelta(days=days_back)


def _month(text: str, said: date) -> date | None:
    """The latest such month before this one ("last May", "in May"): the past, as a
    statement of what happened reads it."""
    match = _BARE_MONTH.fullmatch(text) or _BARE_MONTH.search(text)
    if not match:
        return None
    month = _MONTHS[match.group("month")]
    year = said.year if month < said.month else said.year - 1
    if month == said.month and not text.startswith("last"):
        year = said.year
    return _day(year, month, int(match.group("day") or 1))


def _back(said: date, count: int, unit: str) -> date:
    if unit in _UNIT_DAYS:
        return said - timedelta(days=count * _UNIT_DAYS[unit])
    if unit == "month":
        months = said.year * 12 + said.month - 1 - count
        return date(months // 12, months % 12 + 1, 1)
    return date(said.year - count, 1, 1)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
