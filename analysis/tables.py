"""Tidy analysis tables built from the clean event table (one function per table).

Counting convention: an event counts on its ``date_start``, the first day it may have happened.
Events dated only to a range longer than a day are few; :func:`count_daily` reports how many fall
in the window (``n_range_dated``) so a reader can judge the effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["count_daily", "count_weekly", "count_weekly_by", "reconcile_tallies",
           "summarise_casualties", "attack_gaps", "strike_windows", "injury_tallies",
           "assign_phase", "PHASES"]

PHASES = ["before truce", "truce", "after truce", "after Tower 22", "after February strikes"]


def _window(events: pd.DataFrame, start, end) -> pd.DataFrame:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return events.loc[(events["date_start"] >= start) & (events["date_start"] <= end)]


def count_daily(events: pd.DataFrame, start, end, *, countries: list[str] | None = None,
                ) -> pd.DataFrame:
    """Attacks per day and country between ``start`` and ``end``, zeros included.

    Returns columns ``date``, ``country``, ``attacks``, ``days_since_oct7``; the frame's
    ``attrs["n_range_dated"]`` counts events in the window dated to more than one day.

    Examples
    --------
    >>> ev = pd.DataFrame({"date_start": pd.to_datetime(["2023-10-18", "2023-10-18",
    ...                    "2023-10-20"]), "date_end": pd.to_datetime(["2023-10-18"] * 3),
    ...                    "country": ["Iraq", "Syria", "Iraq"]})
    >>> count_daily(ev, "2023-10-18", "2023-10-20", countries=["Iraq"])["attacks"].tolist()
    [1, 0, 1]
    """
    sel = _window(events, start, end)
    countries = sorted(sel["country"].unique()) if countries is None else countries
    days = pd.date_range(start, end, freq="D")
    grid = pd.MultiIndex.from_product([days, countries], names=["date", "country"])
    counts = sel.groupby([sel["date_start"].rename("date"), "country"]).size()
    out = counts.reindex(grid, fill_value=0).rename("attacks").reset_index()
    out["date"] = out["date"].astype("datetime64[s]")
    out["days_since_oct7"] = (out["date"] - pd.Timestamp("2023-10-07")).dt.days
    out.attrs["n_range_dated"] = int((sel["date_end"] > sel["date_start"]).sum())
    return out


def count_weekly(events: pd.DataFrame, start, end, *, countries: list[str] | None = None
                 ) -> pd.DataFrame:
    """Attacks per week (weeks start on Monday) and country, zeros included."""
    daily = count_daily(events, start, end, countries=countries)
    week = daily["date"] - pd.to_timedelta(daily["date"].dt.day_of_week, unit="D")
    out = daily.assign(week=week).groupby(["week", "country"], as_index=False)["attacks"].sum()
    return out


def count_weekly_by(events: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    """Attacks per week by the values of ``column`` (e.g. ``weapon_class``), zeros included."""
    sel = _window(events, start, end)
    week = sel["date_start"] - pd.to_timedelta(sel["date_start"].dt.day_of_week, unit="D")
    first = pd.Timestamp(start) - pd.Timedelta(days=pd.Timestamp(start).weekday())
    weeks = pd.date_range(first, end, freq="W-MON")
    values = sorted(sel[column].unique())
    grid = pd.MultiIndex.from_product([weeks, values], names=["week", column])
    counts = sel.assign(week=week).groupby(["week", column]).size()
    out = counts.reindex(grid, fill_value=0).rename("attacks").reset_index()
    return out.assign(week=out["week"].astype("datetime64[s]"))


def reconcile_tallies(events: pd.DataFrame, tallies: pd.DataFrame, *, start="2023-10-17"
                      ) -> pd.DataFrame:
    """Coded attacks counted cumulatively from ``start`` beside every official tally.

    One row per tally with a day-precise ``count_through`` and a total or a country count:
    the official figures, the coded attacks up to that day (all, and those a US official
    confirmed), per country, and the relative difference of all coded attacks from the
    official figure (``diff_total`` etc., e.g. -0.05 is 5 % fewer coded).

    Examples
    --------
    >>> ev = pd.DataFrame({"date_start": pd.to_datetime(["2023-10-18", "2023-10-19"]),
    ...                    "country": ["Iraq", "Syria"], "confirmed_by_us": ["yes", "no"]})
    >>> t = pd.DataFrame({"statement_date": ["2023-10-20"], "count_through_start":
    ...     pd.to_datetime(["2023-10-20"]), "count_through_precision": ["day"],
    ...     "attacks_total": pd.array([2], dtype="Int64"), "attacks_iraq": pd.array([1],
    ...     dtype="Int64"), "attacks_syria": pd.array([1], dtype="Int64"),
    ...     "attacks_jordan": pd.array([None], dtype="Int64"), "official": ["x"]})
    >>> reconcile_tallies(ev, t)[["coded_total", "coded_confirmed", "diff_total"]].values.tolist()
    [[2, 1, 0.0]]
    """
    sel = events.loc[events["date_start"] >= pd.Timestamp(start)]
    rows = tallies.loc[(tallies["count_through_precision"] == "day")
                       & tallies[["attacks_total", "attacks_iraq", "attacks_syria"]].notna()
                       .any(axis=1)]
    out = []
    for _, t in rows.iterrows():  # a few dozen statements: clarity over vectorisation
        upto = sel.loc[sel["date_start"] <= t["count_through_start"]]
        rec = {"statement_date": t["statement_date"], "count_through": t["count_through_start"],
               "official": t["official"], "official_total": t["attacks_total"],
               "coded_total": len(upto),
               "coded_confirmed": int((upto["confirmed_by_us"] == "yes").sum())}
        for country in ("iraq", "syria", "jordan"):
            rec[f"official_{country}"] = t[f"attacks_{country}"]
            rec[f"coded_{country}"] = int((upto["country"].str.casefold() == country).sum())
        out.append(rec)
    table = pd.DataFrame(out)
    if table.empty:
        return table
    for scope in ("total", "iraq", "syria", "jordan"):
        official = table[f"official_{scope}"].astype("Float64")
        table[f"diff_{scope}"] = ((table[f"coded_{scope}"] - official) / official).round(4)
    return table


def summarise_casualties(events: pd.DataFrame, start, end, *, freq: str = "W-MON"
                         ) -> pd.DataFrame:
    """Killed and injured per period with low/best/high sums.

    ``*_low`` adds the lows (a missing low counts 0), ``*_best`` the best estimates (the low
    where there is no best), ``*_high`` the highs; ``*_high_open`` counts events whose high is
    unknown (such as ``40+``), where the true high exceeds the sum. ``n_reporting`` counts
    events with any casualty figure.
    """
    sel = _window(events, start, end)
    period = sel["date_start"].dt.to_period(freq[0]).dt.start_time
    frame = {"period": period}
    for cat in ("killed", "injured"):
        low, best, high = (sel[f"{cat}_{p}"] for p in ("low", "best", "high"))
        frame[f"{cat}_low"] = low.fillna(0)
        frame[f"{cat}_best"] = best.fillna(low).fillna(0)
        frame[f"{cat}_high"] = high.fillna(best).fillna(0)
        frame[f"{cat}_high_open"] = (best.notna() & high.isna()).astype(int)
    frame["n_reporting"] = (sel["killed_best"].notna() | sel["injured_best"].notna()
                            | sel["injured_low"].notna()).astype(int)
    out = pd.DataFrame(frame).groupby("period").sum()
    full = pd.date_range(pd.Timestamp(start).to_period(freq[0]).start_time, end,
                         freq=freq if freq != "W-MON" else "W-MON")
    out = out.reindex(out.index.union(full), fill_value=0).astype("int64")
    return out.rename_axis("period").reset_index()


def attack_gaps(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """Days between consecutive attack days, overall and per country.

    One row per attack day after the first: ``scope`` (``all`` or a country), ``date``,
    ``gap_days`` (days since the previous day with an attack in that scope).
    """
    sel = _window(events, start, end)
    parts = []
    for scope, group in [("all", sel), *sel.groupby("country")]:
        days = np.sort(group["date_start"].unique())
        if len(days) < 2:
            continue
        gaps = (days[1:] - days[:-1]).astype("timedelta64[D]").astype(int)
        parts.append(pd.DataFrame({"scope": scope, "date": days[1:], "gap_days": gaps}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["scope", "date", "gap_days"])


def strike_windows(attacks: pd.DataFrame, strikes: pd.DataFrame, *, window: int = 7
                   ) -> pd.DataFrame:
    """For each US strike day: days since the last attack before it and until the next one
    after it, and attacks in the ``window`` days before and after (strike day excluded)."""
    days = np.sort(attacks["date_start"].unique())
    rows = []
    for day, group in strikes.groupby("date_start"):
        before = days[days < day]
        after = days[days > day]
        rows.append({
            "strike_date": day, "n_strikes": len(group),
            "country": "; ".join(sorted(group["country"].unique())),
            "days_since_attack": (day - before[-1]).days if len(before) else pd.NA,
            "days_to_next_attack": (after[0] - day).days if len(after) else pd.NA,
            "attacks_before": int(((attacks["date_start"] < day) & (
                attacks["date_start"] >= day - pd.Timedelta(days=window))).sum()),
            "attacks_after": int(((attacks["date_start"] > day) & (
                attacks["date_start"] <= day + pd.Timedelta(days=window))).sum()),
        })
    out = pd.DataFrame(rows)
    for col in ("days_since_attack", "days_to_next_attack"):
        out[col] = out[col].astype("Int64")
    return out


def injury_tallies(tallies: pd.DataFrame) -> pd.DataFrame:
    """Official injury counts by day (``injured_total`` and ``injured_tbi``), one row each."""
    sel = tallies.loc[(tallies["count_through_precision"] == "day")
                      & tallies["injured_total"].notna()]
    return sel[["statement_date", "count_through_start", "injured_total", "injured_tbi",
                "killed", "official"]].rename(columns={"count_through_start": "count_through"})


def assign_phase(dates: pd.Series, bounds: dict[str, pd.Timestamp]) -> pd.Series:
    """The campaign phase of each date, from the bounds of :func:`analysis.context.phase_bounds`.

    Phases: before truce (to the day before it), truce (its days), after truce (to the day
    before Tower 22), after Tower 22 (to the day before the February strikes), after February
    strikes.
    """
    cuts = [bounds["truce_start"], bounds["truce_end"] + pd.Timedelta(days=1), bounds["tower22"],
            bounds["feb_strikes"]]
    index = np.searchsorted(np.array(cuts, dtype="datetime64[s]"),
                            dates.to_numpy(dtype="datetime64[s]"), side="right")
    return pd.Series(pd.Categorical.from_codes(index, PHASES), index=dates.index)
