"""Escalation timing: planted changepoints, recovered Hawkes parameters, firsts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.escalation import (
    days_to_firsts,
    detect_changepoints,
    event_times,
    fit_hawkes,
    granger_tests,
    hawkes_loglik,
    reaction_rate_ratio,
    simulate_hawkes,
)


def test_planted_changepoint_found():
    """A rate change planted at day 60 is found within three days, and stably."""
    rng = np.random.default_rng(7)
    y = np.concatenate([rng.poisson(2.0, 60), rng.poisson(0.2, 60)])
    s = pd.Series(y, index=pd.date_range("2023-10-17", periods=120))
    cps, scan = detect_changepoints(s)
    assert len(cps) >= 1
    nearest = min(cps["date"], key=lambda d: abs((d - s.index[60]).days))
    assert abs((nearest - s.index[60]).days) <= 3
    assert cps.loc[cps["date"] == nearest, "stability"].item() >= 0.5
    assert len(scan) == 9


def _ruptures_pelt(y, pen, min_size):
    """The search as the project ran it before: ruptures' Pelt with a Poisson cost."""
    rpt = pytest.importorskip("ruptures")

    class CostPoisson(rpt.base.BaseCost):
        model, min_size = "poisson", 1

        def fit(self, signal):
            self.signal = np.asarray(signal, dtype=float).reshape(-1, 1)
            self.cumsum = np.concatenate([[0.0], np.cumsum(self.signal[:, 0])])
            return self

        def error(self, start, end):
            total = self.cumsum[end] - self.cumsum[start]
            if total <= 0:
                return 0.0
            return float(2 * (total - total * np.log(total / (end - start))))

    return rpt.Pelt(custom_cost=CostPoisson(), min_size=min_size, jump=1).fit(
        np.asarray(y, dtype=float)).predict(pen=pen)


def test_pelt_gives_ruptures_answers():
    """The NumPy search gives the same segment ends as ruptures' Pelt on series with and
    without changes, short and long, sparse and dense, at many penalties."""
    from analysis.escalation import _pelt

    rng = np.random.default_rng(20231017)
    cases = [(int(rng.integers(1, 120)), int(rng.integers(1, 10))) for _ in range(300)]
    cases += [(int(rng.integers(300, 500)), 7) for _ in range(6)]
    for n, min_size in cases:
        if n < min_size:
            continue
        k = int(rng.integers(0, 4))
        edges = [0, *np.sort(rng.integers(0, n, size=k)), n]
        y = np.concatenate([rng.poisson(rng.choice([0, 0.1, 0.5, 1, 2, 5]), b - a)
                            for a, b in zip(edges[:-1], edges[1:], strict=True)])
        pen = float(rng.choice([0.5, 2 * np.log(n + 1), 5, 20]) * rng.uniform(0.25, 4))
        assert _pelt(y, pen, min_size) == _ruptures_pelt(y, pen, min_size), (n, min_size, pen)


def test_pelt_refuses_a_series_shorter_than_a_segment():
    from analysis.escalation import _pelt

    with pytest.raises(ValueError, match="shorter than one segment"):
        _pelt(np.ones(5), 1.0, 7)


def test_no_changepoint_in_flat_series():
    """A constant-rate series yields no changepoint at the reported penalty."""
    rng = np.random.default_rng(3)
    s = pd.Series(rng.poisson(1.0, 200), index=pd.date_range("2024-01-01", periods=200))
    assert detect_changepoints(s)[0].empty


@pytest.mark.slow
def test_hawkes_recovers_simulated_parameters():
    """Parameters of a simulated bivariate Hawkes process are recovered by the MLE."""
    mu = np.array([0.4, 0.15])
    alpha = np.array([[0.3, 0.4], [0.2, 0.1]])
    beta = 1.0
    times = simulate_hawkes(mu, alpha, beta, 3000.0, seed=11)
    fit = fit_hawkes(times, 3000.0)
    assert fit.converged
    assert np.allclose(fit.mu, mu, atol=0.06)
    assert np.allclose(fit.alpha, alpha, atol=0.12)
    assert abs(fit.beta - beta) < 0.4
    assert hawkes_loglik(times, fit.mu, fit.alpha, fit.beta, 3000.0) >= hawkes_loglik(
        times, mu, alpha, beta, 3000.0) - 1e-6


def test_event_times_spread_ties():
    """Events on one day get distinct times inside that day."""
    t = event_times(pd.Series(pd.to_datetime(["2023-10-18", "2023-10-18", "2023-10-19"])),
                    pd.Timestamp("2023-10-17"))
    assert t.tolist() == [1.25, 1.75, 2.5]


def test_reaction_rate_ratio_exact_interval():
    """Equal counts before and after give a ratio of 1 inside its interval."""
    r = reaction_rate_ratio(pd.DataFrame({"attacks_before": [5, 5], "attacks_after": [4, 6]}))
    assert r["rate_ratio"] == 1.0 and r["ci_low"] < 1 < r["ci_high"]


def test_granger_finds_planted_lead():
    """When strikes lead attacks by one day, strikes Granger-cause attacks at lag 1."""
    rng = np.random.default_rng(5)
    strikes = rng.poisson(0.5, 400)
    attacks = np.concatenate([[0], strikes[:-1] * 2]) + rng.poisson(0.2, 400)
    g = granger_tests(pd.DataFrame({"attacks": attacks, "strikes": strikes}), maxlag=2)
    p = g.set_index(["cause", "lag"])["p_value"]
    assert p[("strikes", 1)] < 1e-6 and p[("attacks", 1)] > 0.001


def test_firsts_from_data():
    """Each first is the earliest matching event; days count from 7 October 2023."""
    a = pd.DataFrame({"event_id": ["A", "B", "C"], "date_start": pd.to_datetime(
        ["2023-10-18", "2023-10-19", "2024-01-28"]), "country": ["Iraq", "Syria", "Jordan"],
        "site": ["x", "y", "Tower 22"], "weapon_class": ["drone", "ballistic missile", "drone"],
        "target": ["US forces"] * 3, "killed_best": pd.array([0, None, 3], dtype="Int64")})
    s = pd.DataFrame({"event_id": ["S"], "date_start": pd.to_datetime(["2023-10-27"]),
                      "country": ["Syria"], "site": ["Abu Kamal"]})
    f = days_to_firsts(a, s).set_index("first")["days_since_oct7"]
    assert (f["attack"], f["ballistic missile attack"], f["US strike in Syria"],
            f["US deaths"]) == (11, 12, 20, 113)
    assert pd.isna(f["US strike in Iraq"])
