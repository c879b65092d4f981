"""Finite games: batched Nash equilibria and ordinal classification (DESIGN §3.1).

* :func:`equilibria_2x2` — every equilibrium of 2×2 bimatrix games in closed form.
* :func:`support_enumeration` — every equilibrium of nondegenerate ``m×n`` games (m, n ≤ 8).
* :func:`pure_equilibria` — pure Nash equilibria of n-player games.
* :func:`classify_2x2` — ordinal type (Prisoner's Dilemma, Chicken, ...) of 2×2 games.

Payoff arrays put the games first and the actions last: ``A[..., r, c]`` is the row
player's payoff when row plays ``r`` and column plays ``c`` (``B`` likewise for the column
player). Results are frozen dataclasses (:class:`GameEquilibria`, :class:`GameClass`).

References: Nash (1951) for the equilibrium concept; von Stengel (2007) for support
enumeration; Rapoport & Guyer (1966) and Robinson & Goforth (2005) for the ordinal
taxonomy. Each module's docstring states its model.
"""

from burden.games._results import GameClass, GameEquilibria
from burden.games.bimatrix import equilibria_2x2
from burden.games.classify import classify_2x2
from burden.games.normal_form import pure_equilibria
from burden.games.support import support_enumeration

__all__ = [
    "GameClass",
    "GameEquilibria",
    "classify_2x2",
    "equilibria_2x2",
    "pure_equilibria",
    "support_enumeration",
]
