r"""Trust and the spiral: Kydd's security dilemma with private types.

Kydd (2005) models the security dilemma as an assurance game whose players are unsure
whether the other is trustworthy. Each of two states chooses Cooperate or Defect (the
payoffs below are our statement of Kydd's game, ``docs/security.md``; the numbers in the
examples are derived from them):

=============  ===========  =========
               C (other)    D (other)
=============  ===========  =========
C (own)        1            :math:`-c`
D (own)        :math:`t_i`  0
=============  ===========  =========

:math:`c > 0` is the cost of being exploited and :math:`t_i` the temptation, a private
type drawn from a distribution :math:`F`; a type is *trustworthy* iff :math:`t_i < 1` (it
prefers mutual cooperation to exploiting a cooperator). With belief :math:`p` that the other
cooperates, cooperating pays :math:`p - (1 - p) c` and defecting :math:`p t_i`, so the type
cooperates iff

.. math:: p \ge \frac{c}{1 + c - t_i} \qquad (1 + c - t_i > 0),

and never when :math:`t_i \ge 1 + c`. In a symmetric cutoff equilibrium the types below
:math:`t^*` cooperate, so the belief is :math:`F(t^*)` and the cutoff type is indifferent:

.. math:: t^* = 1 + c - \frac{c}{F(t^*)}
          \iff r(t^*) = F(t^*)\,(1 - t^*) - c\,S(t^*) = 0 ,

with :math:`S = 1 - F` the survival function. This form has no difference of large numbers
(``1 + c - t`` loses every digit of ``1 - t`` when ``c`` is huge), so it is accurate for
every ``c``.

Mutual defection is always an equilibrium. When :math:`r` has no root (and not every type
is trustworthy), it is the *only* one: mistrust spirals into conflict although some types
would cooperate (Jervis 1978; Kydd 2005).

Method and limits
-----------------
:func:`trust_cutoffs` evaluates :math:`r` on a grid that is uniform in the logit of
:math:`F` (so it follows the distribution into both tails), takes every sign change as a
bracket and refines all brackets of all ``c`` at once with
:func:`scipy.optimize.elementwise.find_root`. Each root is certified: the two terms of
:math:`r` agree to a few units of rounding at the root, relative to their size, or
:math:`r` changes sign within ``8 eps |t|`` of it. Two roots
closer together than the grid spacing, and tangential (double) roots, can be missed; roots
in tails beyond quantile ``1e-13`` are not searched. Raise ``n_grid`` to narrow the first limit.

References
----------
Kydd, A. H. (2005). *Trust and Mistrust in International Relations*. Princeton University
Press, ch. 1–2. Kydd, A. (2000). Trust, reassurance, and cooperation. *International
Organization* 54(2), 325–357. Jervis, R. (1978). Cooperation under the security dilemma.
*World Politics* 30(2), 167–214.

Examples
--------
>>> from scipy import stats
>>> from burden.security import trust_cutoffs, trust_threshold
>>> print(f"{float(trust_threshold(0.5, 0.6)):.6f}")
0.555556
>>> res = trust_cutoffs([0.1, 0.5], stats.uniform(0, 2))
>>> res.cutoffs.round(6)
array([[0.229844, 0.870156],
       [     nan,      nan]])
>>> res.spiral
array([False,  True])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import thread_map
from burden._status import Status, status_dtype
from burden._validation import as_float_array, broadcast_named, check_interval, workers_iv
from burden.security._results import TrustCutoffs

__all__ = ["TrustCutoffs", "trust_cutoffs", "trust_threshold"]

_CHUNK = 256  # costs per chunk: a (256 x n_grid) residual table


def trust_threshold(c: ArrayLike, t: ArrayLike) -> NDArray[np.float64]:
    """Minimum belief that the other cooperates at which a type ``t`` cooperates.

    Parameters
    ----------
    c : array_like
        Cost of being exploited, > 0.
    t : array_like
        Temptation type (payoff of exploiting a cooperator); real.

    Returns
    -------
    ndarray
        ``c / (1 + c - t)``, broadcast over ``c`` and ``t``; ``inf`` where ``t >= 1 + c``
        (no belief suffices). Values above 1 likewise mean the type never cooperates; values
        below 1 occur exactly for trustworthy types (``t < 1``).

    Examples
    --------
    >>> trust_threshold(0.5, [0.0, 0.6, 1.0, 2.0])
    array([0.33333333, 0.55555556, 1.        ,        inf])
    """
    c = check_interval(as_float_array(c, "c"), "c", 0.0, None)
    t = as_float_array(t, "t")
    c, t = broadcast_named({"c": c, "t": t})
    slack = 1.0 + c - t
    with np.errstate(divide="ignore"):
        return np.where(slack > 0, c / np.where(slack > 0, slack, 1.0), np.inf)


def _terms(t: NDArray, c: NDArray, cdf, sf) -> tuple[NDArray, NDArray]:
    """The two sides of the cutoff equation ``F(t) (1 - t) = c S(t)``."""
    return cdf(t) * (1.0 - t), c * sf(t)


def _residual(t: NDArray, c: NDArray, cdf, sf) -> NDArray:
    """``F(t) (1 - t) - c S(t)``: zero at a cutoff equilibrium, in a cancellation-free form."""
    left, right = _terms(t, c, cdf, sf)
    return left - right


def _certified(t: NDArray, c: NDArray, cdf, sf) -> NDArray[np.bool_]:
    """Certificate of each root ``t``: the two sides of the cutoff equation agree to rounding
    relative to their size, or the residual changes sign within ``8 eps |t|`` of ``t`` (the
    root finder's own precision is ``4 eps |t|``), so a true root lies that close."""
    left, right = _terms(t, c, cdf, sf)
    eps, tiny = np.finfo(float).eps, np.finfo(float).tiny
    close = np.abs(left - right) <= 64 * eps * (np.abs(left) + np.abs(right))
    delta = 8 * eps * np.abs(t) + 8 * tiny
    below, above = _residual(t - delta, c, cdf, sf), _residual(t + delta, c, cdf, sf)
    return close | (np.sign(below) * np.sign(above) <= 0)


def _dist_iv(dist):
    """Return ``(cdf, sf, ppf, upper end of the support)`` of a scalar continuous distribution."""
    cdf = getattr(dist, "cdf", None)
    sf = getattr(dist, "sf", None) or getattr(dist, "ccdf", None)
    ppf = getattr(dist, "ppf", None) or getattr(dist, "icdf", None)
    if cdf is None or sf is None or ppf is None:
        raise TypeError(
            f"`dist` must be a frozen scipy.stats distribution with cdf, sf and ppf; got {dist!r}"
        )
    if hasattr(dist, "pmf"):
        raise TypeError("`dist` must be continuous: with atoms the cutoff equation has no exact root")
    probe = np.asarray(ppf(0.5))
    if probe.size != 1:
        raise ValueError(
            f"`dist` must be one distribution (batch over `c` instead); its ppf has shape {probe.shape}"
        )
    return cdf, sf, ppf, float(ppf(1.0))


def _cutoffs(c: NDArray, grid: NDArray, cdf, sf) -> tuple[NDArray, NDArray, NDArray]:
    """Cutoffs ``(m, K)`` (NaN-padded), their count and a failure flag for the costs ``c`` ``(m,)``."""
    from scipy.optimize.elementwise import find_root  # on first use: `import burden` stays fast

    flat = c[:, None]
    r = _residual(grid, flat, cdf, sf)  # (m, G)
    exact = r == 0
    bracket = np.sign(r[:, :-1]) * np.sign(r[:, 1:]) < 0  # signs: a product could overflow
    hits = np.concatenate([exact[:, :-1] | bracket, exact[:, -1:]], axis=1)
    game, k = np.nonzero(hits)  # ascending in t within each c
    is_bracket = np.concatenate([bracket, np.zeros((c.size, 1), bool)], axis=1)[game, k]
    roots = grid[k].copy()
    ok = np.ones(game.size, dtype=bool)
    if is_bracket.any():
        sel = np.flatnonzero(is_bracket)
        res = find_root(
            lambda t, cc: _residual(t, cc, cdf, sf), (grid[k[sel]], grid[k[sel] + 1]), args=(c[game[sel]],)
        )
        roots[sel] = res.x
        ok[sel] = res.success
    ok &= _certified(roots, c[game], cdf, sf)
    count = np.bincount(game, minlength=c.size)
    failed = np.bincount(game, weights=~ok, minlength=c.size) > 0
    pos = np.arange(game.size) - (np.cumsum(count) - count)[game]
    cutoffs = np.full((c.size, int(count.max(initial=0))), np.nan)
    cutoffs[game, pos] = roots
    return cutoffs, count, failed


def trust_cutoffs(c: ArrayLike, dist, *, n_grid: int = 4097, workers: int = 1) -> TrustCutoffs:
    """All cutoff equilibria ``t* = 1 + c - c / F(t*)`` for each cost ``c``.

    Parameters
    ----------
    c : array_like
        Cost of being exploited, > 0; any shape (the batch).
    dist : frozen scipy.stats distribution
        Distribution of the temptation types (continuous, one distribution for the batch):
        e.g. ``scipy.stats.uniform(0, 2)`` or ``scipy.stats.norm(1, 0.5)``.
    n_grid : int, optional
        Number of search points, uniform in the logit of ``F`` (module docstring).
    workers : int, optional
        Threads that solve chunks of costs (SciPy's convention: default 1, ``-1`` one per
        CPU). Each cost is solved on its own, so the answer does not depend on it.

    Returns
    -------
    TrustCutoffs
        ``cutoffs`` of shape ``c.shape + (K,)``, the flags and a status per cost; see its
        docstring.

    Examples
    --------
    >>> from scipy import stats
    >>> res = trust_cutoffs([0.05, 0.2], stats.norm(1.0, 0.5))
    >>> res.cutoffs.round(4), res.spiral, res.status
    (array([[0.2252, 0.9393],
           [   nan,    nan]]), array([False,  True]), array([0, 0], dtype=int8))
    """
    c = check_interval(as_float_array(c, "c"), "c", 0.0, None)
    if isinstance(n_grid, bool) or not isinstance(n_grid, int | np.integer) or n_grid < 3:
        raise ValueError(f"`n_grid` must be an integer >= 3; got {n_grid!r}")
    from scipy.special import expit

    cdf, sf, ppf, top = _dist_iv(dist)
    q = np.concatenate([[0.0], expit(np.linspace(-30.0, 30.0, n_grid - 2)), [1.0]])
    with np.errstate(all="ignore"):  # ppf(0), ppf(1) are infinite for unbounded supports
        grid = np.unique(np.asarray(ppf(q), dtype=np.float64))
    grid = grid[np.isfinite(grid)]  # unbounded supports lose their infinite ends
    shape, flat = c.shape, c.reshape(-1)
    # chunks of costs bound the (costs x grid) residual table and share out the work
    cuts = [slice(i, i + _CHUNK) for i in range(0, flat.size, _CHUNK)] or [slice(0, 0)]
    parts = thread_map(lambda cut: _cutoffs(flat[cut], grid, cdf, sf), cuts, workers_iv(workers))
    width = max(part[0].shape[1] for part in parts)
    cutoffs = np.full((flat.size, width), np.nan)
    for cut, (found, _, _) in zip(cuts, parts, strict=True):
        cutoffs[cut, : found.shape[1]] = found
    count = np.concatenate([part[1] for part in parts])
    failed = np.concatenate([part[2] for part in parts])
    everyone = np.full(flat.size, top <= 1.0)
    status = np.where(failed, Status.NOT_CONVERGED, Status.SUCCESS).astype(status_dtype)
    return TrustCutoffs(
        cutoffs=cutoffs.reshape(*shape, width),
        count=count.reshape(shape),
        everyone_cooperates=everyone.reshape(shape),
        spiral=((count == 0) & ~everyone).reshape(shape),
        status=status.reshape(shape),
    )
