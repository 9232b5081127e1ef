"""Tidy tables on small hand-made frames with known answers."""

from __future__ import annotations

import pandas as pd

from analysis.tables import (
    assign_phase,
    attack_gaps,
    count_daily,
    count_weekly,
    reconcile_tallies,
    strike_windows,
    summarise_casualties,
)


def events(dates, countries=None, **cols):
    n = len(dates)
    base = {"event_id": [f"E{i}" for i in range(n)], "date_start": pd.to_datetime(dates),
            "date_end": pd.to_datetime(dates), "country": countries or ["Iraq"] * n,
            "confirmed_by_us": ["yes"] * n}
    return pd.DataFrame({**base, **cols})


def test_daily_counts_include_zeros():
    """Days and countries with no attack appear with 0."""
    d = count_daily(events(["2023-10-18", "2023-10-20"], ["Iraq", "Syria"]), "2023-10-18",
                    "2023-10-20", countries=["Iraq", "Syria"])
    assert d["attacks"].tolist() == [1, 0, 0, 0, 0, 1]
    assert d["days_since_oct7"].tolist()[:2] == [11, 11]


def test_weekly_counts_start_monday():
    """Weeks start on Monday and sum the days."""
    w = count_weekly(events(["2023-10-16", "2023-10-22", "2023-10-23"]), "2023-10-16",
                     "2023-10-29", countries=["Iraq"])
    assert w["week"].dt.strftime("%Y-%m-%d").tolist() == ["2023-10-16", "2023-10-23"]
    assert w["attacks"].tolist() == [2, 1]


def test_reconciliation_counts_and_differences():
    """Coded attacks up to each tally's day, and the relative difference per scope."""
    ev = events(["2023-10-17", "2023-10-18", "2023-10-19", "2023-10-25"],
                ["Iraq", "Syria", "Syria", "Iraq"], confirmed_by_us=["yes", "no", "yes", "yes"])
    t = pd.DataFrame({
        "statement_date": ["2023-10-20", "2023-10-26"],
        "count_through_start": pd.to_datetime(["2023-10-20", "2023-10-26"]),
        "count_through_precision": ["day", "day"],
        "attacks_total": pd.array([4, 4], dtype="Int64"),
        "attacks_iraq": pd.array([2, None], dtype="Int64"),
        "attacks_syria": pd.array([2, None], dtype="Int64"),
        "attacks_jordan": pd.array([None, None], dtype="Int64"), "official": ["a", "b"]})
    r = reconcile_tallies(ev, t)
    assert r[["coded_total", "coded_confirmed", "coded_iraq", "coded_syria"]].values.tolist() == [
        [3, 2, 1, 2], [4, 3, 2, 2]]
    assert r["diff_total"].tolist() == [-0.25, 0.0]
    assert r["diff_iraq"].iloc[0] == -0.5 and pd.isna(r["diff_iraq"].iloc[1])


def test_casualty_sums_keep_uncertainty():
    """Low, best and high sum separately; an open-ended high is counted, not invented."""
    ev = events(["2023-10-18", "2023-10-19", "2023-10-20"],
                killed_low=pd.array([None, 3, None], dtype="Int64"),
                killed_best=pd.array([None, 3, None], dtype="Int64"),
                killed_high=pd.array([None, 3, None], dtype="Int64"),
                injured_low=pd.array([20, 34, None], dtype="Int64"),
                injured_best=pd.array([20, 40, None], dtype="Int64"),
                injured_high=pd.array([20, None, None], dtype="Int64"))
    c = summarise_casualties(ev, "2023-10-16", "2023-10-22")
    row = c.iloc[0]
    assert (row["killed_best"], row["injured_low"], row["injured_best"], row["injured_high"],
            row["injured_high_open"], row["n_reporting"]) == (3, 54, 60, 60, 1, 2)


def test_gaps_and_strike_windows():
    """Gaps between attack days; attacks before and after a strike day."""
    a = events(["2023-10-18", "2023-10-18", "2023-10-21", "2023-10-30"])
    g = attack_gaps(a, "2023-10-01", "2023-11-01")
    assert g.loc[g["scope"] == "all", "gap_days"].tolist() == [3, 9]
    s = events(["2023-10-26"], ["Syria"])
    w = strike_windows(a, s, window=7)
    assert w[["days_since_attack", "days_to_next_attack", "attacks_before", "attacks_after"]
             ].values.tolist() == [[5, 4, 1, 1]]


def test_phases():
    """Dates fall in the phase their bounds say."""
    bounds = {k: pd.Timestamp(v) for k, v in {"truce_start": "2023-11-24", "truce_end":
              "2023-12-01", "tower22": "2024-01-28", "feb_strikes": "2024-02-02"}.items()}
    d = pd.Series(pd.to_datetime(["2023-11-23", "2023-11-24", "2023-12-01", "2023-12-02",
                                  "2024-01-28", "2024-02-02"]))
    assert assign_phase(d, bounds).tolist() == [
        "before truce", "truce", "truce", "after truce", "after Tower 22",
        "after February strikes"]
