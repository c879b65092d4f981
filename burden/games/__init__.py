"""Finite games: batched Nash equilibria and ordinal classification.

* :func:`equilibria_2x2` — every equilibrium of 2×2 bimatrix games in closed form.
* :func:`support_enumeration` — every equilibrium of nondegenerate ``m×n`` games (m, n ≤ 8).
* :func:`pure_equilibria` — pure Nash equilibria of n-player games.
* :func:`classify_2x2` — ordinal type (Prisoner's Dilemma, Chicken, ...) of 2×2 games.

Payoff arrays put the games first and the actions last: ``A[..., r, c]`` is the row
player's payoff when row plays ``r`` and column plays ``c`` (``B`` likewise for the column
player). Results (:class:`GameEquilibria`, :class:`GameClass`, :class:`PureEquilibria`)
carry a per-game ``status``. The models, algorithms, tolerances and references are in
``docs/games.md``.
"""

from burden.games._results import GameClass, GameEquilibria, PureEquilibria
from burden.games.bimatrix import equilibria_2x2
from burden.games.classify import classify_2x2
from burden.games.normal_form import pure_equilibria
from burden.games.support import support_enumeration

__all__ = [
    "GameClass",
    "GameEquilibria",
    "PureEquilibria",
    "classify_2x2",
    "equilibria_2x2",
    "pure_equilibria",
    "support_enumeration",
]
