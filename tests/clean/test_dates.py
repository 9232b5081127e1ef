"""Dates: every form the codebook names, with its precision and the rule that read it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.clean.dates import parse_date, parse_dates

D = dt.date
TODAY = D(2026, 1, 1)


@pytest.mark.parametrize(("text", "start", "end", "precision", "rule"), [
    ("2023-10-18", D(2023, 10, 18), D(2023, 10, 18), "day", ""),
    ("2023-10-8", D(2023, 10, 8), D(2023, 10, 8), "day", "iso_date_padded"),
    ("18 Oct 2023", D(2023, 10, 18), D(2023, 10, 18), "day", "written_date"),
    ("October 18, 2023", D(2023, 10, 18), D(2023, 10, 18), "day", "written_date"),
    ("18th October 2023", D(2023, 10, 18), D(2023, 10, 18), "day", "written_date"),
    ("18-19 Oct 2023", D(2023, 10, 18), D(2023, 10, 19), "range", "day_range"),
    ("Oct 18-19, 2023", D(2023, 10, 18), D(2023, 10, 19), "range", "day_range"),
    ("30 Oct - 2 Nov 2023", D(2023, 10, 30), D(2023, 11, 2), "range", "day_range"),
    ("30 Dec 2023 - 2 Jan 2024", D(2023, 12, 30), D(2024, 1, 2), "range", "day_range"),
    ("2023-10-18/2023-10-19", D(2023, 10, 18), D(2023, 10, 19), "range", "iso_range"),
    ("Nov 2023", D(2023, 11, 1), D(2023, 11, 30), "month", "month_only"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "month", "month_only"),
    ("late Jan 2024", D(2024, 1, 21), D(2024, 1, 31), "range", "vague_part_of_month"),
    ("week of 2023-11-06", D(2023, 11, 6), D(2023, 11, 12), "week", "week_of"),
    ("2023-W45", D(2023, 11, 6), D(2023, 11, 12), "week", "iso_week"),
    ("45217", D(2023, 10, 18), D(2023, 10, 18), "day", "excel_serial"),
    ("2023-10-18 00:00:00", D(2023, 10, 18), D(2023, 10, 18), "day", "timestamp_midnight"),
    ("2023-10-18T14:30", D(2023, 10, 18), D(2023, 10, 18), "day", "timestamp_time_dropped"),
    ("25/10/2023", D(2023, 10, 25), D(2023, 10, 25), "day", "numeric_dmy_unambiguous"),
    ("10/25/2023", D(2023, 10, 25), D(2023, 10, 25), "day", "numeric_mdy_unambiguous"),
    ("25/10/23", D(2023, 10, 25), D(2023, 10, 25), "day",
     "numeric_dmy_unambiguous+two_digit_year"),
    ("around 18 Oct 2023", D(2023, 10, 18), D(2023, 10, 18), "day", "written_date+approximate"),
])
def test_parse_date_forms(text, start, end, precision, rule):
    """Each written form gives its start, end, precision and rule."""
    p = parse_date(text)
    assert (p.start, p.end, p.precision, p.rule, p.problem) == (start, end, precision, rule, "")


@pytest.mark.parametrize(("text", "problem"), [
    ("", "missing_date"), ("31 Feb 2024", "impossible_date"), ("2023-13-01", "impossible_date"),
    ("19-18 Oct 2023", "impossible_date"), ("yesterday", "unparseable_date"),
    ("NA", "unparseable_date"), ("32/13/2023", "impossible_date"),
    ("9999-W52", "impossible_date"), ("week of 9999-12-30", "impossible_date"),
    ("~" * 1000 + "2023-10-18", "unparseable_date"),
    ("week of " * 200 + "2023-10-18", "unparseable_date"),
])
def test_parse_date_problems(text, problem):
    """Blank, impossible and unreadable dates are problems, never guesses."""
    p = parse_date(text)
    assert p.problem == problem and p.start is None


def test_ambiguous_order_settled_by_file(make_rows):
    """An ambiguous numeric date follows the order the same file uses unambiguously."""
    df = make_rows(date=["25/10/2023", "03/11/2023"])
    out, changes = parse_dates(df, today=TODAY)
    assert out["date_start"].dt.date.tolist() == [D(2023, 10, 25), D(2023, 11, 3)]
    assert "numeric_dmy_from_file" in changes["rule"].tolist()


def test_ambiguous_order_without_evidence_is_quarantined(make_rows):
    """With no evidence in the file, an ambiguous date goes to quarantine naming the cell."""
    out, _ = parse_dates(make_rows(date=["03/11/2023"]), today=TODAY)
    assert out["problem_codes"].tolist() == ["ambiguous_date"]
    assert "date: '03/11/2023'" in out["problem_messages"].iat[0]
    assert out["date_start"].isna().all()


def test_ambiguous_order_with_conflicting_evidence_is_quarantined(make_rows):
    """A file that uses both orders settles nothing."""
    out, _ = parse_dates(make_rows(date=["25/10/2023", "10/25/2023", "03/11/2023"]), today=TODAY)
    assert out["problem_codes"].tolist() == ["", "", "ambiguous_date"]


def test_date_order_given(make_rows):
    """The caller's stated order settles ambiguous dates and is logged as given."""
    out, changes = parse_dates(make_rows(date=["03/11/2023"]), date_order="mdy", today=TODAY)
    assert out["date_start"].dt.date.tolist() == [D(2023, 3, 11)]
    assert changes["rule"].tolist() == ["numeric_mdy_given"]


def test_future_dates_flagged_not_dropped(make_rows):
    """A date after today is kept and flagged."""
    out, _ = parse_dates(make_rows(date=["2027-01-01"]), today=TODAY)
    assert out["flags"].tolist() == ["future_date"] and out["problem_codes"].tolist() == [""]


def test_iso_day_logs_nothing(make_rows):
    """An ISO day needs no interpretation and adds no change row."""
    _, changes = parse_dates(make_rows(date=["2023-10-18"]), today=TODAY)
    assert changes.empty


@given(st.text(max_size=40))
def test_parse_date_never_raises(text):
    """Arbitrary text gives a reading or a problem, never an exception."""
    p = parse_date(text)
    assert (p.start is None) == bool(p.problem) or p.alt is not None
    if p.start is not None:
        assert p.end >= p.start


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2099, 12, 31)))
def test_iso_round_trip(day):
    """Every calendar day written in ISO reads back as itself."""
    p = parse_date(day.isoformat())
    assert (p.start, p.end, p.precision, p.rule) == (day, day, "day", "")
