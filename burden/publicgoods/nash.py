r"""Nash equilibrium of voluntary contributions to an alliance public good.

Members :math:`i = 1..n` with wealth :math:`w_i` contribute :math:`g_i \in [0, w_i/p]` to the
alliance good; the total is :math:`G = G_0 + \sum_i g_i`, where :math:`G_0 \ge 0` is exogenous
provision (a patron outside the alliance). Member :math:`i` maximises
:math:`u_i(w_i - p g_i, G)` taking the others' contributions as given (Olson & Zeckhauser 1966).

Following Cornes & Hartley (2007), write :math:`r_i(G)` for member :math:`i`'s *replacement
function* — its contribution consistent with an optimum when the total is :math:`G`. The
equilibrium is the total that solves

.. math:: G^* = G_0 + \sum_i r_i(G^*),

unique when both goods are normal (Bergstrom, Blume & Varian 1986). Three solution paths:

* **Linear replacement** (Cobb–Douglas, CES, Stone–Geary): :math:`r_i(G) = \max(0, A_i - c_i G)`.
  Sort members by drop-out level :math:`\bar Q_i = A_i / c_i` (descending); if the top
  :math:`k` contribute, :math:`G_k = (G_0 + \sum_{\text{top } k} A_i)/(1 + \sum_{\text{top } k} c_i)`;
  the equilibrium is the first :math:`k` with :math:`\bar Q_{(k+1)} \le G_k` (Andreoni & McGuire
  1993). One sort, two cumulative sums and a search along the member axis: exact to rounding.
* **Quasi-linear** :math:`x + b_i \ln G`: member :math:`i` wants the total :math:`b_i/p`. With
  members sorted by :math:`b` and :math:`W_j = G_0 + \sum_{\text{top } j} w_i/p`,
  :math:`G^* = \max(G_0, \max_j \min(b_{(j)}/p, W_j))`: the top members spend their whole
  budget while it falls short of their ideal, the marginal member tops up. Tied marginal
  members make the individual contributions (not :math:`G^*`) indeterminate.
* **Any other preferences**: the replacement functions and the aggregate fixed point are found
  with ``scipy.optimize.elementwise`` (batched Chandrupatla root finding).

References
----------
Olson, M. & Zeckhauser, R. (1966). An economic theory of alliances. *Review of Economics and
Statistics* 48(3), 266–279.
Bergstrom, T., Blume, L. & Varian, H. (1986). On the private provision of public goods.
*Journal of Public Economics* 29(1), 25–49.
Andreoni, J. & McGuire, M. C. (1993). Identifying the free riders: a simple algorithm for
determining who will contribute to a public good. *Journal of Public Economics* 51(3), 447–454.
Cornes, R. & Hartley, R. (2007). Aggregative public good games. *Journal of Public Economic
Theory* 9(2), 201–219.
"""

from __future__ import annotations

import dataclasses
import functools
import warnings
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden._roots import solve_monotone
from burden._validation import workers_iv
from burden._warnings import MultipleEquilibriaWarning
from burden.preferences import Preferences, QuasiLinear
from burden.publicgoods._inputs import members_iv
from burden.publicgoods._linear import solve_linear

if TYPE_CHECKING:
    from burden.publicgoods.spillover import SpilloverEquilibrium

__all__ = [
    "DEFAULT_CHUNK",
    "STATUS_INFEASIBLE",
    "STATUS_NOT_CONVERGED",
    "STATUS_OK",
    "NashEquilibrium",
    "below_subsistence",
    "nash",
]

#: the equilibrium was found and certified
STATUS_OK = 0
#: a numeric root finder did not converge for this scenario (the values are its last iterate)
STATUS_NOT_CONVERGED = 1
#: no feasible equilibrium: a Stone–Geary member would end below a subsistence level
STATUS_INFEASIBLE = 2

#: default number of scenarios solved at once: keeps the working set in cache (measured
#: about 2.5x faster than one whole-array pass on a (10**6, 30) batch)
DEFAULT_CHUNK = 8192


@result_class
class NashEquilibrium(Result):
    """Nash equilibrium of voluntary contributions; ``batch`` is the broadcast scenario shape.

    Attributes
    ----------
    g : ndarray, shape ``batch + (n,)``
        Contributions (units of the alliance good).
    G : ndarray, shape ``batch``
        Total provision, including exogenous ``G0``.
    x : ndarray, shape ``batch + (n,)``
        Private consumption ``w - p g``.
    contributors : ndarray of bool, shape ``batch + (n,)``
        Members with ``g > 0``.
    dropout : ndarray, shape ``batch + (n,)``
        Drop-out levels: the total at and above which each member contributes nothing.
    utility : ndarray, shape ``batch + (n,)``
        Equilibrium utilities (computed on first access, so big batches that do not need them
        do not pay for them).
    indeterminate : ndarray of bool, shape ``batch + (n,)``
        Members whose individual contribution is not unique (tied quasi-linear members; ``G``
        is still unique). Their reported split is proportional to wealth.
    status : ndarray of int, shape ``batch``
        ``STATUS_OK`` (0), ``STATUS_NOT_CONVERGED`` (1) or ``STATUS_INFEASIBLE`` (2).
    """

    _core_dims = ("member",)
    _derived = ("utility",)

    g: NDArray
    G: NDArray
    x: NDArray
    contributors: NDArray
    dropout: NDArray
    indeterminate: NDArray
    status: NDArray
    _prefs: Preferences = dataclasses.field(default=None, compare=False)

    @functools.cached_property
    def utility(self) -> NDArray:
        """Equilibrium utilities, shape ``batch + (n,)``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.broadcast_to(self._prefs.utility(self.x, self.G[..., None]), self.x.shape).copy()


def nash(
    w: ArrayLike,
    prefs: Preferences,
    *,
    p: ArrayLike = 1.0,
    G0: ArrayLike = 0.0,
    spillover: ArrayLike | None = None,
    chunk: int = DEFAULT_CHUNK,
    workers: int = 1,
) -> NashEquilibrium | SpilloverEquilibrium:
    """Nash equilibrium contributions to an alliance public good.

    With ``spillover`` (or :class:`~burden.JointProduct` preferences) the good is impurely
    public (Sandler 1977; DESIGN §2.5) and the result is a
    :class:`~burden.publicgoods.spillover.SpilloverEquilibrium`: member ``i`` enjoys
    ``Q_i = q_i + Σ_{j≠i} θ_ij q_j + G0``; see :mod:`burden.publicgoods.spillover` and
    :mod:`burden.publicgoods.joint_products` for the methods.

    Parameters
    ----------
    w : array_like, shape ``(..., n)``
        Members' wealth (income), ``> 0``. Leading axes are scenarios.
    prefs : Preferences or JointProduct
        Members' preferences; parameters broadcast against ``w``. With spill-ins: CobbDouglas,
        CES, StoneGeary (linear first-order conditions) or JointProduct.
    p : array_like, shape ``(...)``, optional
        Unit price of the alliance good, ``> 0`` (default 1).
    G0 : array_like, shape ``(...)``, optional
        Exogenous provision, ``>= 0`` (default 0).
    spillover : float or array_like, shape ``(..., n, n)``, optional
        Spill-in weights ``θ`` in [0, 1]: a scalar (exact sort-and-add closed form) or a
        matrix, ``θ[..., i, j]`` being the share of ``j``'s defence that protects ``i``
        (batched LCP; the diagonal is ignored). ``None`` (default): the pure public good,
        ``θ = 1``, with the ``NashEquilibrium`` result (for JointProduct: ``θ = 1``).
    chunk : int, optional
        Scenarios solved at once on the closed-form paths (bounds memory; default 8192).
    workers : int, optional
        Threads that solve chunks in parallel on the sort-and-add path (SciPy's convention:
        default 1; ``-1`` means one per CPU). The answer does not depend on it.

    Returns
    -------
    NashEquilibrium or SpilloverEquilibrium
        Arrays of shape ``batch + (n,)`` (per member) and ``batch`` (per scenario).
        ``SpilloverEquilibrium`` (with ``spillover`` or JointProduct) has fields ``q``, ``Q``,
        ``S``, ``T``, ``x``, ``contributors``, ``utility``, ``residual``, ``status``.

    Raises
    ------
    ValueError, TypeError
        For invalid input, naming the argument and the offending element.

    Warns
    -----
    MultipleEquilibriaWarning
        When tied quasi-linear members make individual contributions indeterminate.
    NotPMatrixWarning
        When a spill-in matrix does not guarantee a unique equilibrium (``status`` 3) or
        its LCP could not be solved (``status`` 1).

    Examples
    --------
    The worked examples of DESIGN §2.2 (derived, not published):

    >>> import burden as bd
    >>> eq = bd.nash([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> eq.g, eq.G
    (array([40., 20.]), array(60.))
    >>> bd.nash([100.0, 40.0], bd.CobbDouglas(0.5)).g  # the small ally free-rides
    array([50.,  0.])

    A batch of three scenarios with a patron providing ``G0``:

    >>> bd.nash([[100.0, 80.0]] * 3, bd.CobbDouglas(0.5), G0=[0.0, 30.0, 200.0]).G
    array([ 60.,  70., 200.])

    Spill-ins: half of each ally's defence protects the other (derived example):

    >>> bd.nash([100.0, 80.0], bd.CobbDouglas(0.5), spillover=0.5).q
    array([42.666667, 29.333333])
    """
    # Imported here: the impure-good modules build on this one's kernels.
    from burden.publicgoods.joint_products import JointProduct, joint_product_nash
    from burden.publicgoods.spillover import spillover_nash

    workers = workers_iv(workers)
    if isinstance(prefs, JointProduct):
        theta = 1.0 if spillover is None else spillover
        return joint_product_nash(w, prefs, spillover=theta, p=p, G0=G0)
    if spillover is not None:
        return spillover_nash(w, prefs, spillover=spillover, p=p, G0=G0, chunk=chunk)
    w, p, G0 = members_iv(w, prefs, p, G0)
    if not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"`chunk` must be a positive integer; got {chunk!r}")
    pm = p[..., None]
    indeterminate = np.zeros(w.shape, dtype=bool)
    status = np.zeros(p.shape, dtype=int)
    foc = None
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(prefs, QuasiLinear):
            g, G, indeterminate = _quasilinear(w, np.broadcast_to(prefs.b, w.shape), p, G0)
            x = w - pm * g
        elif (foc := prefs.linear_foc(pm)) is not None:
            g, G, x, dropout, contributors = solve_linear(w, *foc, p, G0, chunk, workers)
        else:
            g, G, status = _numeric(w, prefs, p, G0)
            x = w - pm * g
        if foc is None:
            dropout = np.broadcast_to(prefs.dropout(w, pm), w.shape).copy()
            contributors = g > 0
    status = np.where(below_subsistence(prefs, x, G[..., None]), STATUS_INFEASIBLE, status)
    if indeterminate.any():
        warnings.warn(
            "tied quasi-linear members: the total G is unique but their split is not "
            "(a wealth-proportional split is reported; see `indeterminate`)",
            MultipleEquilibriaWarning,
            stacklevel=2,
        )
    return NashEquilibrium(
        g=g,
        G=np.asarray(G),
        x=x,
        contributors=contributors,
        dropout=dropout,
        indeterminate=indeterminate,
        status=np.asarray(status),
        _prefs=prefs,
    )


def below_subsistence(prefs: Preferences, x: NDArray, enjoyed: NDArray) -> NDArray:
    """Per scenario: does a Stone–Geary member end at or below a subsistence level?

    ``x`` has shape ``batch + (n,)``; ``enjoyed`` (the alliance good each member enjoys)
    broadcasts to it. All False for preferences without subsistence levels.
    """
    x_min, G_min = getattr(prefs, "x_min", None), getattr(prefs, "G_min", None)
    if x_min is None or G_min is None:
        return np.zeros(x.shape[:-1], dtype=bool)
    return ((x <= x_min) | (enjoyed <= G_min)).any(axis=-1)


def _quasilinear(w: NDArray, b: NDArray, p: NDArray, G0: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Quasi-linear closed form (module docstring); returns ``g``, ``G``, ``indeterminate``."""
    ideal = b / p[..., None]
    order = np.argsort(-ideal, axis=-1)
    ideal_sorted = np.take_along_axis(ideal, order, axis=-1)
    budget = G0[..., None] + np.cumsum(np.take_along_axis(w / p[..., None], order, axis=-1), axis=-1)
    G = np.maximum(G0, np.max(np.minimum(ideal_sorted, budget), axis=-1))
    spends_all = ideal > G[..., None]
    marginal = ideal == G[..., None]
    remainder = G - G0 - np.sum(np.where(spends_all, w / p[..., None], 0.0), axis=-1)
    # Tied marginal members: any split of the remainder is an equilibrium; wealth-proportional is feasible.
    marginal_wealth = np.sum(np.where(marginal, w, 0.0), axis=-1)
    share = np.where(marginal, w / np.where(marginal_wealth > 0, marginal_wealth, 1.0)[..., None], 0.0)
    g = np.where(spends_all, w / p[..., None], share * remainder[..., None])
    indeterminate = marginal & (np.sum(marginal, axis=-1, keepdims=True) > 1) & (remainder[..., None] > 0)
    return g, G, indeterminate


def _numeric(w: NDArray, prefs: Preferences, p: NDArray, G0: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """General preferences: batched root finding on ``G - G0 - Σ r_i(G)`` (increasing in G)."""
    pm = p[..., None]

    def excess(G: NDArray) -> NDArray:
        return G - G0 - np.sum(prefs.replacement(G[..., None], w, pm), axis=-1)

    # Bracket: at G0 the excess is -Σ r_i(G0) <= 0; at G0 + Σ w/p it is >= 0. A zero lower end
    # is nudged up because many utilities are singular at G = 0.
    total = G0 + np.sum(w / pm, axis=-1)
    lo = np.where(G0 > 0, G0, total * 1e-300)
    G, root_status = solve_monotone(excess, lo, total)
    g = prefs.replacement(G[..., None], w, pm)
    status = np.where(root_status == 0, 0, STATUS_NOT_CONVERGED)
    return g, G, status
