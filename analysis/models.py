"""Count models of daily attacks: named formulas, fitted results, tidy coefficient tables.

statsmodels is imported inside the functions, so ``import analysis`` stays light.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FORMULAS", "fit_poisson", "fit_negbin", "dispersion_test", "tidy_coefficients"]

#: Named model formulas on the daily table (``attacks`` per ``country`` and ``phase``).
FORMULAS = {
    "country_phase": "attacks ~ C(country) + C(phase, Treatment(reference='before truce'))",
    "country": "attacks ~ C(country)",
}


def fit_poisson(daily: pd.DataFrame, formula: str = FORMULAS["country_phase"]) -> Any:
    """Poisson GLM of daily counts; returns the statsmodels results object."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    return smf.glm(formula, data=daily, family=sm.families.Poisson()).fit()


def fit_negbin(daily: pd.DataFrame, formula: str = FORMULAS["country_phase"]) -> Any:
    """Negative binomial (NB2, dispersion ``alpha`` estimated) of daily counts."""
    import statsmodels.formula.api as smf

    return smf.negativebinomial(formula, data=daily).fit(disp=False, maxiter=500)


def dispersion_test(poisson_result: Any) -> dict[str, float]:
    """Cameron and Trivedi's (1990) regression test of Poisson equidispersion.

    Regresses ``((y - mu)^2 - y) / mu`` on ``mu`` without a constant; a positive coefficient
    (``alpha``) with a small one-sided ``p_value`` means overdispersion (prefer the negative
    binomial). Also returns the Pearson chi-square over residual degrees of freedom.
    """
    from scipy import stats

    y = np.asarray(poisson_result.model.endog, dtype=float)
    mu = np.asarray(poisson_result.fittedvalues, dtype=float)
    aux = ((y - mu) ** 2 - y) / mu
    alpha = float(np.sum(aux * mu) / np.sum(mu * mu))
    resid = aux - alpha * mu
    se = float(np.sqrt(np.sum(resid**2) / (len(y) - 1) / np.sum(mu * mu)))
    t = alpha / se
    return {"alpha": alpha, "t": t, "p_value": float(stats.t.sf(t, len(y) - 1)),
            "pearson_chi2_per_df": float(poisson_result.pearson_chi2 / poisson_result.df_resid)}


def tidy_coefficients(result: Any, *, level: float = 0.95) -> pd.DataFrame:
    """One row per term: estimate, standard error, interval, p-value and the rate ratio
    (``exp(estimate)``) with its interval. The NB dispersion ``alpha`` is kept but not
    exponentiated."""
    ci = result.conf_int(alpha=1 - level)
    out = pd.DataFrame({
        "term": result.params.index, "estimate": result.params.to_numpy(),
        "std_error": result.bse.to_numpy(), "ci_low": ci.iloc[:, 0].to_numpy(),
        "ci_high": ci.iloc[:, 1].to_numpy(), "p_value": result.pvalues.to_numpy()})
    is_rate = out["term"] != "alpha"
    for src, dst in (("estimate", "rate_ratio"), ("ci_low", "rr_ci_low"),
                     ("ci_high", "rr_ci_high")):
        out[dst] = np.where(is_rate, np.exp(out[src]), np.nan)
    return out
