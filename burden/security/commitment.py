r"""The dyadic alliance commitment game: our formalisation of Snyder's security dilemma.

Snyder (1984) describes the *alliance* security dilemma in words: firm commitment lowers
the risk of **abandonment** but raises the risk of **entrapment** and gives away
bargaining **leverage**. The quadratic game here is *our* formalisation (``burden``'s, not
Snyder's): two allies choose commitments :math:`c_i \in [0, 1]` with payoffs

.. math::

    U_i = - \pi_i d_i (1 - c_j)(1 + \rho (1 - c_i)) - \pi_j e_i (1 - s_i) c_i (1 + m_j c_i)
          + \kappa_i (c_j - c_i)/2 + D_i c_i c_j - h_i c_i - k_i c_i^2/2,

where the API names :math:`D` ``deterrence``, :math:`h` ``spiral`` and :math:`\rho`
``realign``. ``docs/security.md`` maps every parameter to Snyder's determinant, derives the
reduced form, the exact regime enumeration of all equilibria, their certificate and their
stability.

References
----------
Snyder, G. H. (1984). The security dilemma in alliance politics. *World Politics* 36(4),
461–495.

Examples
--------
A symmetric pair of allies that value joint deterrence: an assurance game with two stable
equilibria (no commitment, full commitment) and an unstable one between them.

>>> from burden.security import CommitmentGame
>>> game = CommitmentGame(pi=0.3, d=1.0, e=0.5, s=0.2, m=0.5, kappa=0.1, deterrence=1.0,
...                       spiral=0.05, k=0.2, realign=0.5)
>>> eq = game.equilibria()
>>> eq.count, eq.status
(array(3, dtype=int8), array(0, dtype=int8))
>>> eq.c[:3].round(4)
array([[0.    , 0.    ],
       [0.1321, 0.1321],
       [1.    , 1.    ]])
>>> eq.stable[:3]
array([ True, False,  True])

Its strong/weak reduction (commitment 1 = action 0 = "cooperate", 0 = action 1 =
"defect") is a Stag Hunt; bargaining leverage without joint deterrence makes a Prisoner's
Dilemma, and realignment options with no deterrence make Chicken:

>>> str(game.to_2x2().name)
'stag_hunt'
>>> str(CommitmentGame(pi=0.5, d=1.0, e=0.6, deterrence=0.2, kappa=0.4, realign=0.5).to_2x2().name)
'prisoners_dilemma'
>>> str(CommitmentGame(pi=0.5, d=1.0, e=0.1, realign=1.0).to_2x2().name)
'chicken'
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._status import Status, status_dtype
from burden._validation import (
    as_float_array,
    broadcast_shape_named,
    check_interval,
    workers_iv,
)
from burden._warnings import DegenerateGameWarning
from burden.security._input import ally_iv, tol_iv
from burden.security._results import CommitmentEquilibria, CommitmentMatrixGame, ReducedForm

__all__ = ["CommitmentEquilibria", "CommitmentGame", "CommitmentMatrixGame", "ReducedForm"]
# The kernel module (and with it numba) is imported on first use: `import burden` stays fast.

#: per-ally parameter -> (low, high) bounds checked on construction; None = unbounded.
#: The order is the kernel's column order.
ALLY_PARAMS = {
    "pi": (0.0, 1.0),
    "d": (0.0, None),
    "e": (0.0, None),
    "s": (0.0, 1.0),
    "m": (0.0, None),
    "kappa": (0.0, None),
    "deterrence": (None, None),
    "spiral": (0.0, None),
    "k": (0.0, None),
}


def _as_real(value: ArrayLike, name: str) -> NDArray:
    """``value`` as an array of real numbers (not yet checked for finiteness or bounds)."""
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype.kind not in "iuf":
        as_float_array(arr, name)  # raises the package's TypeError
    return arr


def _own(target: NDArray, given: NDArray, name: str, low: float | None, high: float | None) -> None:
    """Copy parameter ``name`` into ``target`` (broadcasting) and check it: finite, in ``[low, high]``.

    A full-size float array is copied and checked in one compiled pass; anything else is
    broadcast by numpy, then checked. The numpy checks run only to word the error.
    """
    from burden.security._kernel import copy_within

    bounds = (-np.inf if low is None else low, np.inf if high is None else high)
    if given.shape == target.shape and given.dtype == np.float64:
        ok = copy_within(np.ascontiguousarray(given).reshape(-1), target.reshape(-1), *bounds)
    else:
        target[...] = given
        ok = copy_within(target.reshape(-1), target.reshape(-1), *bounds)
    if not ok:
        check_interval(as_float_array(given, name), name, low, high, closed="both")


def _ally_parameter(column: int, name: str) -> property:
    """Read-only view of one column of the owned parameter array."""
    return property(
        lambda self: self._params[column],
        doc=f"``{name}`` of each ally, shape ``batch_shape + (2,)`` (read-only).",
    )


class CommitmentGame:
    """A batch of dyadic alliance commitment games (``docs/security.md`` for the model).

    Parameters
    ----------
    pi : array_like, shape (..., 2)
        Crisis probability of each ally (:math:`\\pi_i`), in [0, 1].
    d : array_like, shape (..., 2)
        Dependence (:math:`d_i`): ally i's loss if abandoned in its crisis, >= 0.
    e : array_like, shape (..., 2)
        Ally i's cost of fighting in the partner's war (:math:`e_i`), >= 0.
    s : array_like, shape (..., 2), optional
        Shared interests (:math:`s_i`), in [0, 1] (1: the partner's war is i's own).
    m : array_like, shape (..., 2), optional
        Moral hazard (:math:`m_i`): ``m[..., j]`` is how much a partner's backing emboldens
        ally j, raising the partner's entrapment; >= 0.
    kappa : array_like, shape (..., 2), optional
        Intra-alliance bargaining leverage (:math:`\\kappa_i`), >= 0.
    deterrence : array_like, shape (..., 2), optional
        Value of joint deterrence (:math:`D_i`; real: negative if joint firmness provokes).
    spiral : array_like, shape (..., 2), optional
        Adversary-spiral cost of firmness (:math:`h_i`), >= 0.
    k : array_like, shape (..., 2), optional
        Cost of maintaining commitment (:math:`k_i`, quadratic), >= 0.
    realign : array_like, shape (...), optional
        Realignment options of the international system (:math:`\\rho`; multipolar ≈ 1,
        bipolar ≈ 0), >= 0.

    Notes
    -----
    Ally parameters broadcast against each other with a last axis of length 2 (ally 1,
    ally 2) -- a scalar or a length-1 last axis is used for both allies -- and ``realign``
    broadcasts against their batch axes. Every value must be finite. The game copies its
    parameters (read-only attributes of shape ``batch_shape + (2,)``), so changing the
    arrays passed in afterwards does not change it.

    Examples
    --------
    >>> game = CommitmentGame(pi=[0.4, 0.1], d=[2.0, 0.5], e=[0.3, 1.0], s=0.5, m=0.2, k=0.5, realign=1.0)
    >>> game.batch_shape
    ()
    >>> game.best_response(0, c_partner=[0.0, 1.0])
    array([1., 0.])
    >>> game.equilibria().c[:1]
    array([[1., 0.]])
    """

    def __init__(
        self,
        pi: ArrayLike,
        d: ArrayLike,
        e: ArrayLike,
        s: ArrayLike = 0.0,
        m: ArrayLike = 0.0,
        kappa: ArrayLike = 0.0,
        deterrence: ArrayLike = 0.0,
        spiral: ArrayLike = 0.0,
        k: ArrayLike = 0.0,
        realign: ArrayLike = 0.0,
    ) -> None:
        given = dict(zip(ALLY_PARAMS, (pi, d, e, s, m, kappa, deterrence, spiral, k), strict=True))
        arrays = {name: _as_real(value, name) for name, value in given.items()}
        for name, arr in arrays.items():
            if arr.ndim and arr.shape[-1] not in (1, 2):
                raise ValueError(
                    f"`{name}` must have shape (..., 2) (ally 1, ally 2) or be a scalar; got {arr.shape}"
                )
        rho = _as_real(realign, "realign")
        # a per-ally parameter of shape (...,) would be ambiguous, so realign gets its own ally axis
        shapes = {name: arr.shape for name, arr in arrays.items()} | {"realign": (*rho.shape, 1)}
        batch = broadcast_shape_named(shapes)[:-1]
        # One owned copy of every parameter, laid out as the kernel reads it, then checked in
        # one compiled pass each (the numpy checks run only to word the error).
        params = np.empty((len(ALLY_PARAMS), *batch, 2))
        for column, (name, arr) in enumerate(arrays.items()):
            _own(params[column], arr, name, *ALLY_PARAMS[name])
        self._realign = np.empty(batch)
        _own(self._realign, rho, "realign", 0.0, None)
        self._params = params
        params.flags.writeable = False
        self._realign.flags.writeable = False

    pi, d, e, s, m, kappa, deterrence, spiral, k = (
        _ally_parameter(column, name) for column, name in enumerate(ALLY_PARAMS)
    )

    @property
    def realign(self) -> NDArray[np.float64]:
        """Realignment options, shape ``batch_shape``."""
        return self._realign

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the scenario axes (the parameters' shape without the ally axis)."""
        return self._realign.shape

    def __repr__(self) -> str:
        return f"CommitmentGame(batch_shape={self.batch_shape})"

    def _flat(self) -> tuple[NDArray, NDArray]:
        """Parameters as the kernels read them: ``(9, n, 2)`` and ``(n,)``."""
        return self._params.reshape(len(ALLY_PARAMS), -1, 2), self._realign.reshape(-1)

    def reduced_form(self) -> ReducedForm:
        """Return the coefficients ``α, β, γ, η`` (and the constant) of each ally's payoff.

        Fields have shape ``batch_shape + (2,)``.

        Examples
        --------
        >>> rf = CommitmentGame(pi=0.5, d=1.0, e=1.0, m=1.0, realign=1.0).reduced_form()
        >>> rf.alpha, rf.eta
        (array([0., 0.]), array([1., 1.]))
        """
        from burden.security._kernel import reduced_kernel

        params, rho = self._flat()
        out = np.empty((5, rho.size, 2))
        reduced_kernel(params, rho, out)
        out = out.reshape(5, *self.batch_shape, 2)
        finite = np.isfinite(out).all(axis=(0, -1))
        status = np.where(finite, Status.SUCCESS, Status.NOT_FINITE).astype(status_dtype)
        return ReducedForm(*out, status=status)

    # -- payoffs and best responses ----------------------------------------------------------

    def payoff(self, c1: ArrayLike, c2: ArrayLike) -> NDArray[np.float64]:
        """Both allies' utilities ``(U_1, U_2)`` at commitments ``(c1, c2)``, from the primitives.

        ``c1`` and ``c2`` broadcast against the batch shape; the result has shape
        ``broadcast(batch, c1, c2) + (2,)``.

        Examples
        --------
        >>> CommitmentGame(pi=0.5, d=1.0, e=1.0).payoff(0.0, 0.0)
        array([-0.5, -0.5])
        """
        c1 = check_interval(as_float_array(c1, "c1"), "c1", 0.0, 1.0, closed="both")
        c2 = check_interval(as_float_array(c2, "c2"), "c2", 0.0, 1.0, closed="both")
        shape = broadcast_shape_named({"c1": c1.shape, "c2": c2.shape, "batch": self.batch_shape})
        n_params = len(ALLY_PARAMS)
        params = np.broadcast_to(
            self._params[(slice(None), *(None,) * (len(shape) - len(self.batch_shape)))],
            (n_params, *shape, 2),
        )
        params = np.ascontiguousarray(params).reshape(n_params, -1, 2)
        rho = np.ascontiguousarray(np.broadcast_to(self._realign, shape)).reshape(-1)
        c = np.stack([np.broadcast_to(c1, shape), np.broadcast_to(c2, shape)], axis=-1).reshape(-1, 2)
        out = np.empty((rho.size, 2))
        from burden.security._kernel import utility_kernel

        utility_kernel(params, rho, c, out)
        return out.reshape(*shape, 2)

    def best_response(self, ally: int, c_partner: ArrayLike) -> NDArray[np.float64]:
        """Best commitment of ``ally`` (0 or 1) against the partner's commitment ``c_partner``.

        ``c_partner`` broadcasts against the batch shape. Where the ally is indifferent over
        all of ``[0, 1]`` (``η = 0`` and ``α + γ c_partner = 0``) the best response is a set;
        the result is NaN there and a :class:`~burden.DegenerateGameWarning` says so.

        Examples
        --------
        >>> game = CommitmentGame(pi=0.5, d=1.0, e=0.4, m=0.5, deterrence=0.6, realign=0.5)
        >>> game.best_response(0, [0.0, 0.5, 1.0])
        array([0.25, 1.  , 1.  ])
        """
        ally = ally_iv(ally, 2)
        c_partner = check_interval(
            as_float_array(c_partner, "c_partner"), "c_partner", 0.0, 1.0, closed="both"
        )
        rf = self.reduced_form()
        alpha, gamma, eta = (x[..., ally] for x in (rf.alpha, rf.gamma, rf.eta))
        drive = alpha + gamma * c_partner
        positive = eta > 0
        interior = np.clip(drive / np.where(positive, eta, 1.0), 0.0, 1.0)
        bang = np.where(drive > 0, 1.0, np.where(drive < 0, 0.0, np.nan))
        out = np.where(positive, interior, bang)
        if np.isnan(out).any():
            warnings.warn(
                "ally is indifferent over all of [0, 1] where eta = 0 and alpha + gamma * c_partner = 0; "
                "best_response is NaN there",
                DegenerateGameWarning,
                stacklevel=2,
            )
        return out

    def deviation_gain(self, c: ArrayLike) -> NDArray[np.float64]:
        """Largest local gain rate from a unilateral deviation at profiles ``c`` ``(..., 2)``.

        Zero (to rounding) exactly at an equilibrium: the KKT residual of each ally,
        ``max(g_i, 0)`` at ``c_i = 0``, ``max(−g_i, 0)`` at 1, ``|g_i|`` between, with
        ``g_i = ∂U_i/∂c_i``. NaN rows (the padding of :attr:`CommitmentEquilibria.c`) give
        NaN. ``c`` broadcasts against ``batch_shape + (2,)``, or has shape
        ``batch_shape + (K, 2)`` (e.g. ``CommitmentEquilibria.c``); the result has its shape.

        Examples
        --------
        >>> game = CommitmentGame(pi=0.5, d=1.0, e=0.4, m=0.5, deterrence=0.6, realign=0.5)
        >>> game.deviation_gain([[0.0, 0.0], [1.0, 1.0]])
        array([[0.1, 0.1],
               [0. , 0. ]])
        """
        c = np.asarray(c)
        # NaN rows (the padding of CommitmentEquilibria.c) give NaN; anything else must be in [0, 1].
        pad = np.isnan(c) if c.dtype.kind == "f" else np.zeros(c.shape, dtype=bool)
        checked = check_interval(as_float_array(np.where(pad, 0.0, c), "c"), "c", 0.0, 1.0, closed="both")
        c = np.where(pad, np.nan, checked)
        rf = self.reduced_form()
        alpha, gamma, eta = rf.alpha, rf.gamma, rf.eta
        batch = self.batch_shape
        if c.ndim == len(batch) + 2 and c.shape[: len(batch)] == batch:
            alpha, gamma, eta = (x[..., None, :] for x in (alpha, gamma, eta))
        g = alpha + gamma * c[..., ::-1] - eta * c  # marginal utilities
        up = np.where(c >= 1.0, 0.0, np.maximum(g, 0.0))  # room to raise c_i
        down = np.where(c <= 0.0, 0.0, np.maximum(-g, 0.0))  # room to lower c_i
        return np.maximum(up, down)

    # -- equilibria ---------------------------------------------------------------------------

    def equilibria(self, *, tol: float = 1e-9, workers: int = 1) -> CommitmentEquilibria:
        """All equilibria of every game in the batch, by exact regime enumeration.

        Parameters
        ----------
        tol : float, optional
            Relative tolerance of the equilibrium conditions, in (0, 0.01): a profile is an
            equilibrium when no ally's marginal utility violates its Karush–Kuhn–Tucker
            conditions by more than ``tol × S``, and it is certified when no ally gains more
            than ``tol × S`` by any deviation, where ``S`` is the game's payoff scale (the
            largest ``|α_i|, |γ_i|, η_i``). Commitments are compared to ``tol`` absolutely.
        workers : int, optional
            Threads of the compiled kernel (SciPy's convention: default 1; ``-1`` means one
            per CPU). The answer is bit-identical for every value.

        Returns
        -------
        CommitmentEquilibria
            Fields of shape ``batch_shape + (K, 2)`` and ``batch_shape``; see its docstring.

        Warns
        -----
        DegenerateGameWarning
            If some game has a continuum of equilibria.

        Examples
        --------
        Bang-bang allies (no quadratic cost) with a coordination structure:

        >>> game = CommitmentGame(pi=0.5, d=1.0, e=0.2, deterrence=1.0, realign=0.0)
        >>> eq = game.equilibria()
        >>> eq.c[: int(eq.count)], eq.stable[: int(eq.count)]
        (array([[0. , 0. ],
               [0.1, 0.1],
               [1. , 1. ]]), array([ True, False,  True]))
        """
        from burden._numba import kernel_threads
        from burden.security._kernel import K_SLOTS, equilibria_kernel

        tol = tol_iv(tol)
        workers = workers_iv(workers)
        shape = self.batch_shape
        params, rho = self._flat()
        n = rho.size
        # the kernel writes every output once, straight into these arrays
        c = np.empty((n, K_SLOTS, 2))
        described = np.empty((4, n, K_SLOTS, 2))  # risks, shares and utilities
        stable = np.empty((n, K_SLOTS), dtype=bool)
        count = np.empty(n, dtype=np.int8)
        continuum = np.empty(n, dtype=bool)
        status = np.empty(n, dtype=status_dtype)
        with kernel_threads(workers):
            equilibria_kernel(params, rho, tol, c, stable, count, continuum, status, *described)
        degenerate = np.flatnonzero(continuum)
        if degenerate.size:
            segments = self._segments(degenerate, n, tol)
            where = list(np.unravel_index(int(degenerate[0]), shape)) if shape else []
            warnings.warn(
                f"{degenerate.size} game(s) have a continuum of equilibria (first at index {where}); "
                "`c` holds their extreme points and `segments` the segments",
                DegenerateGameWarning,
                stacklevel=2,
            )
        else:
            segments = np.empty((n, 0, 2, 2))
        abandonment, entrapment, bargaining, utility = (x.reshape(*shape, K_SLOTS, 2) for x in described)
        return CommitmentEquilibria(
            c=c.reshape(*shape, K_SLOTS, 2),
            count=count.reshape(shape),
            continuum=continuum.reshape(shape),
            segments=segments.reshape(*shape, *segments.shape[1:]),
            stable=stable.reshape(*shape, K_SLOTS),
            abandonment_risk=abandonment,
            entrapment_risk=entrapment,
            bargaining_share=bargaining,
            utility=utility,
            status=status.reshape(shape),
        )

    def _segments(self, games: NDArray, n: int, tol: float) -> NDArray:
        """Segments ``(n, L, 2, 2)`` of the (few) flat games ``games`` with a continuum."""
        from burden.security._kernel import MAX_SEGMENTS, segments_kernel

        params, rho = self._flat()
        found = np.full((games.size, MAX_SEGMENTS, 2, 2), np.nan)
        n_seg = segments_kernel(params[:, games], rho[games], tol, found)
        segments = np.full((n, int(n_seg.max()), 2, 2), np.nan)
        segments[games] = found[:, : segments.shape[1]]
        return segments

    # -- the strong/weak 2x2 reduction -----------------------------------------------------

    def to_2x2(self) -> CommitmentMatrixGame:
        """Payoffs at strong (``c = 1``) and weak (``c = 0``) commitment, and their 2×2 type.

        Action 0 = strong commitment = "cooperate", action 1 = weak = "defect", so the usual
        names apply: a Prisoner's Dilemma means each ally prefers weak commitment whatever
        the partner does although both prefer mutual strong commitment to mutual weak.

        Returns
        -------
        CommitmentMatrixGame
            ``A``, ``B`` of shape ``batch_shape + (2, 2)``, the classification and a status.
        """
        from burden.games import classify_2x2

        levels = np.array([1.0, 0.0])  # action -> commitment
        batch = (1,) * len(self.batch_shape)
        u = self.payoff(levels.reshape(2, 1, *batch), levels.reshape(1, 2, *batch))  # (2, 2, *batch, 2)
        A, B = (np.moveaxis(u[..., i], (0, 1), (-2, -1)) for i in range(2))
        finite = np.isfinite(A).all(axis=(-2, -1)) & np.isfinite(B).all(axis=(-2, -1))
        status = np.where(finite, Status.SUCCESS, Status.NOT_FINITE).astype(status_dtype)
        classification = classify_2x2(A, B)
        return CommitmentMatrixGame(
            A=A, B=B, name=np.asarray(classification.name), classification=classification, status=status
        )
