"""Dates as analysts write them (EDTF), kept at the precision known and given ``xsd:date`` bounds.

An analyst writes ``2013-11-04``, ``2013-11``, ``2013``, ``201X`` (some year of the 2010s), ``XXXX-10-23``
(23 October, year unknown), ``2008~`` (about 2008), ``2013-11-04?`` (probably that day) or an interval
``2013-11-04/2013-11-05`` (``..`` for an open end, nothing for an unknown one). :func:`parse_date` turns
that into an :class:`AnalystDate`: the text as written, an RDF literal typed at the precision known, and
the earliest and latest days it can mean, which are what queries filter and sort on (rdflib compares a
``gYear`` with a ``date`` wrongly and silently, so typed values are for display, bounds for logic).

The ``edtf`` package parses and checks the text. Two things are done here on top of it:

- Only the forms above reach it. edtf 5.0.2 prints to stdout and raises ``TypeError`` or
  ``AttributeError`` on some malformed input (``../``, ``2013-1X``, ``../XXXX-10``), which must never
  happen while reading a million records; and it accepts EDTF features (seasons, sets, long years) that
  have no place in the graph.
- Day-of-month checks. edtf's grammar allows day 29 in every February (``2013-02-29``) and any day up to
  the month's longest for an unknown year (``XXXX-02-30``), so the calendar is checked here.

Parsing is cached: the same few thousand dates recur across a million records, and edtf takes milliseconds
for each.
"""

from __future__ import annotations

import calendar
import datetime
import enum
import functools
import re
from dataclasses import dataclass
from time import struct_time
from typing import Any

from edtf import (
    Date,
    EDTFParseException,
    PartialUnspecified,
    Season,
    UncertainOrApproximate,
    Unspecified,
    parse_edtf,
)
from rdflib import Literal

from atfgraph.namespaces import XSD


class DateError(ValueError):
    """A date cannot be read; the message quotes it and says what to write instead."""


class Precision(enum.Enum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"
    MONTH_DAY = "month-day"  # XXXX-10-23: the day and month, not the year
    MONTH_ONLY = "month-only"  # XXXX-10: the month, not the year
    INTERVAL = "interval"


@dataclass(frozen=True)
class AnalystDate:
    """One date as an analyst wrote it, read.

    ``value`` is typed at the precision known (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear``,
    ``xsd:gMonthDay``) and is None where XSD has no type for it (decade, century, month of an unknown
    year, interval). ``earliest`` and ``latest`` are None whenever the year is not known. An interval has
    ``start`` and ``end`` (None for an open or unknown end) and its flags are those of either side.
    """

    text: str
    precision: Precision
    value: Literal | None = None
    start: AnalystDate | None = None
    end: AnalystDate | None = None
    earliest: datetime.date | None = None
    latest: datetime.date | None = None
    approximate: bool = False
    uncertain: bool = False

    def literal_bounds(self) -> tuple[Literal | None, Literal | None]:
        """The earliest and latest days as ``xsd:date`` literals, None where not known."""
        return _date_literal(self.earliest), _date_literal(self.latest)


def parse_date(text: str | int | datetime.date) -> AnalystDate:
    """Read a date as an analyst wrote it.

    Takes EDTF text, or what a YAML loader makes of a date: a ``datetime.date`` for ``2013-11-04``, an
    int for ``2008``. Raises :class:`DateError` with a message for the analyst when it cannot be read.
    """
    return _parse_text(_as_text(text))


def ordered(a: AnalystDate, b: AnalystDate) -> bool:
    """Whether ``b`` can come after ``a``: False only when ``b`` surely ends before ``a`` begins.

    Unknown bounds give the benefit of the doubt, so a from/to check never fails on a vague date.
    """
    return a.earliest is None or b.latest is None or b.latest >= a.earliest


# English month names are spelt out rather than taken from calendar.month_name, which follows the locale.
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

_NO_YEAR_ZERO = "there is no year 0, and earlier years are not read"
_EXAMPLES = "write 2013-10-23, or XXXX-10-23 if the year is unknown"

# The forms atfgraph reads, one side of an interval at a time. This is a gate, not a parser: the values
# come from edtf. It keeps out what edtf crashes on and the EDTF features the graph has no use for.
_SIDE = re.compile(
    r"\d{4}(?:-\d{2}(?:-\d{2})?)?[~?%]?"  # 2013, 2013-11, 2013-11-04, each maybe qualified
    r"|\d{3}X[~?%]?|\d{2}XX[~?%]?"  # 201X, 20XX: a decade, a century
    r"|XXXX-\d{2}(?:-\d{2})?"  # XXXX-10-23, XXXX-10: year unknown (edtf rejects a qualifier here)
)
_OPEN_ENDS = ("..", "")  # ".." open, "" unknown, as EDTF writes them
_ISO_LIKE = re.compile(r"\d{4}(?:-\d{1,2}){0,2}")
_WITH_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}")
_DAY_FIRST = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{4}")
_SHORT_FIELDS = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_UNKNOWN_YEAR_QUALIFIED = re.compile(r"XXXX-\d{2}(?:-\d{2})?[~?%]")
_FIELDS = re.compile(r"(?P<year>[\dX]{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
_EDTF_DATE_TYPES = (Date, Unspecified, PartialUnspecified)  # exact types; Season subclasses Date


@functools.lru_cache(maxsize=1 << 16)
def _parse_text(text: str) -> AnalystDate:
    if "/" in text:
        return _parse_interval(text)
    if not _SIDE.fullmatch(text):
        raise DateError(_unreadable(text))
    return _parse_side(text, text)


def _as_text(value: object) -> str:
    # bool is an int, and YAML makes one of "yes"; a datetime is a date, and carries a time of day.
    if isinstance(value, bool):
        raise DateError(f"'{value}' is not an EDTF date; {_EXAMPLES}")
    if isinstance(value, datetime.datetime):
        day = value.date().isoformat()
        written = value.isoformat(sep=" ")
        raise DateError(f"'{written}' has a time of day; atfgraph dates are days: write {day}")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | str):
        return str(value).strip()
    raise DateError(f"'{value}' is not an EDTF date; {_EXAMPLES}")


def _parse_interval(text: str) -> AnalystDate:
    sides = text.split("/")
    if len(sides) != 2:
        raise DateError(_unreadable(text))
    if all(side in _OPEN_ENDS for side in sides):
        raise DateError(f"'{text}' has no date on either side of '/'; write one, as in 2013/..")
    for side in sides:
        if side not in _OPEN_ENDS and not _SIDE.fullmatch(side):
            raise DateError(_unreadable(text))
    # Each side goes to edtf on its own: its interval grammar rejects valid EDTF (201X~/2015, XXXX-10/..)
    # and crashes on some (../XXXX-10), while a side alone parses cleanly.
    start, end = (None if side in _OPEN_ENDS else _parse_side(side, text) for side in sides)
    if start is not None and end is not None and not ordered(start, end):
        raise DateError(f"'{text}' ends before it starts")
    return AnalystDate(
        text=text,
        precision=Precision.INTERVAL,
        start=start,
        end=end,
        earliest=start.earliest if start is not None else None,
        latest=end.latest if end is not None else None,
        approximate=any(side.approximate for side in (start, end) if side is not None),
        uncertain=any(side.uncertain for side in (start, end) if side is not None),
    )


_UNKNOWN_YEAR = re.compile(r"XXXX-(?P<month>\d{2})(?:-(?P<day>\d{2}))?")
_PLAIN = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<qualifier>[~?%]?)")


def _parse_side(text: str, whole: str) -> AnalystDate:
    """One date that matched ``_SIDE``; ``whole`` is what the analyst wrote, quoted in errors.

    Plain ISO 8601 forms (2013, 2013-11, 2013-11-04, each maybe qualified) and days or months of an
    unknown year (XXXX-10-23, XXXX-10) are read with the standard library: edtf's pyparsing grammar takes
    ~10 ms a date, which is minutes on 10^5 records, and a test checks that both paths agree. The rest
    (decades, centuries) goes to edtf.
    """
    unknown_year = _UNKNOWN_YEAR.fullmatch(text)
    if unknown_year is not None and int(unknown_year["month"]) <= 12:
        problem = _calendar_problem(text)
        if problem:
            raise DateError(f"'{whole}' is not a valid date: {problem}")
        precision = _precision("XXXX", unknown_year["month"], unknown_year["day"])
        return AnalystDate(text=text, precision=precision,
                           value=_value(precision, "XXXX", unknown_year["month"], unknown_year["day"]))
    plain = _PLAIN.fullmatch(text)
    if plain is None or (plain["month"] and int(plain["month"]) > 12):  # months 21-41 are EDTF seasons
        return _edtf_side(text, whole)
    problem = _calendar_problem(text)
    if problem:
        raise DateError(f"'{whole}' is not a valid date: {problem}")
    year, month, day = plain["year"], plain["month"], plain["day"]
    if int(year) < datetime.MINYEAR:
        raise DateError(f"'{whole}' is not a valid date: {_NO_YEAR_ZERO}")
    first_month, last_month = (int(month), int(month)) if month else (1, 12)
    earliest = datetime.date(int(year), first_month, int(day) if day else 1)
    last_day = int(day) if day else calendar.monthrange(int(year), last_month)[1]
    qualifier = plain["qualifier"]
    precision = _precision(year, month, day)
    return AnalystDate(
        text=text,
        precision=precision,
        value=_value(precision, year, month, day),
        earliest=earliest,
        latest=datetime.date(int(year), last_month, last_day),
        approximate=qualifier in ("~", "%"),
        uncertain=qualifier in ("?", "%"),
    )


def _edtf_side(text: str, whole: str) -> AnalystDate:
    """One date read by edtf: the forms with unspecified digits, and the reference for the fast path."""
    try:
        parsed: Any = parse_edtf(text)
    except EDTFParseException:
        raise DateError(_invalid(text, whole)) from None
    date: Any = parsed.date if isinstance(parsed, UncertainOrApproximate) else parsed
    if isinstance(date, Season):
        raise DateError(
            f"'{whole}' is an EDTF season (months 21-41), which atfgraph does not read; "
            "write a month 01-12, or an interval such as 2013-03/2013-05"
        )
    if type(date) not in _EDTF_DATE_TYPES:
        raise DateError(_unreadable(whole))
    problem = _calendar_problem(text)
    if problem:
        raise DateError(f"'{whole}' is not a valid date: {problem}")
    year: str = date.year
    month: str | None = date.month
    day: str | None = date.day
    precision = _precision(year, month, day)
    qualifier = getattr(parsed, "ua", None)  # a plain Date has no qualifier attribute at all
    approximate = bool(qualifier and (qualifier.is_approximate or qualifier.is_uncertain_and_approximate))
    uncertain = bool(qualifier and (qualifier.is_uncertain or qualifier.is_uncertain_and_approximate))
    earliest = latest = None
    if precision not in (Precision.MONTH_DAY, Precision.MONTH_ONLY):
        # The strict bounds, not edtf's fuzzy ones: 2008~ means the year 2008, flagged approximate.
        earliest, latest = _to_date(parsed.lower_strict()), _to_date(parsed.upper_strict())
        if earliest is None or latest is None:
            raise DateError(f"'{whole}' is not a valid date: {_NO_YEAR_ZERO}")
    return AnalystDate(
        text=text,
        precision=precision,
        value=_value(precision, year, month, day),
        earliest=earliest,
        latest=latest,
        approximate=approximate,
        uncertain=uncertain,
    )


def _precision(year: str, month: str | None, day: str | None) -> Precision:
    if year == "XXXX":
        return Precision.MONTH_DAY if day else Precision.MONTH_ONLY
    if year.endswith("XX"):
        return Precision.CENTURY
    if year.endswith("X"):
        return Precision.DECADE
    if day:
        return Precision.DAY
    return Precision.MONTH if month else Precision.YEAR


def _value(precision: Precision, year: str, month: str | None, day: str | None) -> Literal | None:
    if precision is Precision.DAY:
        return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    if precision is Precision.MONTH:
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    if precision is Precision.YEAR:
        return Literal(year, datatype=XSD.gYear)
    if precision is Precision.MONTH_DAY:
        return Literal(f"--{month}-{day}", datatype=XSD.gMonthDay)
    return None  # XSD has no type for a decade, a century, or a month in an unknown year


def _to_date(moment: struct_time) -> datetime.date | None:
    if moment.tm_year < datetime.MINYEAR:
        return None
    return datetime.date(moment.tm_year, moment.tm_mon, moment.tm_mday)


def _date_literal(day: datetime.date | None) -> Literal | None:
    return None if day is None else Literal(day.isoformat(), datatype=XSD.date)


def _calendar_problem(text: str) -> str:
    """What is wrong with the month or day of one date, or "" when nothing is."""
    fields = _FIELDS.match(text)
    if fields is None or fields["month"] is None:
        return ""
    month = int(fields["month"])
    if not 1 <= month <= 12:
        return f"there is no month {fields['month']}"
    if fields["day"] is None:
        return ""
    day = int(fields["day"])
    year = fields["year"]
    # With the year unknown, 29 February is possible; a leap year stands in for it.
    length = calendar.monthrange(int(year) if year.isdigit() else 2000, month)[1]
    if 1 <= day <= length:
        return ""
    month_name = _MONTH_NAMES[month - 1].capitalize()
    when = f"{month_name} {year}" if year.isdigit() else month_name
    return f"{when} has no day {fields['day']}"


def _invalid(text: str, whole: str) -> str:
    problem = _calendar_problem(text)
    if problem:
        return f"'{whole}' is not a valid date: {problem}"
    return _unreadable(whole)


def _unreadable(text: str) -> str:
    """The message for text that is not one of the forms read, with the likeliest fix."""
    if not text:
        return f"the date is empty; {_EXAMPLES}"
    timed = _WITH_TIME.match(text)
    if timed:
        return f"'{text}' has a time of day; atfgraph dates are days: write {timed[1]}"
    named = _from_month_name(text)
    if named:
        return f"'{text}' is not an EDTF date; {named}"
    compact = re.sub(r"\s+", "", text)
    if compact != text and _readable(compact):
        return f"'{text}' has spaces inside; write {compact}"
    if "x" in text and _readable(text.replace("x", "X")):
        return f"'{text}' writes unknown digits with a small x; write {text.replace('x', 'X')}"
    day_first = _DAY_FIRST.fullmatch(text)
    if day_first:
        return f"'{text}' is not an EDTF date; write the year first, year-month-day, as in 2013-10-23"
    short = _SHORT_FIELDS.fullmatch(text)
    if short:
        padded = "-".join(f"{int(field):02d}" for field in short.groups()[1:] if field)
        return f"'{text}' is not an EDTF date; write months and days with two digits: {short[1]}-{padded}"
    if text.count("/") > 1:
        return f"'{text}' has more than one '/'; an interval is start/end, as in 2013-11-04/2013-11-05"
    parts = _ISO_LIKE.findall(text)
    if len(parts) == 2 and not re.search(r"[/\[\]{}]", text):  # not an EDTF set ([2013,2014]) either
        return f"'{text}' is not an EDTF date; write an interval with a slash: {parts[0]}/{parts[1]}"
    if _UNKNOWN_YEAR_QUALIFIED.fullmatch(text):
        return f"'{text}' qualifies a date whose year is unknown; ~, ? and % need a year: write {text[:-1]}"
    if text == "XXXX":
        return "'XXXX' says nothing of the date; leave the date out instead"
    if "X" in text:
        return (
            f"'{text}' uses X in a way atfgraph does not read: X stands for the last digits of a year "
            "(201X, 20XX), or for a whole year before a month (XXXX-10-23, XXXX-10)"
        )
    return f"'{text}' is not an EDTF date; {_EXAMPLES}"


def _readable(text: str) -> bool:
    try:
        _parse_text(text)
    except DateError:
        return False
    return True


def _from_month_name(text: str) -> str:
    """The fix for a date written with a month name (23 October 2013), or "" when there is none."""
    words = re.findall(r"[^\W\d_]+|\d+", text.casefold())
    months = [number for number, name in enumerate(_MONTH_NAMES, 1) for word in words if _names(word, name)]
    if len(months) != 1:
        return ""
    month = f"{months[0]:02d}"
    years = [word for word in words if word.isdigit() and len(word) == 4]
    days = [word for word in words if word.isdigit() and len(word) <= 2 and 1 <= int(word) <= 31]
    day = f"-{int(days[0]):02d}" if len(days) == 1 else ""
    if len(years) == 1:
        return f"write {years[0]}-{month}{day}"
    return f"write YYYY-{month}{day} with the year, or XXXX-{month}{day} if the year is unknown"


def _names(word: str, month: str) -> bool:
    # "oct", "sept" and "october" all name October; "mar" is March, "ma" is nothing.
    return len(word) >= 3 and month.startswith(word)


__all__ = ["AnalystDate", "DateError", "Precision", "ordered", "parse_date"]
