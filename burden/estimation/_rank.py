"""Rank tests of the Olson-Zeckhauser exploitation hypothesis (``docs/estimation.md``).

Spearman's rho or Kendall's tau-b between burden (spending / GDP) and size (GDP), partial rank
correlations holding controls constant by the recursive formula, and p-values by the
t-approximation (df = N - 2 - k), exact permutation or Monte Carlo permutation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from burden._results import Result, result_class
from burden._status import Status, status_dtype
from burden._validation import as_float_array, check_interval

__all__ = ["RankTestResult", "partial_correlation", "rank_pvalue", "rank_test", "rank_test_by"]

_METHODS = ("spearman", "kendall")
_ALTERNATIVES = ("two-sided", "greater", "less")
_PVALUES = ("auto", "t", "normal", "exact", "permutation")
#: exact enumeration visits n! orderings: 9! = 362,880 is the largest we allow
_MAX_EXACT_N = 9
_FIELDS = ("statistic", "pvalue", "n", "k", "df", "method", "alternative", "pvalue_method", "status")


@result_class
class RankTestResult(Result):
    """Rank correlation test of burden against size (holding ``controls`` constant).

    Attributes
    ----------
    statistic : ndarray, shape ``batch``
        Spearman's rho or Kendall's tau-b; partial when controls were given.
    pvalue : ndarray, shape ``batch``
        p-value for ``alternative`` by the method in ``pvalue_method``.
    n : int
        Number of observations (members) per scenario.
    k : int
        Number of controls held constant.
    df : int
        Degrees of freedom of the t-approximation, ``n - 2 - k``.
    method, alternative, pvalue_method : str
        What was computed (``pvalue_method`` resolves ``"auto"``).
    status : ndarray of int8, shape ``batch``
        :class:`burden.Status`: ``SINGULAR`` where a variable is constant or a control explains
        another variable perfectly (statistic and p-value NaN).
    """

    statistic: NDArray
    pvalue: NDArray
    n: int
    k: int
    df: int
    method: str
    alternative: str
    pvalue_method: str
    status: NDArray


def _choice(value, name: str, options: Sequence[str]) -> str:
    if value not in options:
        raise ValueError(f"`{name}` must be one of {', '.join(map(repr, options))}; got {value!r}")
    return value


def partial_correlation(corr: ArrayLike, *, k: int | None = None) -> NDArray:
    r"""Partial correlation of variables 0 and 1 given variables 2, 3, ... by the recursive formula.

    Eliminates the controls one at a time (``docs/estimation.md``, equation (1)):

    .. math:: \rho_{12\cdot S h} = \frac{\rho_{12\cdot S} - \rho_{1h\cdot S}\,\rho_{2h\cdot S}}
              {\sqrt{(1-\rho_{1h\cdot S}^2)(1-\rho_{2h\cdot S}^2)}}

    Parameters
    ----------
    corr : array_like, shape ``(..., m, m)``
        Correlation matrices (batch axes first) of burden, size and ``m - 2`` controls.
    k : int, optional
        Number of controls to eliminate (default: all ``m - 2``).

    Returns
    -------
    ndarray, shape ``(...)``
        The partial correlations; NaN where a control is perfectly correlated with a variable.

    Examples
    --------
    >>> import numpy as np
    >>> R = np.array([[1.0, 0.5, 0.4], [0.5, 1.0, 0.6], [0.4, 0.6, 1.0]])
    >>> round(float(partial_correlation(R)), 6)  # (0.5 - 0.4 * 0.6) / sqrt(0.84 * 0.64)
    0.354604
    """
    R = np.array(corr, dtype=float)
    m = R.shape[-1]
    k = m - 2 if k is None else k
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(k):
            # eliminate the last remaining control h from every pair at once: the recursive
            # formula applied to the whole matrix of partial correlations given the set so far
            h = R[..., -1, :-1]
            scale = np.sqrt(1.0 - h**2)
            R = (R[..., :-1, :-1] - h[..., :, None] * h[..., None, :]) / (
                scale[..., :, None] * scale[..., None, :]
            )
    return np.clip(R[..., 0, 1], -1.0, 1.0)


def rank_pvalue(rho: ArrayLike, n: ArrayLike, k: ArrayLike = 0, *, alternative: str = "two-sided") -> NDArray:
    r"""p-value of a (partial) rank correlation by the t-approximation, df = n - 2 - k.

    :math:`t = \rho\sqrt{\mathrm{df}/(1-\rho^2)}` against Student's t with ``df`` degrees of
    freedom (``docs/estimation.md``, equation (2)); use it for coefficients printed in papers.

    Parameters
    ----------
    rho : array_like
        (Partial) Spearman coefficients in [-1, 1].
    n : array_like of int
        Number of observations.
    k : array_like of int, optional
        Number of controls held constant (0: a simple correlation).
    alternative : {"two-sided", "greater", "less"}
        "greater": positive association (the Olson-Zeckhauser exploitation hypothesis).

    Returns
    -------
    ndarray
        The broadcast shape of ``rho``, ``n`` and ``k``.

    Examples
    --------
    Sandler & Murdoch (2000), Table 9: N = 15, rho = 0.19 with no control, p = 0.49:

    >>> round(float(rank_pvalue(0.19, 15)), 2)
    0.5
    """
    _choice(alternative, "alternative", _ALTERNATIVES)
    rho = as_float_array(rho, "rho")
    check_interval(rho, "rho", -1, 1, closed="both")
    n = np.asarray(n)
    k = np.asarray(k)
    for name, value in (("n", n), ("k", k)):
        if value.dtype.kind not in "iu":
            raise TypeError(f"`{name}` must be an integer; got dtype {value.dtype}")
    if np.any(k < 0):
        raise ValueError(f"`k` must be >= 0; got {k}")
    df = n - 2 - k
    if np.any(df < 1):
        raise ValueError(f"`n` must exceed k + 2 (df = n - 2 - k >= 1); got n = {n}, k = {k}")
    return _t_pvalue(rho, df, alternative)


def _t_pvalue(rho: NDArray, df: NDArray | int, alternative: str) -> NDArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = rho * np.sqrt(df / ((1.0 - rho) * (1.0 + rho)))
    return _tail(stats.t(df), t, alternative)


def _tail(dist, t: NDArray, alternative: str) -> NDArray:
    if alternative == "greater":
        return dist.sf(t)
    if alternative == "less":
        return dist.cdf(t)
    return np.minimum(1.0, 2.0 * dist.sf(np.abs(t)))


def _ranks(x: NDArray) -> NDArray:
    return stats.rankdata(x, axis=-1)


def _corr_from(z: NDArray) -> NDArray:
    """Pearson correlation matrix of variables on axis -2, observations on -1."""
    zc = z - z.mean(axis=-1, keepdims=True)
    norm = np.sqrt(np.einsum("...in,...in->...i", zc, zc))
    with np.errstate(divide="ignore", invalid="ignore"):
        zs = zc / norm[..., None]
    return np.einsum("...in,...jn->...ij", zs, zs)


def _kendall_matrix(z: NDArray) -> NDArray:
    """Kendall tau-b matrix of variables on axis -2 (observations on -1)."""
    s = np.sign(z[..., :, :, None] - z[..., :, None, :])  # (..., m, n, n)
    num = np.einsum("...iab,...jab->...ij", s, s)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.sqrt(np.diagonal(num, axis1=-2, axis2=-1))  # pairs untied in each variable
        return num / (d[..., :, None] * d[..., None, :])


def _statistic(z: NDArray, method: str, k: int) -> NDArray:
    corr = _corr_from(_ranks(z)) if method == "spearman" else _kendall_matrix(z)
    return partial_correlation(corr, k=k)


def rank_test(
    burden: ArrayLike,
    size: ArrayLike,
    *,
    controls: ArrayLike | None = None,
    method: str = "spearman",
    alternative: str = "two-sided",
    pvalue: str = "auto",
    n_resamples: int = 9999,
    rng=None,
) -> RankTestResult:
    r"""Rank correlation of burden with size, optionally holding controls constant.

    The Olson-Zeckhauser hypothesis predicts a positive association: large allies bear a larger
    share of their income (``alternative="greater"``). The partial coefficient with ``k``
    controls comes from the pairwise rank correlations by the recursive formula; for Spearman it
    equals the Pearson correlation of the residuals of the ranks regressed on the controls'
    ranks. Formulas and the permutation scheme: ``docs/estimation.md``.

    Parameters
    ----------
    burden, size : array_like, shape ``(..., n)``
        Burden (e.g. spending / GDP) and size (e.g. GDP) of ``n`` members; batch axes first.
    controls : array_like, optional
        One control of shape ``(..., n)`` or ``k`` controls of shape ``(..., n, k)`` (a
        DataFrame's columns), e.g. exposed border length or distance to the threat.
    method : {"spearman", "kendall"}
        Spearman's rho (average ranks for ties) or Kendall's tau-b.
    alternative : {"two-sided", "greater", "less"}
        "greater": burden rises with size.
    pvalue : {"auto", "t", "normal", "exact", "permutation"}
        "t": Student's t with ``df = n - 2 - k`` (Spearman; Sandler & Murdoch's convention).
        "normal": the normal approximation to Kendall's tau-b with its tie-corrected variance
        (no controls; scipy's "asymptotic"). "exact": enumerate all ``n!`` orderings of
        ``burden`` (``n <= 9``). "permutation": ``n_resamples`` random orderings, p-value
        ``(1 + hits) / (1 + n_resamples)``. "auto" (default): "t" for Spearman, "normal" for
        Kendall without controls, else "permutation". Permutations reorder ``burden`` against
        fixed ``size`` and ``controls``: with controls this tests that burden is independent of
        both (a stronger null than a zero partial correlation).
    n_resamples : int
        Number of random orderings for ``pvalue="permutation"``.
    rng : None, int or numpy.random.Generator
        Random source of the permutations (the same orderings serve every batch element).

    Returns
    -------
    RankTestResult
        Fields of shape ``batch``; ``status`` SINGULAR where a coefficient is undefined.

    Examples
    --------
    >>> import burden as bd
    >>> gdp = [684.1, 122.4, 98.6, 94.0, 61.2, 49.6, 18.1, 16.2]
    >>> burden = [7.5, 4.0, 5.7, 5.3, 2.9, 3.4, 4.1, 3.1]
    >>> res = bd.estimation.rank_test(burden, gdp, alternative="greater")
    >>> round(float(res.statistic), 4), round(float(res.pvalue), 4), res.df
    (0.6429, 0.0428, 6)
    """
    method = _choice(method, "method", _METHODS)
    alternative = _choice(alternative, "alternative", _ALTERNATIVES)
    pvalue = _choice(pvalue, "pvalue", _PVALUES)
    b = as_float_array(burden, "burden")
    s = as_float_array(size, "size")
    if b.ndim == 0 or s.ndim == 0:
        raise ValueError("`burden` and `size` must have a member axis (shape (..., n))")
    if b.shape[-1] != s.shape[-1]:
        raise ValueError(
            f"`burden` and `size` must have the same number of members; got {b.shape} and {s.shape}"
        )
    n = b.shape[-1]
    variables = [b, s]
    if controls is not None:
        c = as_float_array(controls, "controls")
        ndim = max(b.ndim, s.ndim)
        if c.ndim <= ndim:  # one control of shape (..., n)
            c = c[..., None]
        if c.shape[-2] != n:
            raise ValueError(f"`controls` must have shape (..., {n}) or (..., {n}, k); got {c.shape}")
        variables += list(np.moveaxis(c, -1, 0))
    k = len(variables) - 2
    df = n - 2 - k
    if df < 1:
        raise ValueError(f"need more members than controls + 2 (df = n - 2 - k >= 1); got n = {n}, k = {k}")
    batch = np.broadcast_shapes(*(v.shape[:-1] for v in variables))
    z = np.stack([np.broadcast_to(v, (*batch, n)) for v in variables], axis=-2)  # (..., 2 + k, n)

    if pvalue == "auto":
        pvalue = "t" if method == "spearman" else ("normal" if k == 0 else "permutation")
    if pvalue == "t" and method != "spearman":
        raise ValueError(
            "`pvalue='t'` is the t-approximation for Spearman's rho; for Kendall's tau use 'normal', "
            "'exact' or 'permutation'"
        )
    if pvalue == "normal" and (method != "kendall" or k):
        raise ValueError("`pvalue='normal'` is for Kendall's tau without controls; use 't' for Spearman")
    if pvalue == "exact" and n > _MAX_EXACT_N:
        raise ValueError(
            f"`pvalue='exact'` enumerates n! orderings and allows n <= {_MAX_EXACT_N}; got n = {n}: "
            "use 'permutation'"
        )
    if pvalue == "permutation" and (
        isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1
    ):
        raise ValueError(f"`n_resamples` must be a positive integer; got {n_resamples!r}")

    stat = _statistic(z, method, k)
    if pvalue == "t":
        p = _t_pvalue(stat, df, alternative)
    elif pvalue == "normal":
        p = _kendall_normal_pvalue(z[..., 0, :], z[..., 1, :], stat, alternative)
    else:
        if pvalue == "exact":
            orders = np.array(list(itertools.permutations(range(n))))
        else:
            gen = np.random.default_rng(rng)
            orders = gen.permuted(np.broadcast_to(np.arange(n), (n_resamples, n)), axis=-1)
        p = _permutation_pvalue(z, stat, orders, method, k, alternative, exact=pvalue == "exact")
    undefined = ~np.isfinite(stat)
    p = np.where(undefined, np.nan, p)
    status = np.where(undefined, Status.SINGULAR, Status.SUCCESS).astype(status_dtype)
    return RankTestResult(
        statistic=np.asarray(stat),
        pvalue=np.asarray(p, dtype=float),
        n=n,
        k=k,
        df=df,
        method=method,
        alternative=alternative,
        pvalue_method=pvalue,
        status=status,
    )


def _kendall_normal_pvalue(x: NDArray, y: NDArray, tau: NDArray, alternative: str) -> NDArray:
    """Normal approximation to tau-b with the tie-corrected variance of S (Kendall 1970, ch. 4)."""
    n = x.shape[-1]

    def tie_sums(v):
        counts = np.array([np.unique(row, return_counts=True)[1] for row in v.reshape(-1, n)], dtype=object)
        t = [np.asarray(c, dtype=float) for c in counts]
        a = np.array([np.sum(c * (c - 1) * (2 * c + 5)) for c in t])
        b = np.array([np.sum(c * (c - 1)) for c in t])
        c2 = np.array([np.sum(c * (c - 1) * (c - 2)) for c in t])
        return (arr.reshape(v.shape[:-1]) for arr in (a, b, c2))

    xa, xb, xc = tie_sums(x)
    ya, yb, yc = tie_sums(y)
    n0 = n * (n - 1) / 2.0
    var_s = (
        (n * (n - 1) * (2 * n + 5) - xa - ya) / 18.0
        + xb * yb / (2.0 * n * (n - 1))
        + xc * yc / (9.0 * n * (n - 1) * (n - 2))
    )
    s = tau * np.sqrt((n0 - xb / 2.0) * (n0 - yb / 2.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        zscore = s / np.sqrt(var_s)
    return _tail(stats.norm, zscore, alternative)


def _permutation_pvalue(
    z: NDArray, stat: NDArray, orders: NDArray, method: str, k: int, alternative: str, *, exact: bool
) -> NDArray:
    """Share of orderings of burden whose statistic is at least as extreme as the observed one."""
    batch = z.shape[:-2]
    out = np.empty(batch)
    # a relative tolerance keeps ties of the statistic (equal up to rounding) counted as extreme
    eps = 1e-12
    for index in np.ndindex(*batch):
        zi = z[index]
        permuted = np.broadcast_to(zi, (len(orders), *zi.shape)).copy()
        permuted[:, 0, :] = zi[0][orders]
        null = _statistic(permuted, method, k)
        t = stat[index]
        if alternative == "greater":
            hits = np.count_nonzero(null >= t - eps)
        elif alternative == "less":
            hits = np.count_nonzero(null <= t + eps)
        else:
            hits = np.count_nonzero(np.abs(null) >= abs(t) - eps)
        out[index] = hits / len(orders) if exact else (hits + 1) / (len(orders) + 1)
    return out


def rank_test_by(
    data,
    *,
    burden: str = "burden",
    size: str = "gdp_usd",
    by: str | Sequence[str] = "year",
    controls: str | Sequence[str] | None = None,
    **options,
):
    """Run :func:`rank_test` per group (e.g. per year of a panel); return a tidy table.

    Rows missing ``burden``, ``size`` or a control are dropped within each group (``n`` counts
    what is left); members with zero burden (Iceland, no armed forces) are kept unless you filter
    them out first.

    Parameters
    ----------
    data : pandas.DataFrame or DataFrameGroupBy
        A long panel (one row per member and year), or an already grouped frame.
    burden, size : str
        Column names.
    by : str or list of str
        Grouping columns (ignored when ``data`` is already grouped).
    controls : str or list of str, optional
        Control columns held constant.
    **options
        Passed to :func:`rank_test` (``method``, ``alternative``, ``pvalue``, ``rng``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per group: the group keys, then ``statistic``, ``pvalue``, ``n``, ``k``, ``df``,
        ``method``, ``alternative``, ``pvalue_method``, ``status``. A group with too few complete
        rows gets NaN and status INFEASIBLE.

    Examples
    --------
    >>> import burden as bd
    >>> panel = bd.data.load("nato_milex_gdp_1960_2022")
    >>> allies = panel[panel.iso3 != "ISL"]
    >>> table = bd.estimation.rank_test_by(allies, burden="burden", size="gdp_usd")
    >>> table.loc[table.year.isin([1960, 1964, 1968]), ["year", "statistic", "n"]].round(2)
       year  statistic   n
    0  1960       0.63  14
    4  1964       0.64  14
    8  1968       0.24  14
    """
    import pandas as pd

    cols = [controls] if isinstance(controls, str) else list(controls or [])
    if isinstance(data, pd.core.groupby.DataFrameGroupBy):
        groups = data
        keys = list(groups.keys) if isinstance(groups.keys, list) else [groups.keys]
    else:
        keys = [by] if isinstance(by, str) else list(by)
        missing = [c for c in (*keys, burden, size, *cols) if c not in data.columns]
        if missing:
            raise ValueError(f"`data` has no column {missing[0]!r}; columns are {list(data.columns)}")
        groups = data.groupby(keys, sort=True)
    rng = np.random.default_rng(options.pop("rng", None))
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        complete = group[[burden, size, *cols]].dropna()
        n, k = len(complete), len(cols)
        row = dict(zip(keys, key, strict=True))
        if n < 3 + k:  # too few members for df = n - 2 - k >= 1
            row.update(statistic=np.nan, pvalue=np.nan, n=n, k=k, df=n - 2 - k, status=int(Status.INFEASIBLE))
        else:
            res = rank_test(
                complete[burden].to_numpy(float),
                complete[size].to_numpy(float),
                controls=complete[cols].to_numpy(float) if cols else None,
                rng=rng,
                **options,
            )
            row.update({name: getattr(res, name) for name in _FIELDS})
            row.update(statistic=float(res.statistic), pvalue=float(res.pvalue), status=int(res.status))
        rows.append(row)
    return pd.DataFrame(rows)
