r"""Snyder's trade-off: commitment against abandonment, entrapment and leverage.

Snyder (1984, pp. 466–468) argues that an ally cannot reduce the risk of abandonment
without raising the risk of entrapment and giving up bargaining leverage. :func:`tradeoff`
traces this along one parameter of the dyadic commitment game
(:mod:`burden.security.commitment`, our formalisation): for every value it solves the whole
batch at once and returns every equilibrium's commitments, the two risks
(abandonment ``π_i (1 − c_j)``, entrapment ``π_j (1 + m_j c_i) c_i``), the bargaining
share ``κ_i (c_j − c_i)/2`` and the utilities, arranged as continuous equilibrium
**branches** (:class:`~burden.security.TradeOff`): plotting ``values`` against
``c[:, b, i]`` draws branch ``b`` as one curve, NaN where it does not exist.

References
----------
Snyder, G. H. (1984). The security dilemma in alliance politics. *World Politics* 36(4),
461–495.

Examples
--------
The more ally 1 depends on the alliance (``d`` of ally 1), the more it commits; its
partner's abandonment risk falls and its own entrapment risk rises, while the partner, now
assured, commits less (Snyder's "the more dependent ally is the less free to bargain").
One equilibrium at every value here, so there is one branch:

>>> import numpy as np
>>> from burden.security import CommitmentGame, tradeoff
>>> game = CommitmentGame(pi=0.4, d=1.0, e=0.6, s=0.3, m=0.5, kappa=0.2, k=0.8, realign=0.7)
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

from burden._validation import as_float_array
from burden.security._input import ally_iv
from burden.security._results import TradeOff
from burden.security.commitment import ALLY_PARAMS, CommitmentGame

__all__ = ["TradeOff", "tradeoff"]

_VARY = (*ALLY_PARAMS, "realign")


def tradeoff(
    game: CommitmentGame,
    vary: str = "d",
    ally: int | None = 0,
    values: ArrayLike = (),
    *,
    tol: float = 1e-9,
    workers: int = 1,
) -> TradeOff:
    """Solve ``game`` for every value of one parameter, as continuous equilibrium branches.

    Parameters
    ----------
    game : CommitmentGame
        The game (any batch shape).
    vary : str, optional
        The parameter to vary: one of ``pi, d, e, s, m, kappa, deterrence, spiral, k`` (per
        ally) or ``realign`` (shared).
    ally : {0, 1}, optional
        The ally whose parameter varies (ignored, and reported as None, for ``realign``).
    values : array_like, shape (V,)
        Values of the parameter, in the order the branches follow (usually ascending);
        validated as the constructor validates that parameter.
    tol : float, optional
        Relative tolerance, as in :meth:`CommitmentGame.equilibria`.
    workers : int, optional
        Threads of the compiled kernel, as in :meth:`CommitmentGame.equilibria`.

    Returns
    -------
    TradeOff
        Fields of shape ``game.batch_shape + (V, B, 2)`` (``B`` branches) and
        ``game.batch_shape + (V,)``; see its docstring for how branches are followed.

    Notes
    -----
    Branches are followed between consecutive values, so the grid must resolve the
    bifurcations: if equilibria appear and vanish again between two consecutive values, a
    branch may join two different equilibria. Refine ``values`` where ``count`` changes.

    Examples
    --------
    As ally 1's entrapment cost grows, a low and a middle equilibrium appear (a fold), then
    the high and the middle one meet and vanish; the low branch goes on throughout:

    >>> from burden.security import CommitmentGame, tradeoff
    >>> game = CommitmentGame(pi=0.5, d=1.0, e=0.6, k=0.5, realign=0.2, deterrence=1.2)
    >>> curve = tradeoff(game, vary="e", ally=0, values=[0.0, 0.5, 1.0, 1.5, 2.0])
    >>> curve.count
    array([1, 3, 3, 3, 1], dtype=int8)
    >>> curve.c[:, :, 0].round(3)  # ally 1's commitment on each branch
    array([[1.   ,   nan,   nan],
           [1.   , 0.   , 0.307],
           [1.   , 0.   , 0.438],
           [0.9  , 0.   , 0.568],
           [  nan, 0.   ,   nan]])
    """
    if not isinstance(game, CommitmentGame):
        raise TypeError(f"`game` must be a CommitmentGame; got {type(game).__name__}")
    if vary not in _VARY:
        raise ValueError(f"`vary` must be one of {', '.join(_VARY)}; got {vary!r}")
    ally = None if vary == "realign" else ally_iv(ally, 2)
    values = as_float_array(values, "values")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"`values` must be a non-empty 1-d array; got shape {values.shape}")
    batch, n_values = game.batch_shape, values.size
    params: dict[str, NDArray] = {name: getattr(game, name)[..., None, :] for name in ALLY_PARAMS}
    realign = values if vary == "realign" else game.realign[..., None]
    if vary != "realign":
        varied = np.broadcast_to(params[vary], (*batch, n_values, 2)).copy()
        varied[..., ally] = values
        params[vary] = varied
    eq = CommitmentGame(**params, realign=realign).equilibria(tol=tol, workers=workers)

    # Follow the branches game by game, then move every per-slot field onto its branch.
    k = eq.c.shape[-2]
    c = np.ascontiguousarray(eq.c.reshape(-1, n_values, k, 2))
    count = eq.count.reshape(-1, n_values)
    branch = np.empty(count.shape + (k,), dtype=np.int64)
    from burden.security._kernel import follow_branches  # numba on first use

    n_branches = follow_branches(c, count, branch)
    width = int(n_branches.max(initial=0))
    game_index, value_index, slot = np.nonzero(np.arange(k) < count[..., None])
    target = (game_index, value_index, branch[game_index, value_index, slot])

    def on_branches(field: NDArray, fill: float | bool) -> NDArray:
        flat = field.reshape(-1, n_values, k, *field.shape[len(batch) + 2 :])
        out = np.full((flat.shape[0], n_values, width, *flat.shape[3:]), fill, dtype=field.dtype)
        out[target] = flat[game_index, value_index, slot]
        return out.reshape(*batch, n_values, width, *flat.shape[3:])

    names = ("c", "abandonment_risk", "entrapment_risk", "bargaining_share", "utility")
    return TradeOff(
        vary=vary,
        ally=ally,
        values=values,
        count=eq.count,
        continuum=eq.continuum,
        stable=on_branches(eq.stable, False),
        status=eq.status,
        **{name: on_branches(getattr(eq, name), np.nan) for name in names},
    )
