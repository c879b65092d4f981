r"""The n-ally commitment game: every ally's commitment on the batched LCP core.

The n-ally game generalises the dyadic game (:mod:`burden.security.commitment`) to ``n``
allies with quadratic payoffs on :math:`[0, 1]^n` (``docs/security.md``):

.. math::

    U_i(c) = \text{const}_i + \alpha_i c_i + \sum_{j \ne i} \beta_{ij} c_j
             + \sum_{j \ne i} \gamma_{ij} c_i c_j - \tfrac12 \eta_i c_i^2 , \qquad \eta_i \ge 0 .

Own-commitment terms live in :math:`\alpha` and :math:`\eta`, so the diagonals of
:math:`\beta` and :math:`\gamma` must be zero. :math:`U_i` is concave in :math:`c_i` with
marginal utility :math:`g_i = \alpha_i + \sum_{j \ne i} \gamma_{ij} c_j - \eta_i c_i`, so
:math:`c` is an equilibrium iff for every ally :math:`c_i = 0 \Rightarrow g_i \le 0`,
:math:`c_i = 1 \Rightarrow g_i \ge 0`, :math:`0 < c_i < 1 \Rightarrow g_i = 0`: the box
linear complementarity problem with

.. math:: M = \operatorname{diag}(\eta) - \Gamma, \qquad q = -\alpha, \qquad
          w = M c + q = -g, \qquad 0 \le c \le 1,

solved by :func:`burden.lcp.solve` (one equilibrium; the only one when :math:`M` is a
P-matrix, e.g. when own costs dominate: :math:`\eta_i > \sum_j |\gamma_{ij}|`) or listed
by :func:`burden.lcp.enumerate_solutions` (all of them, ``n <= 10``). Each game's LCP is
divided by its payoff scale first (the solutions do not change), so tiny and huge payoffs
are solved alike, and every equilibrium reported is certified: no ally gains more than
``tol`` times the payoff scale by any deviation.

An ally with :math:`\eta_i = 0` has a bang-bang best response and can be indifferent; the
LCP then has singular principal blocks. We treat it exactly as the LCP core does:
``equilibria()`` lists every isolated equilibrium and sets ``complete = False`` where a
singular block could hide a continuum, and ``equilibrium()`` reports the pivoting status.

Examples
--------
Three allies whose commitments reinforce one another weakly (a P-matrix, one equilibrium):

>>> import numpy as np
>>> from burden.security import MultilateralCommitmentGame
>>> gamma = 0.2 * (np.ones((3, 3)) - np.eye(3))
>>> game = MultilateralCommitmentGame(alpha=[0.3, 0.1, -0.1], beta=0.0, gamma=gamma, eta=1.0)
>>> eq = game.equilibrium()
>>> eq.c.round(4), eq.unique, eq.status
(array([0.3333, 0.1667, 0.    ]), array(True), array(0, dtype=int8))
"""

from __future__ import annotations

import dataclasses
import functools
import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._chunks import thread_map
from burden._status import Status, status_dtype
from burden._validation import as_float_array, broadcast_named, check_interval, check_square, workers_iv
from burden._warnings import MultipleEquilibriaWarning
from burden.lcp import enumerate_solutions, solve
from burden.security._input import ally_iv, tol_iv
from burden.security._results import MultilateralEquilibria, MultilateralEquilibrium
from burden.security.commitment import CommitmentGame

__all__ = ["MultilateralCommitmentGame", "MultilateralEquilibria", "MultilateralEquilibrium"]


def _in_chunks(solve, M: NDArray, q: NDArray, workers: int) -> list:
    """``solve(M, q)`` on consecutive chunks of the flat batch, in ``workers`` threads.

    Each problem is solved on its own, so the answer does not depend on ``workers``.
    """
    M, q = M.reshape(-1, *M.shape[-2:]), q.reshape(-1, q.shape[-1])
    if M.shape[0] == 0:  # an empty batch: the fields' shapes and types from one trivial problem
        n = M.shape[-1]
        one = solve(np.eye(n)[None], np.zeros((1, n)))
        arrays = {f.name: getattr(one, f.name) for f in dataclasses.fields(one)}
        return [
            dataclasses.replace(one, **{k: v[:0] for k, v in arrays.items() if isinstance(v, np.ndarray)})
        ]
    size = -(-M.shape[0] // workers)
    cuts = [slice(i, i + size) for i in range(0, M.shape[0], size)]
    return thread_map(lambda cut: solve(M[cut], q[cut]), cuts, workers)


def _joined(parts: list, name: str, batch: tuple[int, ...]) -> NDArray:
    """Field ``name`` of the chunk results, joined along the batch (NaN-padding a solution axis)."""
    arrays = [getattr(part, name) for part in parts]
    if arrays[0].ndim == 3:  # (chunk, K, n): K differs between chunks
        width = max(a.shape[1] for a in arrays)
        arrays = [
            np.pad(a, ((0, 0), (0, width - a.shape[1]), (0, 0)), constant_values=np.nan) for a in arrays
        ]
    joined = np.concatenate(arrays)
    return joined.reshape((*batch, *joined.shape[1:]))


class MultilateralCommitmentGame:
    """A batch of n-ally commitment games (module docstring for the model).

    Parameters
    ----------
    alpha : array_like, shape (..., n)
        Own marginal value of commitment at zero.
    beta : array_like, shape (..., n, n)
        ``beta[..., i, j]``: ally i's value of ally j's commitment; zero diagonal.
    gamma : array_like, shape (..., n, n)
        ``gamma[..., i, j]``: complementarity (> 0) or substitutability (< 0) of i's and j's
        commitments for i; zero diagonal.
    eta : array_like, shape (..., n)
        Curvature (cost) of own commitment, >= 0.
    const : array_like, shape (..., n), optional
        Each ally's payoff at zero commitment (default 0); it moves utilities, never
        equilibria.

    Examples
    --------
    The dyadic game is the case ``n = 2``, with the same equilibria and utilities:

    >>> from burden.security import CommitmentGame
    >>> dyad = CommitmentGame(pi=0.3, d=1.0, e=0.5, s=0.2, m=0.5, kappa=0.1, deterrence=1.0,
    ...                       spiral=0.05, k=0.2, realign=0.5)
    >>> game = MultilateralCommitmentGame.from_dyadic(dyad)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     game.equilibria().c.round(4)
    array([[0.    , 0.    ],
           [0.1321, 0.1321],
           [1.    , 1.    ]])
    """

    def __init__(
        self, alpha: ArrayLike, beta: ArrayLike, gamma: ArrayLike, eta: ArrayLike, const: ArrayLike = 0.0
    ) -> None:
        alpha = as_float_array(alpha, "alpha")
        eta = check_interval(as_float_array(eta, "eta"), "eta", 0.0, None, closed="left")
        const = as_float_array(const, "const")
        beta = as_float_array(beta, "beta")
        gamma = as_float_array(gamma, "gamma")
        # The number of allies comes from a matrix if there is one, else from alpha, eta or const.
        sizes = [x.shape[-1] for x in (beta, gamma) if x.ndim >= 2] + [
            x.shape[-1] for x in (alpha, eta, const) if x.ndim
        ]
        if not sizes:
            raise ValueError(
                "the number of allies is undefined: give `alpha`, `eta`, `beta` or `gamma` an ally axis"
            )
        n = sizes[0]
        for name, mat in (("beta", beta), ("gamma", gamma)):
            if mat.ndim >= 2:
                check_square(mat, name)
                if mat.shape[-1] != n:
                    raise ValueError(
                        f"`{name}` must have shape (..., {n}, {n}) to match `alpha`; got {mat.shape}"
                    )
                diag = np.diagonal(mat, axis1=-2, axis2=-1)
                if np.any(diag != 0):
                    raise ValueError(
                        f"`{name}` must have a zero diagonal (own terms belong in alpha and eta); "
                        f"{name}[..., i, i] = {diag[diag != 0].flat[0]!r}"
                    )
            elif mat.ndim:
                raise ValueError(f"`{name}` must be a scalar or have shape (..., n, n); got {mat.shape}")
        off = 1.0 - np.eye(n)
        # A scalar beta or gamma means the same value for every pair of distinct allies.
        beta = beta * off if beta.ndim == 0 else beta
        gamma = gamma * off if gamma.ndim == 0 else gamma
        named = {"alpha": alpha[..., None], "eta": eta[..., None], "const": const[..., None]}
        vecs = broadcast_named(named | {"beta": beta, "gamma": gamma})
        # owned, read-only copies: changing the caller's arrays later does not change the game
        owned = [np.array(x) for x in vecs]
        for x in owned:
            x.flags.writeable = False
        self.alpha, self.eta, self.const = (x[..., 0] for x in owned[:3])
        self.beta, self.gamma = owned[3], owned[4]

    @classmethod
    def from_dyadic(cls, game: CommitmentGame) -> MultilateralCommitmentGame:
        """The n = 2 game of a :class:`~burden.security.CommitmentGame` (same utilities)."""
        if not isinstance(game, CommitmentGame):
            raise TypeError(f"`game` must be a CommitmentGame; got {type(game).__name__}")
        rf = game.reduced_form()
        flip = np.array([[0.0, 1.0], [0.0, 0.0]])

        def matrix(x: NDArray) -> NDArray:  # (..., 2) -> (..., 2, 2) with x_i at [i, j != i]
            return x[..., 0, None, None] * flip + x[..., 1, None, None] * flip.T

        return cls(alpha=rf.alpha, beta=matrix(rf.beta), gamma=matrix(rf.gamma), eta=rf.eta, const=rf.const)

    @property
    def n(self) -> int:
        """Number of allies."""
        return self.alpha.shape[-1]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the scenario axes."""
        return self.alpha.shape[:-1]

    def __repr__(self) -> str:
        return f"MultilateralCommitmentGame(n={self.n}, batch_shape={self.batch_shape})"

    def lcp(self) -> tuple[NDArray, NDArray]:
        """The box LCP ``(M, q)`` on ``[0, 1]^n`` whose solutions are the equilibria."""
        return self.eta[..., None] * np.eye(self.n) - self.gamma, -self.alpha

    def _solve_lcp(self, solve, scale: NDArray, names: tuple[str, ...], workers: int) -> tuple[NDArray, ...]:
        """Fields ``names`` of ``solve(M, q)`` on each game's LCP divided by its payoff ``scale``.

        Dividing the rows of an LCP by a positive number does not change its solutions, and
        makes the problem's own tolerances relative to the payoffs. Chunks of games run in
        ``workers`` threads.
        """
        M, q = self.lcp()
        M, q = np.broadcast_arrays(M / scale[..., None, None], (q / scale[..., None])[..., None])
        parts = _in_chunks(solve, M, q[..., 0], workers_iv(workers))
        return tuple(_joined(parts, name, self.batch_shape) for name in names)

    def _scale(self) -> NDArray[np.float64]:
        """Payoff scale of each game: the largest ``|alpha_i|, |gamma_ij|, eta_i`` (1 if all are 0)."""
        scale = np.maximum(np.abs(self.alpha).max(axis=-1), self.eta.max(axis=-1))
        scale = np.maximum(scale, np.abs(self.gamma).max(axis=(-2, -1)))
        return np.where(scale > 0, scale, 1.0)

    def payoff(self, c: ArrayLike) -> NDArray[np.float64]:
        """Every ally's payoff at profiles ``c`` of shape ``(..., n)`` (broadcast with the batch).

        Examples
        --------
        >>> MultilateralCommitmentGame([1.0, 0.0], [[0, 2], [0, 0]], 0.0, 1.0).payoff([1.0, 1.0])
        array([ 2.5, -0.5])
        """
        c = check_interval(as_float_array(c, "c"), "c", 0.0, 1.0, closed="both")
        return self._payoff(c)

    def _payoff(self, c: NDArray, core: int = 0) -> NDArray:
        """``U`` at ``c`` of shape ``batch + (K,) * core + (n,)``."""
        pad = (None,) * core
        alpha, eta, const = (x[(..., *pad, slice(None))] for x in (self.alpha, self.eta, self.const))
        beta, gamma = (x[(..., *pad, slice(None), slice(None))] for x in (self.beta, self.gamma))
        others = np.einsum("...ij,...j->...i", beta, c)
        mixed = c * np.einsum("...ij,...j->...i", gamma, c)
        return const + alpha * c + others + mixed - eta * c**2 / 2

    def _gain(self, c: NDArray, core: int = 0) -> NDArray:
        """Largest gain of each ally from any deviation at ``c`` (concave ``U_i``; NaN rows give NaN)."""
        pad = (None,) * core
        alpha, eta = (x[(..., *pad, slice(None))] for x in (self.alpha, self.eta))
        gamma = self.gamma[(..., *pad, slice(None), slice(None))]
        g = alpha + np.einsum("...ij,...j->...i", gamma, c) - eta * c  # marginal utilities
        positive = eta > 0
        interior = np.clip(c + g / np.where(positive, eta, 1.0), 0.0, 1.0) - c
        step = np.where(positive, interior, np.where(g > 0, 1.0 - c, -c))
        return g * step - eta * step**2 / 2

    def best_response(self, ally: int, c: ArrayLike) -> NDArray[np.float64]:
        """Best commitment of ``ally`` when the others play ``c`` ``(..., n)``.

        ``c[..., ally]`` is ignored. With ``η_i = 0`` the response is bang-bang and NaN
        where the ally is indifferent.
        """
        ally = ally_iv(ally, self.n)
        c = check_interval(as_float_array(c, "c"), "c", 0.0, 1.0, closed="both")
        drive = self.alpha[..., ally] + np.einsum("...j,...j->...", self.gamma[..., ally, :], c)
        eta = self.eta[..., ally]
        positive = eta > 0
        interior = np.clip(drive / np.where(positive, eta, 1.0), 0.0, 1.0)
        return np.where(positive, interior, np.where(drive > 0, 1.0, np.where(drive < 0, 0.0, np.nan)))

    def equilibrium(
        self, *, tol: float = 1e-9, max_iter: int | None = None, workers: int = 1
    ) -> MultilateralEquilibrium:
        """One equilibrium per game by block principal pivoting (:func:`burden.lcp.solve`).

        Parameters
        ----------
        tol : float, optional
            Relative tolerance of the certificate, in (0, 0.01): an equilibrium is certified
            when no ally gains more than ``tol`` times the game's payoff scale (the largest
            ``|α_i|, |γ_ij|, η_i``) by any deviation.
        max_iter : int, optional
            Pivoting steps per game, as in :func:`burden.lcp.solve`.
        workers : int, optional
            Threads that solve chunks of games (SciPy's convention: default 1, ``-1`` one per
            CPU). Each game is solved on its own, so the answer does not depend on it.

        Warns
        -----
        NotPMatrixWarning
            From :func:`burden.lcp.solve`, where ``M`` is shown not to be a P-matrix.
        """
        tol = tol_iv(tol)
        scale = self._scale()
        solve_box = functools.partial(solve, lower=0.0, upper=1.0, max_iter=max_iter)
        sol_z, sol_status, p_matrix = self._solve_lcp(solve_box, scale, ("z", "status", "p_matrix"), workers)
        status = np.asarray(sol_status, dtype=status_dtype)
        c = np.where(status[..., None] >= 0, sol_z, np.nan)
        residual = self._gain(c).max(axis=-1, initial=-np.inf) / scale
        status = np.where((status >= 0) & ~(residual <= tol), Status.NOT_CERTIFIED, status).astype(
            status_dtype
        )
        return MultilateralEquilibrium(
            c=c, utility=self._payoff(c), unique=p_matrix, residual=residual, status=status
        )

    def equilibria(self, *, tol: float = 1e-9, max_n: int = 10, workers: int = 1) -> MultilateralEquilibria:
        """Every equilibrium of each game by complementary-basis enumeration (``n <= max_n``).

        ``tol`` (the relative tolerance of the certificate) and ``workers`` are as in
        :meth:`equilibrium`.

        Warns
        -----
        MultipleEquilibriaWarning
            Where some game has more than one equilibrium.
        """
        tol = tol_iv(tol)
        scale = self._scale()
        solve_box = functools.partial(enumerate_solutions, lower=0.0, upper=1.0, max_n=max_n)
        z, count, complete = self._solve_lcp(solve_box, scale, ("z", "count", "complete"), workers)
        if np.any(count > 1):
            warnings.warn(
                f"{int(np.sum(count > 1))} game(s) have several equilibria; all are listed in `c`",
                MultipleEquilibriaWarning,
                stacklevel=2,
            )
        gain = self._gain(z, core=1) / scale[..., None, None]
        certified = np.all(np.isnan(gain) | (gain <= tol), axis=(-2, -1))
        status = np.where(complete, Status.SUCCESS, Status.NOT_UNIQUE)
        status = np.where(certified & (count > 0), status, Status.NOT_CERTIFIED).astype(status_dtype)
        return MultilateralEquilibria(
            c=z, utility=self._payoff(z, core=1), count=count, complete=complete, status=status
        )
