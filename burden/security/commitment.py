r"""The dyadic alliance commitment game: our formalisation of Snyder's security dilemma.

Snyder (1984) describes the *alliance* security dilemma: each ally chooses how firmly to
stand by its partner. Firm commitment lowers the risk of **abandonment** (the partner
defects or realigns) but raises the risk of **entrapment** (being dragged into the
partner's war, the more so as backing emboldens it) and gives away **bargaining leverage**
inside the alliance. Snyder states this verbally; the quadratic game below is *our*
formalisation (`burden`'s, not Snyder's), chosen so that every determinant he names moves
a parameter and every equilibrium can be found exactly.

Model
-----
Two allies ``i = 1, 2`` choose commitments :math:`c_i \in [0, 1]` (the probability of
standing by the partner in its crisis). With ``j`` the partner,

.. math::

    U_i(c_i, c_j) = &- \pi_i d_i (1 - c_j)\,(1 + \rho (1 - c_i))
                     && \text{abandonment, worse if } j \text{ can realign}\\
                    &- \pi_j e_i (1 - s_i)\, c_i (1 + m_j c_i)
                     && \text{entrapment, } j \text{ emboldened by } c_i\\
                    &+ \kappa_i (c_j - c_i) / 2
                     && \text{intra-alliance bargaining}\\
                    &+ D_i c_i c_j - h_i c_i - k_i c_i^2 / 2
                     && \text{joint deterrence, spiral, upkeep}

with :math:`\pi_i` i's crisis probability, :math:`d_i` its dependence on the partner,
:math:`e_i` its cost of fighting the partner's war, :math:`s_i \in [0, 1]` shared interests,
:math:`m_j` the partner's moral hazard, :math:`\rho` realignment options (multipolarity),
:math:`\kappa_i` leverage, :math:`D_i` the value of joint deterrence, :math:`h_i` the
adversary-spiral cost of firmness and :math:`k_i` the cost of upkeep.
Expanding (verified symbolically in the tests) gives the reduced form

.. math::

    U_i = \text{const}_i + \alpha_i c_i + \beta_i c_j + \gamma_i c_i c_j
          - \tfrac12 \eta_i c_i^2,

    \alpha_i = \pi_i d_i \rho - \pi_j e_i (1 - s_i) - \kappa_i/2 - h_i,\quad
    \beta_i = \pi_i d_i (1 + \rho) + \kappa_i/2,

    \gamma_i = D_i - \pi_i d_i \rho,\quad
    \eta_i = 2 \pi_j m_j e_i (1 - s_i) + k_i,\quad
    \text{const}_i = -\pi_i d_i (1 + \rho).

``U_i`` is concave in ``c_i``, so the best response is
:math:`c_i = \operatorname{clip}((\alpha_i + \gamma_i c_j)/\eta_i, 0, 1)`, bang-bang when
:math:`\eta_i = 0` (any ``c_i`` when :math:`\alpha_i + \gamma_i c_j = 0`).

Equilibria are found exactly by enumerating the nine regimes {0, interior, 1}² of the two
commitments over the whole batch: each regime fixes two linear equations, and a candidate is
kept iff it satisfies both allies' Karush–Kuhn–Tucker conditions (up to ``tol``). There are
at most three isolated equilibria; when a regime's equations are singular (an indifferent
ally with :math:`\eta_i = 0`, or parallel reaction lines :math:`\eta_1\eta_2 = \gamma_1\gamma_2`)
the equilibria can form segments, which are reported by their end points.

Stability is local asymptotic stability under best-response dynamics (simultaneous or
alternating): with slopes :math:`\sigma_i = \gamma_i/\eta_i` for an ally whose first-order
condition binds (interior, or at a bound with zero marginal utility — the steeper one-sided
slope, which is conservative) and :math:`\sigma_i = 0` for an ally strictly at a bound, an
equilibrium is stable iff :math:`|\sigma_1 \sigma_2| < 1`. An indifferent ally
(:math:`\eta_i = 0`) has an infinite slope, so such equilibria (the analogue of mixed
equilibria, and every point of a continuum) are unstable.

References
----------
Snyder, G. H. (1984). The security dilemma in alliance politics. *World Politics* 36(4),
461–495. Jervis, R. (1978). Cooperation under the security dilemma. *World Politics* 30(2),
167–214. Leeds, B. A., Long, A. G. and Mitchell, S. M. (2000). Reevaluating alliance
reliability. *Journal of Conflict Resolution* 44(5), 686–699.

Examples
--------
A symmetric pair of allies that value joint deterrence: an assurance game with two stable
equilibria (no commitment, full commitment) and an unstable one between them.

>>> from burden.security import CommitmentGame
>>> game = CommitmentGame(pi=0.3, d=1.0, e=0.5, s=0.2, m=0.5, kappa=0.1, D=1.0, h=0.05, k=0.2, rho=0.5)
>>> eq = game.equilibria()
>>> eq.count
array(3)
>>> eq.c.round(4)
array([[0.    , 0.    ],
       [0.1321, 0.1321],
       [1.    , 1.    ]])
>>> eq.stable
array([ True, False,  True])

Its strong/weak reduction (commitment 1 = action 0 = "cooperate", 0 = action 1 =
"defect") is a Stag Hunt; bargaining leverage without joint deterrence makes a Prisoner's
Dilemma, and realignment options with no deterrence make Chicken:

>>> str(game.to_2x2().name)
'stag_hunt'
>>> str(CommitmentGame(pi=0.5, d=1.0, e=0.6, D=0.2, kappa=0.4, rho=0.5).to_2x2().name)
'prisoners_dilemma'
>>> str(CommitmentGame(pi=0.5, d=1.0, e=0.1, rho=1.0).to_2x2().name)
'chicken'
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import thread_map
from burden._results import Result, result_class
from burden._validation import (
    as_float_array,
    broadcast_named,
    broadcast_shape_named,
    check_interval,
    workers_iv,
)
from burden._warnings import DegenerateGameWarning
from burden.security._dyadic import BLOCK, kkt_residual, solve_block

__all__ = ["CommitmentEquilibria", "CommitmentGame", "CommitmentMatrixGame", "ReducedForm"]

# Parameter name -> (low, high) bounds checked on construction; None = unbounded.
_ALLY_PARAMS = {
    "pi": (0.0, 1.0),
    "d": (0.0, None),
    "e": (0.0, None),
    "s": (0.0, 1.0),
    "m": (0.0, None),
    "kappa": (0.0, None),
    "D": (None, None),
    "h": (0.0, None),
    "k": (0.0, None),
}


@result_class
class ReducedForm(Result):
    """Coefficients of ``U_i = const_i + α_i c_i + β_i c_j + γ_i c_i c_j − η_i c_i²/2``.

    Every field has shape ``(..., 2)`` (ally 1, ally 2).
    """

    _core_dims = ("ally",)

    alpha: NDArray[np.float64]
    beta: NDArray[np.float64]
    gamma: NDArray[np.float64]
    eta: NDArray[np.float64]
    const: NDArray[np.float64]


@result_class
class CommitmentEquilibria(Result):
    """Every equilibrium of a batch of dyadic commitment games.

    ``K`` is the largest number of equilibrium points in the batch; rows past ``count`` are
    NaN. Per-equilibrium fields have shape ``(..., K, 2)`` (last axis: ally 1, ally 2) or
    ``(..., K)``.

    Attributes
    ----------
    c : ndarray, shape (..., K, 2)
        Equilibrium commitments, sorted by ``c_1`` then ``c_2``. Where ``continuum`` is true
        they are the extreme points of the equilibrium set.
    count : ndarray of int, shape (...)
        Number of rows of ``c`` in use.
    continuum : ndarray of bool, shape (...)
        True where the equilibria form segments (then see ``segments``).
    segments : ndarray, shape (..., L, 2, 2)
        End points ``[start, end]`` of each segment of equilibria, NaN-padded (``L = 0``
        when no game of the batch has a continuum). When both allies' payoffs ignore
        their own commitment every profile is an equilibrium; this is reported as the
        four edges of the square.
    stable : ndarray of bool, shape (..., K)
        Local asymptotic stability under best-response dynamics (module docstring).
    abandonment_risk : ndarray, shape (..., K, 2)
        ``π_i (1 − c_j)``: probability that ally i faces a crisis alone.
    entrapment_risk : ndarray, shape (..., K, 2)
        ``π_j (1 + m_j c_i) c_i``: expected exposure of ally i to the partner's wars (the
        partner's crisis rate, raised by moral hazard, times i's commitment). A rate, not a
        probability: it can exceed 1 when ``m_j`` is large.
    bargaining_share : ndarray, shape (..., K, 2)
        ``κ_i (c_j − c_i)/2``: the bargaining term of ``U_i``; positive when the partner is
        the more committed (i holds the leverage). The two allies' shares sum to zero when
        ``κ_1 = κ_2``.
    utility : ndarray, shape (..., K, 2)
        ``U_i`` at the equilibrium.
    """

    _core_dims = ("equilibrium", "ally")

    c: NDArray[np.float64]
    count: NDArray[np.int_]
    continuum: NDArray[np.bool_]
    segments: NDArray[np.float64]
    stable: NDArray[np.bool_]
    abandonment_risk: NDArray[np.float64]
    entrapment_risk: NDArray[np.float64]
    bargaining_share: NDArray[np.float64]
    utility: NDArray[np.float64]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the leading scenario axes."""
        return self.count.shape


@result_class
class CommitmentMatrixGame(Result):
    """The strong/weak reduction of a commitment game to a 2×2 bimatrix game.

    Action 0 is **strong** commitment (``c = 1``, "cooperate"), action 1 is **weak**
    commitment (``c = 0``, "defect"); ``A[..., r, s]`` is ally 1's payoff and
    ``B[..., r, s]`` ally 2's when ally 1 plays ``r`` and ally 2 plays ``s``.

    Attributes
    ----------
    A, B : ndarray, shape (..., 2, 2)
        Payoff matrices of ally 1 (row) and ally 2 (column).
    name : ndarray of str, shape (...)
        The ordinal type from :func:`burden.games.classify_2x2` (e.g. ``"prisoners_dilemma"``,
        ``"chicken"``, ``"stag_hunt"``).
    classification : object
        The full result of :func:`burden.games.classify_2x2`.
    """

    _core_dims = ("row", "column")

    A: NDArray[np.float64]
    B: NDArray[np.float64]
    name: NDArray[np.str_]
    classification: object


class CommitmentGame:
    """A batch of dyadic alliance commitment games (module docstring for the model).

    Parameters
    ----------
    pi : array_like, shape (..., 2)
        Crisis probability of each ally, in [0, 1].
    d : array_like, shape (..., 2)
        Dependence: ally i's loss if abandoned in its crisis, >= 0.
    e : array_like, shape (..., 2)
        Ally i's cost of fighting in the partner's war, >= 0.
    s : array_like, shape (..., 2), optional
        Shared interests, in [0, 1] (1: the partner's war is i's own, no entrapment cost).
    m : array_like, shape (..., 2), optional
        Moral hazard of each ally: ``m[..., j]`` is how much a partner's backing emboldens
        ally j, raising the partner's entrapment; >= 0.
    kappa : array_like, shape (..., 2), optional
        Intra-alliance bargaining leverage, >= 0.
    D : array_like, shape (..., 2), optional
        Value of joint deterrence (real: negative if commitment together provokes).
    h : array_like, shape (..., 2), optional
        Adversary-spiral cost of firmness, >= 0.
    k : array_like, shape (..., 2), optional
        Cost of maintaining commitment (quadratic), >= 0.
    rho : array_like, shape (...), optional
        Realignment options of the international system (multipolar ≈ 1, bipolar ≈ 0), >= 0.

    Notes
    -----
    Ally parameters broadcast against each other with a last axis of length 2 (ally 1,
    ally 2) — a scalar or a length-1 last axis is used for both allies — and ``rho``
    broadcasts against their batch axes. Every value must be finite.

    Examples
    --------
    >>> game = CommitmentGame(pi=[0.4, 0.1], d=[2.0, 0.5], e=[0.3, 1.0], s=0.5, m=0.2, k=0.5, rho=1.0)
    >>> game.batch_shape
    ()
    >>> game.best_response(0, c_other=[0.0, 1.0])
    array([1., 0.])
    >>> game.equilibria().c
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
        D: ArrayLike = 0.0,
        h: ArrayLike = 0.0,
        k: ArrayLike = 0.0,
        rho: ArrayLike = 0.0,
    ) -> None:
        values = dict(zip(_ALLY_PARAMS, (pi, d, e, s, m, kappa, D, h, k), strict=True))
        arrays = {}
        for name, (low, high) in _ALLY_PARAMS.items():
            arr = as_float_array(values[name], name)
            if arr.ndim and arr.shape[-1] not in (1, 2):
                raise ValueError(
                    f"`{name}` must have shape (..., 2) (ally 1, ally 2) or be a scalar; got {arr.shape}"
                )
            closed = "both" if high is not None else "left"
            arrays[name] = check_interval(arr, name, low, high, closed=closed) if low is not None else arr
        rho_arr = check_interval(as_float_array(rho, "rho"), "rho", 0.0, None, closed="left")
        # A per-ally parameter of shape (...,) would be ambiguous, so rho gets its own trailing axis.
        arrays["rho"] = rho_arr[..., None]
        broadcast = broadcast_named(arrays)
        full_shape = broadcast[0].shape
        if not full_shape:
            full_shape = (2,)
        elif full_shape[-1] == 1:
            full_shape = (*full_shape[:-1], 2)
        # Stored ally-first, (2, *batch), so that whole-array arithmetic runs along the long
        # batch axis rather than an inner axis of length 2; the public attributes are views.
        self._first = {
            name: np.ascontiguousarray(np.moveaxis(np.broadcast_to(arr, full_shape), -1, 0))
            for name, arr in zip(arrays, broadcast, strict=True)
            if name != "rho"
        }
        self._rho = np.array(np.broadcast_to(broadcast[-1], full_shape)[..., 0])  # 0-d stays 0-d
        for name, arr in self._first.items():
            setattr(self, name, np.moveaxis(arr, 0, -1))
        self.rho = self._rho

    # -- structure ---------------------------------------------------------------------------

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the scenario axes (the parameters' shape without the ally axis)."""
        return self._rho.shape

    def __repr__(self) -> str:
        return f"CommitmentGame(batch_shape={self.batch_shape})"

    def reduced_form(self) -> ReducedForm:
        """Return the coefficients ``α, β, γ, η`` (and the constant) of each ally's payoff.

        Fields have shape ``batch_shape + (2,)``.

        Examples
        --------
        >>> rf = CommitmentGame(pi=0.5, d=1.0, e=1.0, m=1.0, rho=1.0).reduced_form()
        >>> rf.alpha, rf.eta
        (array([0., 0.]), array([1., 1.]))
        """
        fields = _reduced(self._first, self._rho)
        return ReducedForm(**{name: np.moveaxis(x, 0, -1) for name, x in fields.items()})

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
        # The ally axis comes first inside, so broadcast to the full shape before stacking.
        shape = broadcast_shape_named({"c1": c1.shape, "c2": c2.shape, "batch": self._rho.shape})
        c = np.stack([np.broadcast_to(c1, shape), np.broadcast_to(c2, shape)])
        return np.moveaxis(_utility(self._first, self._rho, c), 0, -1)

    def best_response(self, player: int, c_other: ArrayLike) -> NDArray[np.float64]:
        """Best commitment of ally ``player`` (0 or 1) against the partner's ``c_other``.

        ``c_other`` broadcasts against the batch shape. Where the ally is indifferent over
        all of ``[0, 1]`` (``η = 0`` and ``α + γ c_other = 0``) the best response is a set;
        the result is NaN there and a :class:`~burden.DegenerateGameWarning` says so.

        Examples
        --------
        >>> game = CommitmentGame(pi=0.5, d=1.0, e=0.4, m=0.5, D=0.6, rho=0.5)
        >>> game.best_response(0, [0.0, 0.5, 1.0])
        array([0.25, 1.  , 1.  ])
        """
        if player not in (0, 1):
            raise ValueError(f"`player` must be 0 (ally 1) or 1 (ally 2); got {player!r}")
        c_other = check_interval(as_float_array(c_other, "c_other"), "c_other", 0.0, 1.0, closed="both")
        rf = _reduced(self._first, self._rho)
        alpha, gamma, eta = (rf[name][player] for name in ("alpha", "gamma", "eta"))
        drive = alpha + gamma * c_other
        with np.errstate(divide="ignore", invalid="ignore"):
            interior = np.clip(drive / eta, 0.0, 1.0)
        bang = np.where(drive > 0, 1.0, np.where(drive < 0, 0.0, np.nan))
        out = np.where(eta > 0, interior, bang)
        if np.isnan(out).any():
            warnings.warn(
                "ally is indifferent over all of [0, 1] where eta = 0 and alpha + gamma * c_other = 0; "
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
        >>> game = CommitmentGame(pi=0.5, d=1.0, e=0.4, m=0.5, D=0.6, rho=0.5)
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
        coefficients = (rf.alpha, rf.gamma, rf.eta)
        batch = self.batch_shape
        if c.ndim == len(batch) + 2 and c.shape[: len(batch)] == batch:
            coefficients = tuple(x[..., None, :] for x in coefficients)
        return kkt_residual(*coefficients, c)

    # -- equilibria ---------------------------------------------------------------------------

    def equilibria(self, *, tol: float = 1e-9, workers: int = 1) -> CommitmentEquilibria:
        """All equilibria of every game in the batch, by exact regime enumeration.

        Parameters
        ----------
        tol : float, optional
            Tolerance of the equilibrium conditions, relative to the largest reduced-form
            coefficient of each game (commitments are checked to ``tol`` absolutely).
        workers : int, optional
            Threads that solve blocks of games in parallel (SciPy's convention: default 1;
            ``-1`` means one per CPU). The answer does not depend on it.

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

        >>> game = CommitmentGame(pi=0.5, d=1.0, e=0.2, D=1.0, rho=0.0)
        >>> eq = game.equilibria()
        >>> eq.c, eq.stable
        (array([[0. , 0. ],
               [0.1, 0.1],
               [1. , 1. ]]), array([ True, False,  True]))
        """
        if isinstance(tol, bool) or not isinstance(tol, float | int) or not 0 < tol < 1e-2:
            raise ValueError(f"`tol` must be a number in (0, 0.01); got {tol!r}")
        shape = self.batch_shape
        flat = {name: x.reshape(2, -1) for name, x in self._first.items()}
        out = _solve(flat, self._rho.reshape(-1), float(tol), workers_iv(workers))
        if out["continuum"].any():
            where = np.unravel_index(int(np.argmax(out["continuum"])), shape) if shape else ()
            warnings.warn(
                f"{int(out['continuum'].sum())} game(s) have a continuum of equilibria (first at index "
                f"{list(where)}); `c` holds their extreme points and `segments` the segments",
                DegenerateGameWarning,
                stacklevel=2,
            )
        fields = {}
        for name, value in out.items():
            if name in ("count", "continuum"):
                fields[name] = value.reshape(shape)
            elif name == "segments":
                fields[name] = value.reshape(*shape, *value.shape[1:])
            elif name == "stable":  # (K, n) -> (*batch, K)
                fields[name] = np.moveaxis(value.reshape(value.shape[0], *shape), 0, -1)
            else:  # (2, K, n) -> (*batch, K, 2)
                fields[name] = np.moveaxis(value.reshape(2, value.shape[1], *shape), (0, 1), (-1, -2))
        return CommitmentEquilibria(**fields)

    # -- the strong/weak 2x2 reduction -----------------------------------------------------

    def to_2x2(self) -> CommitmentMatrixGame:
        """Payoffs at strong (``c = 1``) and weak (``c = 0``) commitment, and their 2×2 type.

        Action 0 = strong commitment = "cooperate", action 1 = weak = "defect", so the usual
        names apply: a Prisoner's Dilemma means each ally prefers weak commitment whatever
        the partner does although both prefer mutual strong commitment to mutual weak.

        Returns
        -------
        CommitmentMatrixGame
            ``A``, ``B`` of shape ``batch_shape + (2, 2)`` and the classification.
        """
        from burden.games import classify_2x2

        levels = np.array([1.0, 0.0])  # action -> commitment
        c = np.stack(np.broadcast_arrays(levels[:, None], levels[None, :]))  # (ally, row, col)
        u = _utility(self._first, self._rho, c.reshape(2, 2, 2, *(1,) * len(self.batch_shape)), n_core=2)
        A, B = (np.moveaxis(x, (0, 1), (-2, -1)) for x in u)
        classification = classify_2x2(A, B)
        return CommitmentMatrixGame(
            A=A, B=B, name=np.asarray(classification.name), classification=classification
        )


# -- array functions (parameters ally-first: dicts of (2, *batch) arrays) ----------------------


def _reduced(p: dict[str, NDArray], rho: NDArray) -> dict[str, NDArray]:
    """The reduced form ally-first, ``(2, *batch)`` (DESIGN §3.2; derivation in the tests)."""
    own = p["pi"] * p["d"]
    exposure = p["pi"][::-1] * p["e"] * (1.0 - p["s"])
    return {
        "alpha": own * rho - exposure - p["kappa"] / 2 - p["h"],
        "beta": own * (1.0 + rho) + p["kappa"] / 2,
        "gamma": p["D"] - own * rho,
        "eta": 2.0 * p["m"][::-1] * exposure + p["k"],
        "const": -own * (1.0 + rho),
    }


def _utility(p: dict[str, NDArray], rho: NDArray, c: NDArray, n_core: int = 0) -> NDArray:
    """``U`` at ally-first profiles ``c`` of shape ``(2, *core, *batch)``, ``len(core) = n_core``.

    The primitive formula of DESIGN §3.2, not the reduced form, so that the tests can check
    one against the other.
    """
    pad = (1,) * n_core
    pi, d, e, s, m, kappa, D, h, k = (p[name].reshape((2, *pad, *p[name].shape[1:])) for name in _ALLY_PARAMS)
    rho = rho.reshape(pad + rho.shape)
    c_j = c[::-1]
    return (
        -pi * d * (1.0 - c_j) * (1.0 + rho * (1.0 - c))
        - pi[::-1] * e * (1.0 - s) * c * (1.0 + m[::-1] * c)
        + kappa * (c_j - c) / 2.0
        + D * c * c_j
        - h * c
        - k * c**2 / 2.0
    )


def _describe(p: dict[str, NDArray], rho: NDArray, rf: dict[str, NDArray], c: NDArray, tol: float):
    """Stability, risks, shares and utilities at ally-first points ``c`` ``(2, K, m)``."""
    pi, m, kappa = (p[name][:, None] for name in ("pi", "m", "kappa"))
    alpha, gamma, eta = (rf[name][:, None] for name in ("alpha", "gamma", "eta"))
    c_j = c[::-1]
    scale = np.maximum(np.maximum(np.abs(alpha), np.abs(gamma)).max(axis=0), eta.max(axis=0))
    binding = np.abs(alpha + gamma * c_j - eta * c) <= tol * np.where(scale > 0, scale, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(binding, np.where(eta > 0, gamma / eta, np.inf), 0.0)
        # An infinite slope (an indifferent ally) is unstable even against a zero one.
        stable = np.isfinite(slope).all(axis=0) & (np.abs(slope[0] * slope[1]) < 1.0) & ~np.isnan(c[0])
    return {
        "stable": stable,
        "abandonment_risk": pi * (1.0 - c_j),
        "entrapment_risk": pi[::-1] * (1.0 + m[::-1] * c) * c,
        "bargaining_share": kappa * (c_j - c) / 2.0,
        "utility": _utility(p, rho, c, n_core=1),
    }


def _solve(p: dict[str, NDArray], rho: NDArray, tol: float, workers: int = 1) -> dict[str, NDArray]:
    """Equilibria and their description for flat games (``(2, n)`` parameters), block by block.

    Blocks keep the temporaries in cache, and ``workers`` threads take them in turn. The
    fields come back as ``(2, K, n)`` (per ally and equilibrium), ``(K, n)`` (``stable``),
    ``(n,)`` and ``(n, L, 2, 2)`` (``segments``).
    """
    n = rho.shape[0]
    cuts = [slice(i, i + BLOCK) for i in range(0, max(n, 1), BLOCK)]  # blocks of games, not games

    def reduce_and_solve(cut: slice) -> tuple[dict[str, NDArray], tuple]:
        rf = _reduced({name: x[:, cut] for name, x in p.items()}, rho[cut])
        return rf, solve_block(rf["alpha"], rf["gamma"], rf["eta"], tol)

    reduced, solved = zip(*thread_map(reduce_and_solve, cuts, workers), strict=True)
    k_max = max(b[0].shape[1] for b in solved)
    l_max = max(b[3].shape[1] for b in solved)
    out = {
        "c": np.full((2, k_max, n), np.nan),
        "count": np.concatenate([b[1] for b in solved]),
        "continuum": np.concatenate([b[2] for b in solved]),
        "segments": np.full((n, l_max, 2, 2), np.nan),
        "stable": np.zeros((k_max, n), dtype=bool),
    }
    for name in ("abandonment_risk", "entrapment_risk", "bargaining_share", "utility"):
        out[name] = np.full((2, k_max, n), np.nan)

    def describe(block: tuple[slice, tuple, dict[str, NDArray]]) -> None:
        cut, (c, count, _, segments), rf = block
        out["c"][:, : c.shape[1], cut] = c
        out["segments"][cut, : segments.shape[1]] = segments
        pb, rb = {name: x[:, cut] for name, x in p.items()}, rho[cut]
        # Most games have one equilibrium: describe the first row densely, the rest sparsely.
        _write(out, (slice(None), slice(0, 1), cut), _describe(pb, rb, rf, c[:, :1], tol))
        multi = np.flatnonzero(count > 1)
        if multi.size:
            pm, rm = {name: x[:, multi] for name, x in pb.items()}, rb[multi]
            more = _describe(pm, rm, {name: x[:, multi] for name, x in rf.items()}, c[:, 1:, multi], tol)
            _write(out, (slice(None), slice(1, c.shape[1]), multi + cut.start), more)

    # each block writes only its own games' columns
    thread_map(describe, list(zip(cuts, solved, reduced, strict=True)), workers)
    return out


def _write(out: dict[str, NDArray], index: tuple, fields: dict[str, NDArray]) -> None:
    """Store ally-first fields ``(2, K', m)`` (``stable``: ``(K', m)``) at ``index`` of ``out``."""
    for name, value in fields.items():
        out[name][index[1:] if name == "stable" else index] = value
