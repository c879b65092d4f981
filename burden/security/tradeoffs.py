r"""Snyder's trade-off: commitment against abandonment, entrapment and leverage.

Snyder (1984, pp. 466–468) argues that an ally cannot reduce the risk of abandonment
without raising the risk of entrapment and giving up bargaining leverage. :func:`tradeoff`
traces this along one parameter of the dyadic commitment game
(:mod:`burden.security.commitment`, our formalisation): for every value it solves the whole
batch at once and returns every equilibrium's commitments, the two risks
(abandonment ``π_i (1 − c_j)``, entrapment ``π_j (1 + m_j c_i) c_i``), the bargaining
share ``κ_i (c_j − c_i)/2`` and the utilities.

References
----------
Snyder, G. H. (1984). The security dilemma in alliance politics. *World Politics* 36(4),
461–495.

Examples
--------
The more ally 1 depends on the alliance (``d`` of ally 1), the more it commits; its
partner's abandonment risk falls and its own entrapment risk rises, while the partner, now
assured, commits less (Snyder's "the more dependent ally is the less free to bargain"):

>>> import numpy as np
>>> from burden.security import CommitmentGame, tradeoff
>>> game = CommitmentGame(pi=0.4, d=1.0, e=0.6, s=0.3, m=0.5, kappa=0.2, k=0.8, rho=0.7)
>>> curve = tradeoff(game, vary="d", ally=0, values=[0.5, 1.0, 2.0, 4.0])
>>> curve.c[:, 0].round(3)
array([[0.   , 0.012],
       [0.01 , 0.01 ],
       [0.302, 0.   ],
       [0.88 , 0.   ]])
>>> curve.entrapment_risk[:, 0, 0].round(3)  # ally 1's
array([0.   , 0.004, 0.139, 0.507])
>>> curve.abandonment_risk[:, 0, 1].round(3)  # ally 2's
array([0.4  , 0.396, 0.279, 0.048])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from burden._results import Result, result_class
from burden._validation import as_float_array
from burden.security.commitment import _ALLY_PARAMS, CommitmentGame

__all__ = ["TradeOff", "tradeoff"]


@result_class
class TradeOff(Result):
    """Equilibria of a commitment game along one parameter.

    The batch shape is the game's batch shape followed by ``V = len(values)``; the fields
    are those of :class:`~burden.security.CommitmentEquilibria` (``K`` equilibria per value,
    NaN-padded, last axis ally 1, ally 2).

    Attributes
    ----------
    vary : str
        The parameter varied.
    ally : int or None
        The ally whose parameter was varied (None for ``rho``).
    values : ndarray, shape (V,)
        The values taken.
    c, abandonment_risk, entrapment_risk, bargaining_share, utility : ndarray, shape (..., V, K, 2)
    stable : ndarray of bool, shape (..., V, K)
    count : ndarray of int, shape (..., V)
    continuum : ndarray of bool, shape (..., V)
    """

    _core_dims = ("equilibrium", "ally")

    vary: str
    ally: int | None
    values: NDArray[np.float64]
    c: NDArray[np.float64]
    count: NDArray[np.int_]
    continuum: NDArray[np.bool_]
    stable: NDArray[np.bool_]
    abandonment_risk: NDArray[np.float64]
    entrapment_risk: NDArray[np.float64]
    bargaining_share: NDArray[np.float64]
    utility: NDArray[np.float64]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The game's batch shape followed by the number of values."""
        return self.count.shape


def tradeoff(
    game: CommitmentGame, vary: str = "d", ally: int | None = 0, values: ArrayLike = (), *, tol: float = 1e-9
) -> TradeOff:
    """Solve ``game`` for every value of one parameter, all in one batched call.

    Parameters
    ----------
    game : CommitmentGame
        The game (any batch shape).
    vary : str, optional
        The parameter to vary: one of ``pi, d, e, s, m, kappa, D, h, k`` (per ally) or
        ``rho`` (shared).
    ally : {0, 1}, optional
        The ally whose parameter varies (ignored, and reported as None, for ``rho``).
    values : array_like, shape (V,)
        Values of the parameter; validated as the constructor validates that parameter.
    tol : float, optional
        Passed to :meth:`CommitmentGame.equilibria`.

    Returns
    -------
    TradeOff
        Fields of shape ``game.batch_shape + (V, K, 2)`` and ``game.batch_shape + (V,)``.
    """
    if not isinstance(game, CommitmentGame):
        raise TypeError(f"`game` must be a CommitmentGame; got {type(game).__name__}")
    if vary not in (*_ALLY_PARAMS, "rho"):
        raise ValueError(f"`vary` must be one of {', '.join((*_ALLY_PARAMS, 'rho'))}; got {vary!r}")
    if vary == "rho":
        ally = None
    elif ally not in (0, 1):
        raise ValueError(f"`ally` must be 0 (ally 1) or 1 (ally 2); got {ally!r}")
    values = as_float_array(values, "values")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"`values` must be a non-empty 1-d array; got shape {values.shape}")
    n_values = values.size
    params = {}
    for name in _ALLY_PARAMS:
        arr = np.broadcast_to(getattr(game, name)[..., None, :], (*game.batch_shape, n_values, 2))
        if name == vary:
            arr = arr.copy()
            arr[..., ally] = values
        params[name] = arr
    rho = np.broadcast_to(game.rho[..., None], (*game.batch_shape, n_values))
    params["rho"] = np.broadcast_to(values, rho.shape) if vary == "rho" else rho
    eq = CommitmentGame(**params).equilibria(tol=tol)
    return TradeOff(
        vary=vary,
        ally=ally,
        values=values,
        c=eq.c,
        count=eq.count,
        continuum=eq.continuum,
        stable=eq.stable,
        abandonment_risk=eq.abandonment_risk,
        entrapment_risk=eq.entrapment_risk,
        bargaining_share=eq.bargaining_share,
        utility=eq.utility,
    )
