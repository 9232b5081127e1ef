"""Figures: one ``plot_*`` function per figure (tidy table in, Axes out), one house style applied
explicitly, and one :func:`save_figure` that writes PDF, PNG and SVG with fixed metadata so a
rebuild gives byte-identical files. Nothing here changes matplotlib's settings on import."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["house_style", "save_figure", "PALETTE", "plot_weekly_attacks",
           "plot_cumulative_vs_tallies", "plot_weapons_over_time", "plot_casualties",
           "plot_injuries_vs_tallies", "plot_attack_gaps", "plot_changepoints",
           "plot_interrupted", "plot_strike_timeline"]

#: Okabe-Ito colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
COUNTRY_COLOURS = {"Iraq": PALETTE[0], "Syria": PALETTE[1], "Jordan": PALETTE[2]}


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """The project's one style, as a context manager (nothing global is changed)."""
    import matplotlib as mpl

    rc = {
        "figure.figsize": (7.5, 4.0), "figure.dpi": 100, "savefig.dpi": 200,
        "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 8,
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
        "grid.alpha": 0.3, "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "svg.hashsalt": "analysis", "svg.fonttype": "path", "pdf.fonttype": 42,
        "date.converter": "concise",
    }
    with mpl.rc_context(rc):
        yield


def _ax(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def save_figure(fig: Any, name: str, out_dir: str | Path, *,
                formats: tuple[str, ...] = ("pdf", "png", "svg")) -> list[Path]:
    """Write ``fig`` as ``name.{pdf,png,svg}`` into ``out_dir`` with fixed metadata.

    Creation dates and software versions are left out of the files, so rebuilding with the
    same data and library versions gives byte-identical files.
    """
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    metadata = {"pdf": {"CreationDate": None, "ModDate": None, "Producer": None,
                        "Creator": None},
                "png": {"Software": None},
                "svg": {"Date": None, "Creator": None}}
    paths = []
    for fmt in formats:
        path = out / f"{name}.{fmt}"
        fig.savefig(path, format=fmt, metadata=metadata[fmt], bbox_inches="tight")
        paths.append(path)
    plt.close(fig)
    return paths


def _daily_bars(ax: Any, dates: pd.Series, values: pd.Series, **kwargs: Any) -> None:
    """Daily counts as one filled step artist (fast, unlike one bar patch per day)."""
    edges = pd.DatetimeIndex(dates).append(pd.DatetimeIndex([pd.Timestamp(dates.iloc[-1])
                                                             + pd.Timedelta(days=1)]))
    ax.stairs(values.to_numpy(dtype=float), edges.to_numpy(), fill=True, **kwargs)


def _mark_dates(ax: Any, marks: dict[str, pd.Timestamp] | None) -> None:
    for k, (label, day) in enumerate((marks or {}).items()):
        ax.axvline(day, color="0.4", lw=0.8, ls="--", zorder=0)
        ax.annotate(label, (day, 1 - 0.18 * (k % 2)), xycoords=("data", "axes fraction"),
                    rotation=90, va="top", ha="right", fontsize=7, color="0.3")


def plot_weekly_attacks(weekly: pd.DataFrame, ax: Any = None, *,
                        marks: dict[str, pd.Timestamp] | None = None) -> Any:
    """Stacked bars of weekly attacks by country (``week``, ``country``, ``attacks``)."""
    ax = _ax(ax)
    wide = weekly.pivot(index="week", columns="country", values="attacks").fillna(0)
    bottom = np.zeros(len(wide))
    for country in wide.columns:
        ax.bar(wide.index, wide[country], width=6, bottom=bottom, align="edge", label=country,
               color=COUNTRY_COLOURS.get(country))
        bottom += wide[country].to_numpy()
    _mark_dates(ax, marks)
    ax.set(ylabel="attacks per week", title="Coded attacks on US and coalition forces by week")
    ax.legend(frameon=False)
    return ax


def plot_cumulative_vs_tallies(daily: pd.DataFrame, reconciliation: pd.DataFrame,
                               ax: Any = None) -> Any:
    """Cumulative coded attacks (all, and confirmed by US officials) against official tallies.

    ``daily`` has ``date``, ``coded_total``, ``coded_confirmed`` (cumulative);
    ``reconciliation`` is :func:`analysis.tables.reconcile_tallies`.
    """
    ax = _ax(ax)
    ax.step(daily["date"], daily["coded_total"], where="post", label="coded, all",
            color=PALETTE[0])
    ax.step(daily["date"], daily["coded_confirmed"], where="post",
            label="coded, confirmed by US officials", color=PALETTE[4], ls="--")
    tallies = reconciliation.dropna(subset=["official_total"])
    ax.scatter(tallies["count_through"], tallies["official_total"].astype(float), color=PALETTE[5],
               zorder=3, s=14, label="official tally")
    ax.set(ylabel="attacks since 17 Oct 2023", title="Coded attacks against official US tallies")
    ax.legend(frameon=False)
    return ax


def plot_weapons_over_time(weekly_by_weapon: pd.DataFrame, ax: Any = None) -> Any:
    """Weekly attacks by weapon class (``week``, ``weapon_class``, ``attacks``), stacked."""
    ax = _ax(ax)
    wide = weekly_by_weapon.pivot(index="week", columns="weapon_class", values="attacks")
    order = wide.sum().sort_values(ascending=False).index
    ax.stackplot(wide.index, *[wide[c].to_numpy() for c in order], labels=list(order),
                 colors=PALETTE[: len(order)], step="post")
    ax.set(ylabel="attacks per week", title="Attacks by weapon class")
    ax.legend(frameon=False, ncols=2)
    return ax


def plot_casualties(casualties: pd.DataFrame, ax: Any = None) -> Any:
    """Cumulative injured and killed (best) with low-high bands; open-ended highs marked."""
    ax = _ax(ax)
    for cat, colour in (("injured", PALETTE[1]), ("killed", PALETTE[5])):
        lo, best, hi = (casualties[f"{cat}_{p}"].cumsum() for p in ("low", "best", "high"))
        ax.fill_between(casualties["period"], lo, hi, step="post", alpha=0.25, color=colour)
        ax.step(casualties["period"], best, where="post", color=colour, label=f"{cat} (best)")
    ax.set(ylabel="people, cumulative", title="Reported casualties in coded attacks "
           "(band: low to high; highs of open-ended reports such as '40+' are lower bounds)")
    ax.title.set_fontsize(8)
    ax.legend(frameon=False)
    return ax


def plot_injuries_vs_tallies(casualties: pd.DataFrame, injuries: pd.DataFrame,
                             ax: Any = None) -> Any:
    """Cumulative coded injuries (best, and high) against official injury tallies."""
    ax = _ax(ax)
    ax.step(casualties["period"], casualties["injured_best"].cumsum(), where="post",
            label="coded injured (best)", color=PALETTE[1])
    ax.step(casualties["period"], casualties["injured_high"].cumsum(), where="post",
            label="coded injured (high)", color=PALETTE[1], ls=":")
    ax.scatter(injuries["count_through"], injuries["injured_total"].astype(float),
               color=PALETTE[5], s=14, zorder=3, label="official injured tally")
    ax.set(ylabel="people injured, cumulative", title="Coded injuries against official tallies")
    ax.legend(frameon=False)
    return ax


def plot_attack_gaps(gaps: pd.DataFrame, ax: Any = None) -> Any:
    """Histogram of days between consecutive attack days, all countries together."""
    ax = _ax(ax)
    g = gaps.loc[gaps["scope"] == "all", "gap_days"]
    bins = np.arange(0.5, max(int(g.max()) if len(g) else 1, 1) + 1.5)
    ax.hist(g, bins=bins, color=PALETTE[0])
    ax.set(xlabel="days since the previous attack day", ylabel="attack days",
           title="Gaps between attack days")
    return ax


def plot_changepoints(daily_total: pd.DataFrame, changepoints: pd.DataFrame,
                      ax: Any = None) -> Any:
    """Daily attacks with detected changepoints and segment means."""
    ax = _ax(ax)
    _daily_bars(ax, daily_total["date"], daily_total["attacks"], color=PALETTE[4],
                label="attacks per day")
    edges = [daily_total["date"].min(), *changepoints["date"],
             daily_total["date"].max() + pd.Timedelta(days=1)]
    for k in range(len(edges) - 1):
        seg = daily_total.loc[(daily_total["date"] >= edges[k]) & (daily_total["date"] < edges[k + 1])]
        ax.hlines(seg["attacks"].mean(), edges[k], edges[k + 1], color=PALETTE[5], lw=2,
                  label="segment mean" if k == 0 else None)
    for _, cp in changepoints.iterrows():
        ax.axvline(cp["date"], color="0.2", ls="--", lw=0.8)
        ax.annotate(f"{cp['date']:%d %b} ({cp['stability']:.0%})", (cp["date"], 1),
                    xycoords=("data", "axes fraction"), rotation=90, va="top", ha="right",
                    fontsize=7)
    ax.set(ylabel="attacks per day", title="Changepoints in the daily attack rate "
           "(share of penalty scan that finds each)")
    ax.legend(frameon=False)
    return ax


def plot_interrupted(fitted: pd.DataFrame, ax: Any = None, *,
                     marks: dict[str, pd.Timestamp] | None = None) -> Any:
    """Weekly observed attacks and the interrupted-time-series fit (``date``, ``attacks``,
    ``fitted``), with the truce and the February strikes marked."""
    ax = _ax(ax)
    _daily_bars(ax, fitted["date"], fitted["attacks"], color=PALETTE[4], label="observed")
    ax.plot(fitted["date"], fitted["fitted"], color=PALETTE[5], lw=1.5, label="model")
    _mark_dates(ax, marks)
    ax.set(ylabel="attacks per day", title="Truce and February strikes: interrupted time series")
    ax.legend(frameon=False)
    return ax


def plot_strike_timeline(daily: pd.DataFrame, strikes: pd.DataFrame, ax: Any = None) -> Any:
    """Daily attacks as bars and US strike days as markers on one time line."""
    ax = _ax(ax)
    _daily_bars(ax, daily["date"], daily["attacks"], color=PALETTE[0], label="attacks per day")
    days = strikes.groupby(["date_start", "country"]).size().reset_index(name="n")
    top = max(float(daily["attacks"].max()), 1.0)
    for country, marker in (("Syria", "v"), ("Iraq", "^")):
        sel = days.loc[days["country"] == country]
        ax.scatter(sel["date_start"], np.full(len(sel), top * 1.1), marker=marker, s=30,
                   color=COUNTRY_COLOURS[country], label=f"US strike in {country}", zorder=3)
    ax.set(ylabel="attacks per day", title="Attacks and US strikes")
    ax.set_ylim(0, top * 1.25)
    ax.legend(frameon=False, ncols=3)
    return ax
