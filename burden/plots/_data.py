"""Data figures: burden against size with the rank statistic; the yearly statistic with its band."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from burden._validation import as_float_array
from burden.plots._util import axes

# Large-sample standard errors of atanh(statistic) for rank correlations (Fieller, Hartley &
# Pearson 1957): Spearman sqrt(1.06/(n - 3)), Kendall sqrt(0.437/(n - 4)).
_FISHER = {"spearman": (1.06, 3), "kendall": (0.437, 4)}


def _method(method: str) -> str:
    if method not in _FISHER:
        raise ValueError(f"`method` must be 'spearman' or 'kendall'; got {method!r}")
    return method


def burden_vs_size(
    size: ArrayLike,
    burden: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    method: str = "spearman",
    logx: bool = True,
    xlabel: str = "size (GDP)",
    ylabel: str = "burden (defence spending / GDP)",
    title: str = "Burden against size",
    ax: Any = None,
) -> Any:
    """Scatter of burden against size, annotated with the rank correlation and its p-value.

    The Olson–Zeckhauser hypothesis predicts a positive association. The statistic is
    Spearman's rho or Kendall's tau-b with a two-sided p-value (``scipy.stats``).

    Parameters
    ----------
    size, burden : array_like, shape (n,)
    labels : array_like of str, optional
        A label per point (country codes).
    method : {"spearman", "kendall"}
    logx : bool
        Logarithmic size axis (sizes span orders of magnitude).
    xlabel, ylabel, title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import burden as bd
    >>> ax = bd.plots.burden_vs_size([684.1, 122.4, 98.6, 94.0, 61.2], [7.5, 4.0, 5.7, 5.3, 2.9])
    >>> ax.texts[-1].get_text()
    'Spearman 0.70 (p = 0.19, n = 5)'
    """
    method = _method(method)
    x, y = as_float_array(size, "size"), as_float_array(burden, "burden")
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"`size` and `burden` must be 1-D of one length; got {x.shape} and {y.shape}")
    test = (stats.spearmanr if method == "spearman" else stats.kendalltau)(x, y)
    ax = axes(ax)
    ax.scatter(x, y, color="C0")
    if labels is not None:
        for xi, yi, label in zip(x, y, np.asarray(labels, dtype=str), strict=True):
            ax.annotate(label, (xi, yi), textcoords="offset points", xytext=(3, 3), fontsize="x-small")
    if logx:
        ax.set_xscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.text(
        0.02, 0.97, f"{method.capitalize()} {test.statistic:.2f} (p = {test.pvalue:.2g}, n = {x.size})",
        transform=ax.transAxes, va="top",
    )  # fmt: skip
    return ax


def rank_statistic_by_year(
    year: ArrayLike,
    statistic: ArrayLike,
    n: ArrayLike,
    *,
    pvalue: ArrayLike | None = None,
    method: str = "spearman",
    level: float = 0.95,
    title: str = "Rank correlation of burden with size, by year",
    ax: Any = None,
) -> Any:
    """A yearly rank statistic with its confidence band; significant years marked.

    The band is ``tanh(atanh(r) ± z se)`` with the Fieller–Hartley–Pearson standard errors
    ``sqrt(1.06/(n − 3))`` (Spearman) or ``sqrt(0.437/(n − 4))`` (Kendall).

    Parameters
    ----------
    year, statistic, n : array_like, shape (T,)
        Years, the statistic and the number of allies of each year.
    pvalue : array_like, shape (T,), optional
        Filled markers where ``pvalue < 0.05``, hollow elsewhere.
    method : {"spearman", "kendall"}
    level : float
        Confidence level of the band.
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import burden as bd
    >>> ax = bd.plots.rank_statistic_by_year([1960, 1961, 1962], [0.63, 0.52, 0.6], [14, 14, 14])
    >>> ax.get_ylabel()
    'Spearman rank correlation'
    """
    method = _method(method)
    t, m = as_float_array(year, "year"), as_float_array(n, "n")
    r = as_float_array(statistic, "statistic", finite=False)  # NaN: a year without a statistic
    scale, offset = _FISHER[method]
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):  # |r| = 1 or n too small: no band there
        se = np.sqrt(scale / (m - offset))
        low, high = np.tanh(np.arctanh(r) - z * se), np.tanh(np.arctanh(r) + z * se)
    ax = axes(ax)
    ax.fill_between(t, low, high, color="C0", alpha=0.2, label=f"{level:.0%} confidence band")
    ax.plot(t, r, color="C0", label=method.capitalize())
    if pvalue is not None:
        significant = np.asarray(pvalue, dtype=float) < 0.05
        ax.plot(t[significant], r[significant], "o", color="C0", label="p < 0.05")
        ax.plot(t[~significant], r[~significant], "o", mfc="none", color="C0", label="p ≥ 0.05")
    ax.axhline(0.0, color="0.5", lw=0.8)
    ax.set(xlabel="year", ylabel=f"{method.capitalize()} rank correlation", title=title, ylim=(-1, 1))
    ax.legend(loc="lower left", fontsize="small")
    return ax
