"""Escalation timing: firsts, gaps, changepoints, interrupted time series, action and reaction,
Granger tests and a bivariate self-exciting (Hawkes) model of attacks and US strikes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["days_to_firsts", "summarise_gaps", "detect_changepoints", "fit_interrupted",
           "reaction_rate_ratio", "granger_tests", "GRANGER_CAVEATS", "simulate_hawkes",
           "hawkes_loglik", "fit_hawkes", "HawkesFit", "event_times"]

OCT7 = pd.Timestamp("2023-10-07")


def days_to_firsts(attacks: pd.DataFrame, strikes: pd.DataFrame) -> pd.DataFrame:
    """Days from 7 October 2023 to each first, computed from the clean tables.

    Firsts: attack; attack in each country; ballistic missile; US strike in Syria and in Iraq;
    US deaths (an attack with ``killed_best > 0`` on US forces).
    """
    rows = []

    def first(label: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            rows.append({"first": label, "date": pd.NaT, "event_id": "", "site": ""})
            return
        row = frame.sort_values(["date_start", "event_id"]).iloc[0]
        rows.append({"first": label, "date": row["date_start"], "event_id": row["event_id"],
                     "site": row["site"]})

    after = attacks.loc[attacks["date_start"] >= OCT7]
    first("attack", after)
    for country in sorted(after["country"].unique()):
        first(f"attack in {country}", after.loc[after["country"] == country])
    first("ballistic missile attack", after.loc[after["weapon_class"] == "ballistic missile"])
    s = strikes.loc[strikes["date_start"] >= OCT7]
    for country in ("Syria", "Iraq"):
        first(f"US strike in {country}", s.loc[s["country"] == country])
    us_targets = after["target"].str.contains("US", na=False)
    first("US deaths", after.loc[us_targets & (after["killed_best"].fillna(0) > 0)])
    out = pd.DataFrame(rows)
    out["days_since_oct7"] = (out["date"] - OCT7).dt.days.astype("Int64")
    return out


def summarise_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """Distribution of gaps between attack days per scope: count, mean, median, p90, max."""
    g = gaps.groupby("scope")["gap_days"]
    return pd.DataFrame({"n_gaps": g.size(), "mean": g.mean().round(2), "median": g.median(),
                         "p90": g.quantile(0.9), "max": g.max()}).reset_index()


def _pelt(y: np.ndarray, pen: float, min_size: int) -> list[int]:
    """The segment ends (the last is ``len(y)``) minimising the Poisson cost plus ``pen`` per
    segment, segments at least ``min_size`` long: PELT (Killick, Fearnhead and Eckley 2012),
    each end's candidate starts in one NumPy array.

    The cost of a segment is twice its negative Poisson log-likelihood at its own mean rate
    (constant terms dropped), from cumulative sums. The search and its pruning follow ruptures'
    ``Pelt(jump=1)``, which this replaces (it called a Python cost function per candidate:
    1.6-2.0 s of the build), step for step and in the same floating-point order, ties going to
    the earliest start as there; ``tests/test_escalation.py`` holds the two to the same answers.
    """
    n = len(y)
    if n < min_size:
        raise ValueError(f"a series of {n} days is shorter than one segment ({min_size} days)")
    cumsum = np.concatenate([[0.0], np.cumsum(np.asarray(y, dtype=float))])
    best = np.zeros(n + 1)  # the lowest total cost of the series up to each end
    start_of = np.zeros(n + 1, dtype=np.intp)  # the last segment's start in that segmentation
    candidates = np.zeros(0, dtype=np.intp)
    for end in [*range(min_size, n), n]:
        candidates = np.append(candidates, end - min_size)
        starts = candidates[(candidates == 0) | (candidates >= min_size)]  # 0, or an end before
        total = cumsum[end] - cumsum[starts]
        with np.errstate(divide="ignore", invalid="ignore"):
            error = np.where(total > 0, 2 * (total - total * np.log(total / (end - starts))), 0.0)
        cost = best[starts] + (error + pen)
        at = int(np.argmin(cost))  # the first of equal costs, as ruptures' min()
        best[end], start_of[end] = cost[at], starts[at]
        candidates = starts[cost <= best[end] + pen]
    ends, end = [], n
    while end > 0:
        ends.append(end)
        end = int(start_of[end])
    return ends[::-1]


def detect_changepoints(counts: pd.Series, *, penalties: np.ndarray | None = None,
                        min_size: int = 7, tolerance: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Changepoints in the rate of a daily count series: a PELT search with a Poisson cost
    (:func:`_pelt`, the answers of ruptures' ``Pelt``), and a penalty scan to show how stable
    each changepoint is.

    The reported penalty is BIC's for a new rate and a new location, ``2 * log(n)``. Each
    changepoint's ``stability`` is the share of the scanned penalties (by default 0.25 to 4 times
    the reported one) whose segmentation has a changepoint within ``tolerance`` days of it.

    Returns ``(changepoints, scan)``: changepoints with ``date`` (first day of the new segment),
    ``mean_before``, ``mean_after``, ``stability``; one scan row per penalty with its dates.
    """
    y = counts.to_numpy(dtype=float)
    n = len(y)
    pen = 2 * np.log(n)
    penalties = pen * np.geomspace(0.25, 4, 9) if penalties is None else np.asarray(penalties)

    def segment(p: float) -> list[int]:
        return [b for b in _pelt(y, p, min_size) if b < n]

    chosen = segment(pen)
    found = [segment(p) for p in penalties]
    scan = pd.DataFrame({"penalty": penalties, "n_changepoints": [len(b) for b in found],
                         "dates": [";".join(str(counts.index[i].date()) for i in b)
                                   for b in found]})
    rows, edges = [], [0, *chosen, n]
    for k, b in enumerate(chosen):
        hits = sum(any(abs(b - c) <= tolerance for c in bs) for bs in found)
        rows.append({"date": counts.index[b], "mean_before": float(y[edges[k]:b].mean()),
                     "mean_after": float(y[b:edges[k + 2]].mean()),
                     "stability": hits / len(penalties), "penalty": pen})
    cols = ["date", "mean_before", "mean_after", "stability", "penalty"]
    return pd.DataFrame(rows, columns=cols), scan


def fit_interrupted(daily_total: pd.DataFrame, bounds: dict[str, pd.Timestamp]) -> Any:
    """Interrupted time series: negative binomial GLM of daily attacks with a linear trend and
    level shifts for the truce, the weeks after it, and the time after the February strikes.

    ``daily_total`` has ``date`` and ``attacks``. Terms: ``t`` (days), ``truce`` (1 during it),
    ``after_truce`` (1 from the day after it), ``after_feb_strikes`` (1 from their first day).
    Returns the statsmodels results (robust HC0 standard errors).
    """
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    d = daily_total.copy()
    d["t"] = (d["date"] - d["date"].min()).dt.days
    d["truce"] = ((d["date"] >= bounds["truce_start"]) & (d["date"] <= bounds["truce_end"])
                  ).astype(int)
    d["after_truce"] = (d["date"] > bounds["truce_end"]).astype(int)
    d["after_feb_strikes"] = (d["date"] >= bounds["feb_strikes"]).astype(int)
    formula = "attacks ~ t + truce + after_truce + after_feb_strikes"
    return smf.glm(formula, data=d, family=sm.families.NegativeBinomial(alpha=1.0)).fit(
        cov_type="HC0")


def reaction_rate_ratio(windows: pd.DataFrame, *, level: float = 0.95) -> dict[str, float]:
    """Pooled rate ratio of attacks in the windows after US strikes to the windows before,
    with an exact (Clopper-Pearson, conditional on the total) interval."""
    from scipy import stats

    after, before = int(windows["attacks_after"].sum()), int(windows["attacks_before"].sum())
    total = after + before
    if total == 0:
        return {"attacks_before": 0, "attacks_after": 0, "rate_ratio": np.nan,
                "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan}
    ci = stats.binomtest(after, total, 0.5).proportion_ci(level, method="exact")

    def ratio(p: float) -> float:
        return p / (1 - p) if p < 1 else np.inf

    return {"attacks_before": before, "attacks_after": after,
            "rate_ratio": after / before if before else np.inf,
            "ci_low": ratio(ci.low), "ci_high": ratio(ci.high),
            "p_value": stats.binomtest(after, total, 0.5).pvalue}


GRANGER_CAVEATS = (
    "Granger tests ask whether past values of one daily series improve a linear prediction of "
    "the other. Here strikes are rare (most days are zero), counts are small and not normal, "
    "both series respond to outside events (the Gaza war, the truce), and the coded series "
    "undercount some days; a small p-value is a pattern to explain, not evidence of causation.")


def granger_tests(daily: pd.DataFrame, *, maxlag: int = 7) -> pd.DataFrame:
    """Granger tests both ways between daily ``attacks`` and ``strikes`` (SSR F test).

    Returns one row per direction and lag with the F statistic and p-value; read it with
    :data:`GRANGER_CAVEATS`.
    """
    import warnings

    from statsmodels.tsa.stattools import grangercausalitytests

    rows = []
    for cause, effect in (("strikes", "attacks"), ("attacks", "strikes")):
        data = daily[[effect, cause]].astype(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = grangercausalitytests(data, maxlag=maxlag)
        for lag, (tests, _) in res.items():
            f, p, _, _ = tests["ssr_ftest"]
            rows.append({"cause": cause, "effect": effect, "lag": lag, "F": float(f),
                         "p_value": float(p)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# A bivariate Hawkes process with exponential kernels, fitted by maximum likelihood.
#
# lambda_i(t) = mu_i + sum_j alpha_ij * beta * sum_{t_k in j, t_k < t} exp(-beta (t - t_k))
#
# alpha_ij is the expected number of type-i events that one type-j event triggers (the branching
# ratio); beta is the decay rate per day (1 / beta the mean delay). No maintained Hawkes library
# installs cleanly for this stack, so this small implementation is tested by recovering known
# parameters from simulated data (tests/test_escalation.py).


@dataclass(frozen=True)
class HawkesFit:
    """A fitted bivariate Hawkes process: baselines, branching matrix, decay, log-likelihood."""

    names: tuple[str, str]
    mu: np.ndarray
    alpha: np.ndarray
    beta: float
    loglik: float
    horizon: float
    converged: bool

    def table(self) -> pd.DataFrame:
        """Tidy parameters: one row per parameter with a plain-language reading."""
        rows = [{"parameter": f"mu[{n}]", "value": float(m),
                 "meaning": f"baseline {n} per day"} for n, m in zip(self.names, self.mu,
                                                                     strict=True)]
        for i, a in enumerate(self.names):
            for j, b in enumerate(self.names):
                rows.append({"parameter": f"alpha[{a}<-{b}]", "value": float(self.alpha[i, j]),
                             "meaning": f"{a} triggered per {b}"})
        rows.append({"parameter": "beta", "value": self.beta,
                     "meaning": "decay per day (1/beta = mean delay in days)"})
        return pd.DataFrame(rows)


def event_times(days: pd.Series, origin: pd.Timestamp) -> np.ndarray:
    """Continuous times (days since ``origin``) for day-dated events: the k-th of n events on a
    day is placed at ``day + (k + 0.5) / n``, a deterministic spread that avoids ties."""
    d = np.sort(((days - origin).dt.days).to_numpy(dtype=float))
    out = d.copy()
    for value in np.unique(d):
        idx = np.flatnonzero(d == value)
        out[idx] = value + (np.arange(len(idx)) + 0.5) / len(idx)
    return out


def hawkes_loglik(times: list[np.ndarray], mu: np.ndarray, alpha: np.ndarray, beta: float,
                  horizon: float) -> float:
    """Log-likelihood of a multivariate exponential Hawkes process on ``[0, horizon]``."""
    dim = len(times)
    marks = np.concatenate([np.full(len(t), i) for i, t in enumerate(times)])
    stamps = np.concatenate(times)
    order = np.argsort(stamps, kind="stable")
    stamps, marks = stamps[order], marks[order]
    state = np.zeros(dim)  # sum over past events of type j of beta * exp(-beta (t - t_k))
    last = 0.0
    ll = 0.0
    for t, m in zip(stamps, marks, strict=True):
        state *= np.exp(-beta * (t - last))
        lam = mu[m] + alpha[m] @ state
        if lam <= 0:
            return -np.inf
        ll += np.log(lam)
        state[m] += beta
        last = t
    compensator = mu.sum() * horizon
    for j, tj in enumerate(times):
        compensator += alpha[:, j].sum() * np.sum(1 - np.exp(-beta * (horizon - tj)))
    return float(ll - compensator)


def fit_hawkes(times: list[np.ndarray], horizon: float, *, names: tuple[str, str] = (
        "attacks", "strikes"), start: tuple[float, float, float] = (0.5, 0.2, 1.0)) -> HawkesFit:
    """Maximum-likelihood fit (L-BFGS-B on log parameters) of a bivariate exponential Hawkes
    process with one shared decay ``beta``."""
    from scipy.optimize import minimize

    dim = len(times)
    rates = np.array([max(len(t), 1) / horizon for t in times])

    def unpack(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        return np.exp(x[:dim]), np.exp(x[dim:dim + dim * dim]).reshape(dim, dim), float(
            np.exp(x[-1]))

    x0 = np.concatenate([np.log(rates * start[0]), np.full(dim * dim, np.log(start[1])),
                         [np.log(start[2])]])

    def objective(x: np.ndarray) -> float:
        mu, alpha, beta = unpack(x)
        ll = hawkes_loglik(times, mu, alpha, beta, horizon)
        return -ll if np.isfinite(ll) else 1e12

    bounds = [(-12, 5)] * dim + [(-12, 2)] * (dim * dim) + [(-5, 4)]
    res = minimize(objective, x0, method="L-BFGS-B", bounds=bounds)
    mu, alpha, beta = unpack(res.x)
    return HawkesFit(names, mu, alpha, beta, -float(res.fun), horizon, bool(res.success))


def simulate_hawkes(mu: np.ndarray, alpha: np.ndarray, beta: float, horizon: float,
                    seed: int = 0) -> list[np.ndarray]:
    """Simulate a multivariate exponential Hawkes process by Ogata's thinning."""
    rng = np.random.default_rng(seed)
    dim = len(mu)
    out: list[list[float]] = [[] for _ in range(dim)]
    state = np.zeros(dim)
    t = 0.0
    while True:
        upper = float(mu.sum() + (alpha @ state).sum())
        w = rng.exponential(1 / upper)
        state *= np.exp(-beta * w)
        t += w
        if t > horizon:
            break
        lam = mu + alpha @ state
        u = rng.uniform(0, upper)
        if u < lam.sum():
            m = int(np.searchsorted(np.cumsum(lam), u, side="right"))
            out[m].append(t)
            state[m] += beta
    return [np.array(x) for x in out]
