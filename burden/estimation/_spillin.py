"""Reduced-form defence demand with spill-ins (Murdoch & Sandler 1984): ``docs/estimation.md``."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from burden._results import Result, result_class
from burden._status import Status, status_dtype

__all__ = ["SpillinResult", "spillin_regression"]


@result_class
class SpillinResult(Result):
    """Spill-in regression: spending on income, allies' spending and threat, with country effects.

    Attributes
    ----------
    spillin, spillin_se, tvalue : float
        Coefficient of the allies' spending, its robust standard error and t statistic.
    pvalue : float
        One-sided p-value of H0: coefficient >= 0 against free riding (coefficient < 0).
    free_riding : bool
        True if the coefficient is negative and significant at ``alpha``.
    verdict : str
        One line stating the finding.
    fit : statsmodels RegressionResults
        The full regression (``fit.summary()`` for everything).
    status : ndarray of int8, shape ``()``
    """

    spillin: float
    spillin_se: float
    tvalue: float
    pvalue: float
    free_riding: bool
    verdict: str
    fit: object
    status: NDArray


def spillin_regression(
    data,
    *,
    country: str = "country",
    year: str = "year",
    spending: str = "spending",
    income: str = "income",
    threat: str | None = None,
    country_effects: bool = True,
    cov_type: str = "cluster",
    alpha: float = 0.05,
) -> SpillinResult:
    r"""Regress spending on income, allies' spending and threat (Murdoch & Sandler 1984).

    .. math:: q_{it} = \beta_0 + \beta_1 w_{it} + \beta_2 S_{it} + \beta_3 \mathrm{THREAT}_t
              + \alpha_i + \varepsilon_{it}, \qquad S_{it} = \sum_{j \ne i} q_{jt}

    with country effects :math:`\alpha_i` and robust standard errors, by statsmodels (extra
    ``fit``). Free riding means :math:`\beta_2 < 0` (allies' spending replaces one's own); the
    reported p-value is one-sided for it.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per country and year; rows missing a used column are dropped.
    country, year, spending, income : str
        Column names (spending and income in the same units).
    threat : str, optional
        Column of a threat series (e.g. the adversary's spending); omitted if None.
    country_effects : bool
        Country fixed effects (dummies).
    cov_type : {"cluster", "HC1"}
        Standard errors clustered by country (default) or heteroskedasticity-robust.
    alpha : float
        Level of the free-riding verdict.

    Examples
    --------
    >>> import numpy as np, pandas as pd, burden as bd
    >>> rng = np.random.default_rng(0)
    >>> w = rng.uniform(5, 10, size=(40, 4))
    >>> spend = bd.nash(w, bd.CobbDouglas([0.5, 0.55, 0.6, 0.65])).g + rng.normal(0, 0.05, w.shape)
    >>> data = pd.DataFrame({"country": np.tile(list("ABCD"), 40), "year": np.repeat(range(40), 4),
    ...                      "spending": spend.ravel(), "income": w.ravel()})
    >>> res = bd.estimation.spillin_regression(data)
    >>> res.free_riding, bool(res.spillin < 0)
    (True, True)
    """
    try:
        import statsmodels.formula.api as smf
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("spillin_regression() needs statsmodels: pip install 'burden[fit]'") from exc
    import pandas as pd

    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a pandas DataFrame; got {type(data).__name__}")
    if cov_type not in ("cluster", "HC1"):
        raise ValueError(f"`cov_type` must be 'cluster' or 'HC1'; got {cov_type!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"`alpha` must lie in (0, 1); got {alpha!r}")
    columns = [country, year, spending, income] + ([threat] if threat else [])
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"`data` has no column {missing[0]!r}; columns are {list(data.columns)}")
    frame = (
        data[columns]
        .dropna()
        .rename(
            columns={
                country: "country",
                year: "year",
                spending: "q",
                income: "w",
                **({threat: "threat"} if threat else {}),
            }
        )
    )
    frame = frame.assign(S=frame.groupby("year")["q"].transform("sum") - frame["q"])
    formula = "q ~ w + S" + (" + threat" if threat else "") + (" + C(country)" if country_effects else "")
    model = smf.ols(formula, data=frame)
    if cov_type == "cluster":
        codes = pd.factorize(frame["country"])[0]
        result = model.fit(cov_type="cluster", cov_kwds={"groups": codes})
    else:
        result = model.fit(cov_type="HC1")
    beta, se, t = float(result.params["S"]), float(result.bse["S"]), float(result.tvalues["S"])
    dist = stats.t(result.df_resid) if cov_type == "HC1" else stats.t(frame["country"].nunique() - 1)
    p = float(dist.cdf(t))
    free = bool(beta < 0 and p < alpha)
    level = f"{100 * alpha:g}%"
    finding = "free riding" if free else "no evidence of free riding"
    verdict = f"spill-in coefficient {beta:.3g} (se {se:.3g}, one-sided p = {p:.3g}): {finding} at {level}."
    ok = np.isfinite([beta, se, p]).all()
    return SpillinResult(
        spillin=beta,
        spillin_se=se,
        tvalue=t,
        pvalue=p,
        free_riding=free,
        verdict=verdict,
        fit=result,
        status=np.array(Status.SUCCESS if ok else Status.SINGULAR, dtype=status_dtype),
    )
