"""EDTF dates: each form read, typed values, bounds, qualifiers, intervals and the messages for bad ones."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from atfgraph.dates import AnalystDate, DateError, Precision, ordered, parse_date
from atfgraph.namespaces import XSD

D = datetime.date


@pytest.mark.parametrize(
    ("text", "precision", "lexical", "datatype", "earliest", "latest"),
    [
        ("2013-11-04", Precision.DAY, "2013-11-04", XSD.date, D(2013, 11, 4), D(2013, 11, 4)),
        ("2013-11", Precision.MONTH, "2013-11", XSD.gYearMonth, D(2013, 11, 1), D(2013, 11, 30)),
        ("2012-02", Precision.MONTH, "2012-02", XSD.gYearMonth, D(2012, 2, 1), D(2012, 2, 29)),
        ("2013", Precision.YEAR, "2013", XSD.gYear, D(2013, 1, 1), D(2013, 12, 31)),
        ("0800", Precision.YEAR, "0800", XSD.gYear, D(800, 1, 1), D(800, 12, 31)),
        ("201X", Precision.DECADE, None, None, D(2010, 1, 1), D(2019, 12, 31)),
        ("20XX", Precision.CENTURY, None, None, D(2000, 1, 1), D(2099, 12, 31)),
        ("XXXX-10-23", Precision.MONTH_DAY, "--10-23", XSD.gMonthDay, None, None),
        ("XXXX-02-29", Precision.MONTH_DAY, "--02-29", XSD.gMonthDay, None, None),
        ("XXXX-10", Precision.MONTH_ONLY, None, None, None, None),
    ],
)
def test_each_form_has_its_precision_typed_value_and_bounds(
    text: str,
    precision: Precision,
    lexical: str | None,
    datatype: URIRef | None,
    earliest: datetime.date | None,
    latest: datetime.date | None,
) -> None:
    date = parse_date(text)
    assert date.text == text
    assert date.precision is precision
    if lexical is None:
        assert date.value is None
    else:
        assert date.value is not None
        assert str(date.value) == lexical
        assert date.value.datatype == datatype
    assert (date.earliest, date.latest) == (earliest, latest)
    assert (date.start, date.end) == (None, None)
    assert not date.approximate and not date.uncertain


def test_precision_values_are_the_ones_written_to_the_graph() -> None:
    assert [precision.value for precision in Precision] == [
        "day", "month", "year", "decade", "century", "month-day", "month-only", "interval",
    ]  # fmt: skip


def test_unknown_year_is_never_year_zero_or_9999() -> None:
    # edtf gives XXXX-10-23 the years 0 to 9999; those are not bounds.
    for text in ("XXXX-10-23", "XXXX-10"):
        date = parse_date(text)
        assert date.earliest is None and date.latest is None
        assert date.literal_bounds() == (None, None)


@pytest.mark.parametrize(
    ("text", "approximate", "uncertain"),
    [
        ("2008~", True, False),
        ("2008?", False, True),
        ("2008%", True, True),
        ("2013-11~", True, False),
        ("2013-11-04?", False, True),
        ("2013-11-04%", True, True),
        ("201X~", True, False),
    ],
)
def test_qualifiers_set_flags_and_keep_the_bounds(text: str, approximate: bool, uncertain: bool) -> None:
    date = parse_date(text)
    plain = parse_date(text[:-1])
    assert (date.approximate, date.uncertain) == (approximate, uncertain)
    # edtf's fuzzy bounds would widen 2008~ by a year each way; the flag says it is approximate instead.
    assert (date.earliest, date.latest) == (plain.earliest, plain.latest)
    assert date.value == plain.value and date.precision is plain.precision
    assert date.text == text


def test_approximate_year_keeps_the_years_bounds() -> None:
    date = parse_date("2008~")
    assert (date.earliest, date.latest) == (D(2008, 1, 1), D(2008, 12, 31))
    assert date.value == Literal("2008", datatype=XSD.gYear)


def test_literal_bounds_are_xsd_dates() -> None:
    earliest, latest = parse_date("2013-11").literal_bounds()
    assert earliest == Literal("2013-11-01", datatype=XSD.date)
    assert latest == Literal("2013-11-30", datatype=XSD.date)
    assert earliest is not None and str(earliest) == "2013-11-01" and earliest.datatype == XSD.date


def test_text_is_stripped() -> None:
    assert parse_date("  2013-11-04 \n").text == "2013-11-04"


# --- intervals


def test_interval_parses_each_side() -> None:
    date = parse_date("2013-11-04/2013-11-05")
    assert date.precision is Precision.INTERVAL
    assert date.value is None
    assert date.start == parse_date("2013-11-04") and date.end == parse_date("2013-11-05")
    assert (date.earliest, date.latest) == (D(2013, 11, 4), D(2013, 11, 5))
    assert date.literal_bounds() == (
        Literal("2013-11-04", datatype=XSD.date),
        Literal("2013-11-05", datatype=XSD.date),
    )


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2013/2015", D(2013, 1, 1), D(2015, 12, 31)),
        ("2013-11/2014-02", D(2013, 11, 1), D(2014, 2, 28)),
        ("2013/2013-11-04", D(2013, 1, 1), D(2013, 11, 4)),
        ("201X/2015", D(2010, 1, 1), D(2015, 12, 31)),
        ("2013/..", D(2013, 1, 1), None),
        ("../2013", None, D(2013, 12, 31)),
        ("2013/", D(2013, 1, 1), None),
        ("/2013", None, D(2013, 12, 31)),
        ("XXXX-10-01/XXXX-10-23", None, None),
        ("../XXXX-10", None, None),
    ],
)
def test_interval_bounds_come_from_its_sides(
    text: str, earliest: datetime.date | None, latest: datetime.date | None
) -> None:
    date = parse_date(text)
    assert date.precision is Precision.INTERVAL
    assert (date.earliest, date.latest) == (earliest, latest)


def test_open_and_unknown_ends_have_no_side() -> None:
    assert parse_date("2013/..").end is None
    assert parse_date("2013/").end is None
    assert parse_date("../2013").start is None
    start = parse_date("2013/").start
    assert start is not None and start.value == Literal("2013", datatype=XSD.gYear)


def test_interval_flags_are_those_of_either_side() -> None:
    date = parse_date("2013~/2014?")
    assert date.approximate and date.uncertain
    assert date.start is not None and date.start.approximate and not date.start.uncertain
    assert date.end is not None and date.end.uncertain and not date.end.approximate
    assert not parse_date("2013/2014").approximate


def test_interval_ending_on_the_day_it_starts_is_fine() -> None:
    assert parse_date("2013-11-04/2013-11-04").earliest == D(2013, 11, 4)


# --- inputs from YAML


def test_date_objects_read_like_their_iso_text() -> None:
    assert parse_date(D(2013, 11, 4)) == parse_date("2013-11-04")
    assert parse_date(D(800, 1, 2)).text == "0800-01-02"


def test_int_years_read_like_their_text() -> None:
    assert parse_date(2008) == parse_date("2008")


def test_datetime_with_a_time_is_refused() -> None:
    with pytest.raises(DateError, match=r"^'2013-11-04 10:00:00' has a time of day; .* write 2013-11-04$"):
        parse_date(datetime.datetime(2013, 11, 4, 10))


def test_bool_is_not_a_year() -> None:
    with pytest.raises(DateError, match=r"^'True' is not an EDTF date"):
        parse_date(True)


# --- errors


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2013-02-30", "'2013-02-30' is not a valid date: February 2013 has no day 30"),
        ("2013-02-29", "'2013-02-29' is not a valid date: February 2013 has no day 29"),
        ("2100-02-29", "'2100-02-29' is not a valid date: February 2100 has no day 29"),
        ("2013-04-31", "'2013-04-31' is not a valid date: April 2013 has no day 31"),
        ("2013-11-00", "'2013-11-00' is not a valid date: November 2013 has no day 00"),
        ("XXXX-02-30", "'XXXX-02-30' is not a valid date: February has no day 30"),
        ("2013-13", "'2013-13' is not a valid date: there is no month 13"),
        ("2013-00-04", "'2013-00-04' is not a valid date: there is no month 00"),
        ("0000", "'0000' is not a valid date: there is no year 0, and earlier years are not read"),
        ("2013-02-30/2013-03-01", "'2013-02-30/2013-03-01' is not a valid date: February 2013 has no day 30"),
        ("2013-11-05/2013-11-04", "'2013-11-05/2013-11-04' ends before it starts"),
        ("2014/2013-12", "'2014/2013-12' ends before it starts"),
        (
            "23 October",
            "'23 October' is not an EDTF date; write YYYY-10-23 with the year, "
            "or XXXX-10-23 if the year is unknown",
        ),
        ("23 October 2013", "'23 October 2013' is not an EDTF date; write 2013-10-23"),
        ("Oct. 2013", "'Oct. 2013' is not an EDTF date; write 2013-10"),
        (
            "yesterday",
            "'yesterday' is not an EDTF date; write 2013-10-23, or XXXX-10-23 if the year is unknown",
        ),
        ("", "the date is empty; write 2013-10-23, or XXXX-10-23 if the year is unknown"),
        (
            "04/11/2013",
            "'04/11/2013' is not an EDTF date; write the year first, year-month-day, as in 2013-10-23",
        ),
        ("2013-11-4", "'2013-11-4' is not an EDTF date; write months and days with two digits: 2013-11-04"),
        ("2013 / 2014", "'2013 / 2014' has spaces inside; write 2013/2014"),
        ("xxxx-10-23", "'xxxx-10-23' writes unknown digits with a small x; write XXXX-10-23"),
        (
            "2013-11-04 to 2013-11-05",
            "'2013-11-04 to 2013-11-05' is not an EDTF date; "
            "write an interval with a slash: 2013-11-04/2013-11-05",
        ),
        (
            "2013-11-04T10:00",
            "'2013-11-04T10:00' has a time of day; atfgraph dates are days: write 2013-11-04",
        ),
        (
            "2013-21",
            "'2013-21' is an EDTF season (months 21-41), which atfgraph does not read; "
            "write a month 01-12, or an interval such as 2013-03/2013-05",
        ),
        (
            "XXXX-10-23?",
            "'XXXX-10-23?' qualifies a date whose year is unknown; ~, ? and % need a year: write XXXX-10-23",
        ),
        ("XXXX", "'XXXX' says nothing of the date; leave the date out instead"),
        (
            "2013-XX-04",
            "'2013-XX-04' uses X in a way atfgraph does not read: X stands for the last digits "
            "of a year (201X, 20XX), or for a whole year before a month (XXXX-10-23, XXXX-10)",
        ),
        ("../..", "'../..' has no date on either side of '/'; write one, as in 2013/.."),
        (
            "2013/2014/2015",
            "'2013/2014/2015' has more than one '/'; an interval is start/end, as in 2013-11-04/2013-11-05",
        ),
    ],
)
def test_error_messages_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_date(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    "text", ["2013-1X", "../", "2013-11-X4", "[2013,2014]", "Y20130", "2XXX", "-2013", "2013?-11"]
)
def test_unsupported_edtf_is_refused_without_printing(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    # edtf prints and crashes on some of these; none may reach it.
    with pytest.raises(DateError):
        parse_date(text)
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("text", ["../XXXX-10", "201X~/2015", "XXXX-10/.."])
def test_intervals_edtf_mishandles_are_read_by_side(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    # As a whole, edtf crashes on the first (printing as it does) and rejects the others.
    assert parse_date(text).precision is Precision.INTERVAL
    assert capsys.readouterr() == ("", "")


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


# --- ordered


def test_ordered_compares_bounds() -> None:
    assert ordered(parse_date("2013"), parse_date("2014"))
    assert ordered(parse_date("2013"), parse_date("2013-06"))  # overlapping: not surely out of order
    assert not ordered(parse_date("2014"), parse_date("2013"))
    assert not ordered(parse_date("2013-11-05"), parse_date("2013-11-04"))


def test_ordered_gives_unknown_years_the_benefit_of_the_doubt() -> None:
    assert ordered(parse_date("XXXX-10-23"), parse_date("2013"))
    assert ordered(parse_date("2013"), parse_date("XXXX-10-23"))
    assert ordered(parse_date("2013/.."), parse_date("2001/.."))  # no latest for b


# --- properties


@given(st.dates(min_value=D(1, 1, 1)))
def test_any_iso_day_round_trips(day: datetime.date) -> None:
    date = parse_date(day.isoformat())
    assert date.precision is Precision.DAY
    assert date.earliest == date.latest == day
    assert date.value == Literal(day.isoformat(), datatype=XSD.date)
    assert parse_date(day) == date


@given(st.integers(min_value=1, max_value=9999))
def test_any_year_spans_the_year(year: int) -> None:
    date = parse_date(f"{year:04d}")
    assert (date.earliest, date.latest) == (D(year, 1, 1), D(year, 12, 31))
    assert str(date.value) == f"{year:04d}"


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=12), st.data())
def test_days_beyond_the_month_are_refused(year: int, month: int, data: st.DataObject) -> None:
    length = calendar.monthrange(year, month)[1]
    day = data.draw(st.integers(min_value=length + 1, max_value=99))
    with pytest.raises(DateError, match="has no day"):
        parse_date(f"{year:04d}-{month:02d}-{day:02d}")


_YEARS = st.integers(min_value=1000, max_value=2099).map(str)
_SIDES = st.one_of(
    _YEARS,
    st.builds(lambda year, month: f"{year}-{month:02d}", _YEARS, st.integers(1, 12)),
    st.dates(min_value=D(1000, 1, 1), max_value=D(2099, 12, 31)).map(datetime.date.isoformat),
    _YEARS.map(lambda year: year[:3] + "X"),
    _YEARS.map(lambda year: year[:2] + "XX"),
)
_QUALIFIED = st.builds(lambda side, qualifier: side + qualifier, _SIDES, st.sampled_from(["", "~", "?", "%"]))


@given(_QUALIFIED)
def test_bounds_are_always_ordered(text: str) -> None:
    date = parse_date(text)
    assert date.earliest is not None and date.latest is not None
    assert date.earliest <= date.latest


@given(_QUALIFIED, _QUALIFIED)
def test_interval_is_refused_exactly_when_it_ends_before_it_starts(first: str, second: str) -> None:
    start, end = parse_date(first), parse_date(second)
    if ordered(start, end):
        interval = parse_date(f"{first}/{second}")
        assert (interval.start, interval.end) == (start, end)
        assert interval.earliest is not None and interval.latest is not None
        assert interval.earliest <= interval.latest
    else:
        with pytest.raises(DateError, match="ends before it starts"):
            parse_date(f"{first}/{second}")


def test_analyst_date_is_frozen_and_hashable() -> None:
    date = parse_date("2013-11-04/2013-11-05")
    assert isinstance(date, AnalystDate)
    assert hash(date) == hash(parse_date("2013-11-04/2013-11-05"))
    with pytest.raises(AttributeError):
        date.text = "2014"  # type: ignore[misc]


@given(
    st.integers(min_value=1, max_value=9999),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=31),
    st.sampled_from(["year", "month", "day", "month-day", "month-only"]),
    st.sampled_from(["", "~", "?", "%"]),
)
def test_fast_path_agrees_with_edtf(year: int, month: int, day: int, precision: str, qualifier: str) -> None:
    """The standard-library path for plain ISO forms gives what edtf gives, errors included."""
    from atfgraph.dates import _edtf_side, _parse_side

    text = {"year": f"{year:04d}", "month": f"{year:04d}-{month:02d}",
            "day": f"{year:04d}-{month:02d}-{day:02d}", "month-day": f"XXXX-{month:02d}-{day:02d}",
            "month-only": f"XXXX-{month:02d}"}[precision]
    if not precision.startswith("month-"):
        text += qualifier  # a qualifier on an unknown year is refused before either path is reached

    def outcome(reader: Callable[[str, str], AnalystDate]) -> AnalystDate | str:
        try:
            return reader(text, text)
        except DateError as error:
            return f"error: {error}"

    assert outcome(_parse_side) == outcome(_edtf_side)
