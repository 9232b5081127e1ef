"""Casualty text into low/best/high counts by the written rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.clean.casualties import parse_casualties, parse_casualty_text

NA = None


@pytest.mark.parametrize(("text", "counts"), [
    ("", (NA, NA, NA, NA, NA, NA)),
    ("no injuries", (0, 0, 0, 0, 0, 0)),
    ("no casualties", (0, 0, 0, 0, 0, 0)),
    ("no US casualties or damage", (0, 0, 0, 0, 0, 0)),
    ("no deaths", (0, 0, 0, NA, NA, NA)),
    ("None", (0, 0, 0, 0, 0, 0)),
    ("NA", (NA, NA, NA, NA, NA, NA)),
    ("-", (NA, NA, NA, NA, NA, NA)),
    ("21 injured (19 TBI)", (NA, NA, NA, 21, 21, 21)),
    ("8 injured (TBI)", (NA, NA, NA, 8, 8, 8)),
    ("3 killed, 40+ injured", (3, 3, 3, 40, 40, NA)),
    ("3 killed, over 40 injured", (3, 3, 3, 41, 41, NA)),
    ("killed three US soldiers and injured more than 40", (3, 3, 3, 41, 41, NA)),
    ("3 killed, 25-34 injured", (3, 3, 3, 25, 25, 34)),
    ("3 killed, 25-40+ injured", (3, 3, 3, 25, 25, NA)),
    ("at least 34 wounded", (NA, NA, NA, 34, 34, NA)),
    ("about 20 hurt", (NA, NA, NA, NA, 20, NA)),
    ("up to 5 wounded", (NA, NA, NA, NA, NA, 5)),
    ("1,200 killed", (1200, 1200, 1200, NA, NA, NA)),
    ("several wounded", (NA, NA, NA, 3, 3, NA)),
    ("dozens injured", (NA, NA, NA, 12, 12, NA)),
    ("tens of wounded", (NA, NA, NA, 10, 10, NA)),
    ("a soldier was wounded", (NA, NA, NA, 1, 1, 1)),
    ("minor injuries", (NA, NA, NA, 1, 1, NA)),
    ("three wounded, one critically", (NA, NA, NA, 3, 3, 3)),
    ("2 killed, no injuries", (2, 2, 2, 0, 0, 0)),
    ("2 injured; 3 injured", (NA, NA, NA, 5, 5, 5)),
    ("٣ قتلى و ٥ جرحى", (3, 3, 3, 5, 5, 5)),
    ("لا إصابات", (0, 0, 0, 0, 0, 0)),
    ("عشرات الجرحى", (NA, NA, NA, 10, 10, NA)),
])
def test_readings(text, counts):
    """Each casualty text gives the counts the rule states."""
    assert tuple(parse_casualty_text(text)[:6]) == counts


@pytest.mark.parametrize("text", ["5", "-3 killed", "2.5 injured", "3 casualties",
                                  "3 killed or injured", "5 injured, 7", "1,000,007 killed",
                                  "99999999999999999999997 injured", "about 70000000000 dead",
                                  "1-9999999999999999999997 wounded", "9" * 4400 + "7 killed",
                                  "1" + ",000" * 1500 + ",007 injured"])
def test_never_a_silent_count(text):
    """Negative, fractional, unlabelled, unsplit or huge numbers never become counts silently."""
    r = parse_casualty_text(text)
    assert r.problem
    assert not any(str(v).endswith("7") for v in r[:6]) and -3 not in r[:6]


def test_flag_and_log(make_rows):
    """Unparsed text is flagged and logged; a blank cell is not logged."""
    out, changes = parse_casualties(make_rows(casualties=["-1 killed", "", "1 injured"]))
    assert out["flags"].tolist() == ["casualties_unparsed", "", ""]
    assert changes["source_row"].tolist() == [2, 4]
    assert changes["rule"].iat[0].startswith("casualties_unparsed")
    assert out["killed_best"].isna().iat[0]


@given(st.text(max_size=60))
def test_never_raises_and_orders(text):
    """Arbitrary text never raises; any low <= best <= high that are present."""
    r = parse_casualty_text(text)
    for lo, best, hi in (r[0:3], r[3:6]):
        present = [v for v in (lo, best, hi) if v is not None]
        assert present == sorted(present) and all(v >= 0 for v in present)


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_numbers_round_trip(k, i):
    """'K killed, I injured' reads back as K and I exactly, with thousands separators."""
    r = parse_casualty_text(f"{k:,} killed, {i:,} injured")
    assert r[:6] == (k, k, k, i, i, i)
