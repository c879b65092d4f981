r"""The n-ally commitment game: every ally's commitment on the batched LCP core.

DESIGN §3.3 generalises the dyadic game (:mod:`burden.security.commitment`) to ``n``
allies with quadratic payoffs on :math:`[0, 1]^n`:

.. math::

    U_i(c) = \alpha_i c_i + \sum_{j \ne i} \beta_{ij} c_j + \sum_{j \ne i} \gamma_{ij} c_i c_j
             - \tfrac12 \eta_i c_i^2 , \qquad \eta_i \ge 0 .

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
by :func:`burden.lcp.enumerate_solutions` (all of them, ``n <= 10``).

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
>>> eq.c.round(4), eq.unique
(array([0.3333, 0.1667, 0.    ]), array(True))
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden import lcp
from burden._results import Result, result_class
from burden._validation import as_float_array, broadcast_named, check_interval, check_square
from burden._warnings import MultipleEquilibriaWarning

__all__ = ["MultilateralCommitmentGame", "MultilateralEquilibria", "MultilateralEquilibrium"]


@result_class
class MultilateralEquilibrium(Result):
    """One equilibrium per game of an n-ally commitment game.

    Attributes
    ----------
    c : ndarray, shape (..., n)
        Commitments (NaN where ``status >= 2``).
    utility : ndarray, shape (..., n)
        Each ally's payoff at ``c``.
    unique : ndarray of bool, shape (...)
        True where ``M`` is proven a P-matrix, so ``c`` is the only equilibrium.
    status : ndarray of int, shape (...)
        :class:`burden.lcp.LCPSolution` status (0 solved, 1 solved but not unique, ≥ 2 failed).
    residual : ndarray, shape (...)
        Natural residual of the complementarity conditions at ``c``.
    """

    _core_dims = ("ally",)

    c: NDArray[np.float64]
    utility: NDArray[np.float64]
    unique: NDArray[np.bool_]
    status: NDArray[np.int_]
    residual: NDArray[np.float64]


@result_class
class MultilateralEquilibria(Result):
    """All equilibria of each game of an n-ally commitment game.

    Attributes
    ----------
    c : ndarray, shape (..., K, n)
        Equilibria, NaN-padded to ``K = max(count)``.
    utility : ndarray, shape (..., K, n)
        Payoffs at each equilibrium.
    count : ndarray of int, shape (...)
        Number of equilibria found.
    complete : ndarray of bool, shape (...)
        False where a singular block (an indifferent ally, ``η_i = 0``) may hide a continuum.
    """

    _core_dims = ("equilibrium", "ally")

    c: NDArray[np.float64]
    utility: NDArray[np.float64]
    count: NDArray[np.int_]
    complete: NDArray[np.bool_]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the scenario axes."""
        return self.count.shape


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

    Examples
    --------
    The dyadic game is the case ``n = 2``:

    >>> from burden.security import CommitmentGame
    >>> dyad = CommitmentGame(pi=0.3, d=1.0, e=0.5, s=0.2, m=0.5, kappa=0.1, D=1.0, h=0.05, k=0.2, rho=0.5)
    >>> game = MultilateralCommitmentGame.from_dyadic(dyad)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     game.equilibria().c.round(4)
    array([[0.    , 0.    ],
           [0.1321, 0.1321],
           [1.    , 1.    ]])
    """

    def __init__(self, alpha: ArrayLike, beta: ArrayLike, gamma: ArrayLike, eta: ArrayLike) -> None:
        alpha = as_float_array(alpha, "alpha")
        eta = check_interval(as_float_array(eta, "eta"), "eta", 0.0, None, closed="left")
        beta = as_float_array(beta, "beta")
        gamma = as_float_array(gamma, "gamma")
        # The number of allies comes from a matrix if there is one, else from alpha or eta.
        sizes = [x.shape[-1] for x in (beta, gamma) if x.ndim >= 2] + [
            x.shape[-1] for x in (alpha, eta) if x.ndim
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
        vecs = broadcast_named(
            {"alpha": alpha[..., None], "eta": eta[..., None], "beta": beta, "gamma": gamma}
        )
        self.alpha, self.eta = vecs[0][..., 0], vecs[1][..., 0]
        self.beta, self.gamma = vecs[2], vecs[3]

    @classmethod
    def from_dyadic(cls, game) -> MultilateralCommitmentGame:
        """The n = 2 game with the reduced form of a :class:`~burden.security.CommitmentGame`."""
        rf = game.reduced_form()
        flip = np.array([[0.0, 1.0], [0.0, 0.0]])

        def matrix(x: NDArray) -> NDArray:  # (..., 2) -> (..., 2, 2) with x_i at [i, j != i]
            return x[..., 0, None, None] * flip + x[..., 1, None, None] * flip.T

        return cls(alpha=rf.alpha, beta=matrix(rf.beta), gamma=matrix(rf.gamma), eta=rf.eta)

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

    def payoff(self, c: ArrayLike) -> NDArray[np.float64]:
        """Every ally's payoff at profiles ``c`` of shape ``(..., n)`` (broadcast with the batch).

        Examples
        --------
        >>> MultilateralCommitmentGame([1.0, 0.0], [[0, 2], [0, 0]], 0.0, 1.0).payoff([1.0, 1.0])
        array([ 2.5, -0.5])
        """
        c = check_interval(as_float_array(c, "c"), "c", 0.0, 1.0, closed="both")
        return self._payoff(c, self.alpha, self.beta, self.gamma, self.eta)

    @staticmethod
    def _payoff(c, alpha, beta, gamma, eta):
        """``U`` of DESIGN §3.3 at ``c`` ``(..., n)``."""
        others = np.einsum("...ij,...j->...i", beta, c)
        mixed = c * np.einsum("...ij,...j->...i", gamma, c)
        return alpha * c + others + mixed - eta * c**2 / 2

    def best_response(self, player: int, c: ArrayLike) -> NDArray[np.float64]:
        """Ally ``player``'s best commitment when the others play ``c`` ``(..., n)``.

        ``c[..., player]`` is ignored. With ``η_i = 0`` the response is bang-bang and NaN
        where the ally is indifferent.
        """
        if not (isinstance(player, int | np.integer) and 0 <= player < self.n):
            raise ValueError(f"`player` must be an ally index in [0, {self.n}); got {player!r}")
        c = check_interval(as_float_array(c, "c"), "c", 0.0, 1.0, closed="both")
        drive = self.alpha[..., player] + np.einsum("...j,...j->...", self.gamma[..., player, :], c)
        eta = self.eta[..., player]
        with np.errstate(divide="ignore", invalid="ignore"):
            interior = np.clip(drive / eta, 0.0, 1.0)
        return np.where(eta > 0, interior, np.where(drive > 0, 1.0, np.where(drive < 0, 0.0, np.nan)))

    def equilibrium(self, **kwargs) -> MultilateralEquilibrium:
        """One equilibrium per game by block principal pivoting (:func:`burden.lcp.solve`).

        Keyword arguments (``max_iter``, ``tol``) go to :func:`burden.lcp.solve`, which warns
        :class:`~burden.NotPMatrixWarning` where ``M`` is shown not to be a P-matrix.
        """
        M, q = self.lcp()
        sol = lcp.solve(M, q, lower=0.0, upper=1.0, **kwargs)
        return MultilateralEquilibrium(
            c=sol.z,
            utility=self._payoff(sol.z, self.alpha, self.beta, self.gamma, self.eta),
            unique=sol.p_matrix,
            status=sol.status,
            residual=sol.residual,
        )

    def equilibria(self, *, max_n: int = 10) -> MultilateralEquilibria:
        """Every equilibrium of each game by complementary-basis enumeration (``n <= max_n``).

        Warns
        -----
        MultipleEquilibriaWarning
            Where some game has more than one equilibrium.
        """
        M, q = self.lcp()
        sols = lcp.enumerate_solutions(M, q, lower=0.0, upper=1.0, max_n=max_n)
        if np.any(sols.count > 1):
            warnings.warn(
                f"{int(np.sum(sols.count > 1))} game(s) have several equilibria; all are listed in `c`",
                MultipleEquilibriaWarning,
                stacklevel=2,
            )
        # Parameters gain the equilibrium axis.
        utility = self._payoff(
            sols.z,
            self.alpha[..., None, :],
            self.beta[..., None, :, :],
            self.gamma[..., None, :, :],
            self.eta[..., None, :],
        )
        return MultilateralEquilibria(
            c=sols.z,
            utility=utility,
            count=sols.count,
            complete=sols.complete,
        )
