"""Everything the paper needs from ``data/processed``: tables, models, figures, key numbers.

:func:`load_processed` reads what the clean step wrote; :func:`make_tables`,
:func:`make_figures` and :func:`key_numbers` compute from it. The build and the notebooks call
these same functions, so a number in a notebook and in ``reports/key_numbers.csv`` agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .context import phase_bounds, read_context, read_tallies, split_attacks_strikes
from .errors import InputError
from .tables import (
    assign_phase,
    attack_gaps,
    count_daily,
    count_weekly,
    count_weekly_by,
    injury_tallies,
    reconcile_tallies,
    strike_windows,
    summarise_casualties,
)

__all__ = ["Dataset", "load_processed", "make_tables", "tables_for", "write_tables",
           "make_figures", "key_numbers",
           "DEFAULT_START", "DEFAULT_END", "COUNTRIES"]

DEFAULT_START = "2023-10-17"
DEFAULT_END = "2024-12-31"
COUNTRIES = ["Iraq", "Syria", "Jordan"]


@dataclass
class Dataset:
    """The processed data: attacks, US strikes, official tallies, context, phase bounds."""

    attacks: pd.DataFrame
    strikes: pd.DataFrame
    tallies: pd.DataFrame
    context: pd.DataFrame
    bounds: dict[str, pd.Timestamp]
    quarantine: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)


def load_processed(processed: str | Path, raw: str | Path) -> Dataset:
    """Read ``events.parquet``, ``quarantine.csv`` and ``changes.csv`` from ``processed`` and
    the tallies and context tables from ``raw``."""
    processed, raw = Path(processed), Path(raw)
    path = processed / "events.parquet"
    if not path.exists():
        raise InputError("not found; run `python -m analysis build` first", file=str(path))
    events = pd.read_parquet(path)
    attacks, strikes = split_attacks_strikes(events)
    context = read_context(raw / "context.csv")
    return Dataset(
        attacks=attacks, strikes=strikes, tallies=read_tallies(raw / "official_tallies.csv"),
        context=context, bounds=phase_bounds(context),
        quarantine=pd.read_csv(processed / "quarantine.csv", dtype=str, keep_default_na=False),
        changes=pd.read_csv(processed / "changes.csv", dtype=str, keep_default_na=False))


def make_tables(ds: Dataset, start: str = DEFAULT_START, end: str = DEFAULT_END,
                countries: list[str] = COUNTRIES) -> dict[str, pd.DataFrame]:
    """Every tidy table of the analysis, by name."""
    from .escalation import (
        days_to_firsts,
        detect_changepoints,
        fit_interrupted,
        granger_tests,
        reaction_rate_ratio,
        summarise_gaps,
    )
    from .models import dispersion_test, fit_negbin, fit_poisson, tidy_coefficients

    daily = count_daily(ds.attacks, start, end, countries=countries)
    daily = daily.assign(phase=assign_phase(daily["date"], ds.bounds))
    total = daily.groupby("date", as_index=False)["attacks"].sum()
    strikes_daily = count_daily(ds.strikes, start, end, countries=["Iraq", "Syria"])
    strike_total = strikes_daily.groupby("date", as_index=False)["attacks"].sum().rename(
        columns={"attacks": "strikes"})
    both = total.merge(strike_total, on="date")
    gaps = attack_gaps(ds.attacks, start, end)
    windows = strike_windows(ds.attacks, ds.strikes.loc[
        (ds.strikes["date_start"] >= pd.Timestamp(start))
        & (ds.strikes["date_start"] <= pd.Timestamp(end))])
    model_data = daily.loc[daily["country"].isin(["Iraq", "Syria"])].copy()
    model_data["phase"] = model_data["phase"].astype(str)
    poisson = fit_poisson(model_data)
    negbin = fit_negbin(model_data)
    changepoints, scan = detect_changepoints(total.set_index("date")["attacks"])
    its = fit_interrupted(total, ds.bounds)
    its_fit = total.assign(fitted=its.fittedvalues.to_numpy())
    reaction = pd.DataFrame([reaction_rate_ratio(windows)])
    dispersion = pd.DataFrame([dispersion_test(poisson)])
    cumulative = total.assign(coded_total=total["attacks"].cumsum())
    confirmed = count_daily(ds.attacks.loc[ds.attacks["confirmed_by_us"] == "yes"], start, end,
                            countries=countries).groupby("date")["attacks"].sum().cumsum()
    cumulative["coded_confirmed"] = confirmed.to_numpy()
    return {
        "daily_attacks": daily,
        "weekly_attacks": count_weekly(ds.attacks, start, end, countries=countries),
        "weekly_weapons": count_weekly_by(ds.attacks, "weapon_class", start, end),
        "cumulative_attacks": cumulative,
        "reconciliation": reconcile_tallies(ds.attacks, ds.tallies, start=start),
        "casualties_weekly": summarise_casualties(ds.attacks, start, end),
        "injury_tallies": injury_tallies(ds.tallies),
        "attack_gaps": gaps,
        "gap_summary": summarise_gaps(gaps),
        "strike_windows": windows,
        "reaction_rate_ratio": reaction,
        "firsts": days_to_firsts(ds.attacks, ds.strikes),
        "model_poisson": tidy_coefficients(poisson),
        "model_negbin": tidy_coefficients(negbin),
        "dispersion_test": dispersion,
        "changepoints": changepoints,
        "changepoint_scan": scan,
        "interrupted_time_series": tidy_coefficients(its),
        "its_fitted": its_fit,
        "granger": granger_tests(both),
        "daily_attacks_strikes": both,
    }


def _params(start: str, end: str, countries: list[str]) -> str:
    return json.dumps({"start": str(start), "end": str(end), "countries": list(countries)})


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path, start: str, end: str,
                 countries: list[str]) -> list[Path]:
    """Write every table as CSV (for reading) and parquet (for reuse with its types), with the
    parameters they were computed for."""
    from .export import write_csv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        written.append(write_csv(table, out / f"{name}.csv"))
        table.to_parquet(out / f"{name}.parquet", index=False)
    (out / "parameters.json").write_text(_params(start, end, countries) + "\n", encoding="utf-8")
    return written


def tables_for(ds: Dataset, start: str = DEFAULT_START, end: str = DEFAULT_END,
               countries: list[str] = COUNTRIES, *, cache: str | Path | None = None
               ) -> dict[str, pd.DataFrame]:
    """The tables for these parameters: read from ``cache`` (the build's ``tables`` folder)
    when it holds tables computed for the same parameters, computed afresh otherwise."""
    if cache is not None:
        folder = Path(cache)
        stamp = folder / "parameters.json"
        if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == _params(
                start, end, countries):
            names = sorted(p.stem for p in folder.glob("*.parquet"))
            return {n: pd.read_parquet(folder / f"{n}.parquet") for n in names}
    return make_tables(ds, start, end, countries)


def make_figures(ds: Dataset, tables: dict[str, pd.DataFrame], out_dir: str | Path
                 ) -> list[Path]:
    """Draw and save every figure into ``out_dir``; return the files written."""
    import matplotlib.pyplot as plt

    from . import figures as f

    marks = {"truce": ds.bounds["truce_start"], "Tower 22": ds.bounds["tower22"],
             "Feb strikes": ds.bounds["feb_strikes"]}
    campaign = tables["daily_attacks_strikes"]
    main = campaign.loc[campaign["date"] <= ds.bounds["feb_strikes"] + pd.Timedelta(days=14)]
    drawings = {
        "weekly_attacks_by_country": lambda ax: f.plot_weekly_attacks(
            tables["weekly_attacks"], ax, marks=marks),
        "cumulative_vs_official_tallies": lambda ax: f.plot_cumulative_vs_tallies(
            tables["cumulative_attacks"].loc[lambda d: d["date"] <= ds.bounds["feb_strikes"]
                                             + pd.Timedelta(days=14)],
            tables["reconciliation"].loc[lambda d: d["count_through"] <= ds.bounds[
                "feb_strikes"] + pd.Timedelta(days=14)], ax),
        "attacks_by_weapon_class": lambda ax: f.plot_weapons_over_time(
            tables["weekly_weapons"], ax),
        "casualties_with_uncertainty": lambda ax: f.plot_casualties(
            tables["casualties_weekly"], ax),
        "injuries_vs_official_tallies": lambda ax: f.plot_injuries_vs_tallies(
            tables["casualties_weekly"], tables["injury_tallies"], ax),
        "attack_gaps": lambda ax: f.plot_attack_gaps(tables["attack_gaps"], ax),
        "changepoints": lambda ax: f.plot_changepoints(
            tables["daily_attacks_strikes"][["date", "attacks"]], tables["changepoints"], ax),
        "truce_and_strike_effects": lambda ax: f.plot_interrupted(
            tables["its_fitted"].loc[lambda d: d["date"] <= ds.bounds["feb_strikes"]
                                     + pd.Timedelta(days=60)], ax, marks=marks),
        "strike_attack_timeline": lambda ax: f.plot_strike_timeline(
            main[["date", "attacks"]], ds.strikes.loc[
                ds.strikes["date_start"] <= main["date"].max()], ax),
    }
    written = []
    with f.house_style():
        for name, draw in drawings.items():
            fig, ax = plt.subplots()
            draw(ax)
            written += f.save_figure(fig, name, out_dir)
    return written


def key_numbers(ds: Dataset, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The headline numbers, each with the function that computed it."""
    rows: list[tuple[str, object, str]] = []

    def add(name: str, value: object, made_by: str) -> None:
        rows.append((name, value, made_by))

    a, s = ds.attacks, ds.strikes
    add("attacks_coded", len(a), "analysis.context.split_attacks_strikes")
    add("attacks_confirmed_by_us", int((a["confirmed_by_us"] == "yes").sum()),
        "analysis.context.split_attacks_strikes")
    for country in COUNTRIES:
        add(f"attacks_in_{country.lower()}", int((a["country"] == country).sum()),
            "analysis.context.split_attacks_strikes")
    add("us_strike_events_coded", len(s), "analysis.context.split_attacks_strikes")
    add("raw_rows_quarantined", len(ds.quarantine), "analysis.pipeline.clean_incidents")
    add("cells_changed_or_interpreted", len(ds.changes), "analysis.pipeline.clean_incidents")
    rec = tables["reconciliation"]
    if len(rec):
        last = rec.loc[rec["count_through"] <= ds.bounds["feb_strikes"]].iloc[-1]
        add("last_tally_before_feb_strikes_official", int(last["official_total"]),
            "analysis.tables.reconcile_tallies")
        add("last_tally_before_feb_strikes_coded", int(last["coded_total"]),
            "analysis.tables.reconcile_tallies")
        window = rec.loc[rec["count_through"] <= ds.bounds["feb_strikes"]
                         ].dropna(subset=["diff_total"])
        add("tallies_within_10pct_total", f"{int((window['diff_total'].abs() <= 0.10).sum())}"
            f" of {len(window)}", "analysis.tables.reconcile_tallies")
    for _, row in tables["firsts"].iterrows():
        add(f"days_to_first_{row['first'].replace(' ', '_').lower()}",
            row["days_since_oct7"], "analysis.escalation.days_to_firsts")
    cas = tables["casualties_weekly"]
    for cat in ("killed", "injured"):
        add(f"{cat}_best_total", int(cas[f"{cat}_best"].sum()),
            "analysis.tables.summarise_casualties")
        add(f"{cat}_low_high", f"{int(cas[f'{cat}_low'].sum())}-{int(cas[f'{cat}_high'].sum())}"
            f" ({int(cas[f'{cat}_high_open'].sum())} open-ended)",
            "analysis.tables.summarise_casualties")
    gaps = tables["gap_summary"].set_index("scope")
    if "all" in gaps.index:
        add("median_gap_days_all", float(gaps.loc["all", "median"]),
            "analysis.escalation.summarise_gaps")
        add("max_gap_days_all", int(gaps.loc["all", "max"]), "analysis.escalation.summarise_gaps")
    disp = tables["dispersion_test"].iloc[0]
    add("dispersion_alpha", round(float(disp["alpha"]), 3), "analysis.models.dispersion_test")
    add("dispersion_p_value", float(f"{disp['p_value']:.3g}"), "analysis.models.dispersion_test")
    nb = tables["model_negbin"].set_index("term")
    for term in nb.index:
        if term.startswith(("C(phase", "C(country")):
            r = nb.loc[term]
            add(f"negbin_rate_ratio[{term}]", f"{r['rate_ratio']:.2f} ({r['rr_ci_low']:.2f}-"
                f"{r['rr_ci_high']:.2f})", "analysis.models.fit_negbin")
    its = tables["interrupted_time_series"].set_index("term")
    for term in ("truce", "after_truce", "after_feb_strikes"):
        r = its.loc[term]
        add(f"its_rate_ratio[{term}]", f"{r['rate_ratio']:.2f} ({r['rr_ci_low']:.2f}-"
            f"{r['rr_ci_high']:.2f})", "analysis.escalation.fit_interrupted")
    for _, cp in tables["changepoints"].iterrows():
        add(f"changepoint_{cp['date']:%Y-%m-%d}", f"{cp['mean_before']:.2f}->"
            f"{cp['mean_after']:.2f} per day, stability {cp['stability']:.0%}",
            "analysis.escalation.detect_changepoints")
    rr = tables["reaction_rate_ratio"].iloc[0]
    add("attacks_7d_after_vs_before_strikes", f"{rr['rate_ratio']:.2f} ({rr['ci_low']:.2f}-"
        f"{rr['ci_high']:.2f}); {int(rr['attacks_after'])} vs {int(rr['attacks_before'])}",
        "analysis.escalation.reaction_rate_ratio")
    return pd.DataFrame(rows, columns=["name", "value", "made_by"]).astype({"value": str})
