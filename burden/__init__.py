"""burden: the game theory of alliance burden sharing.

Olson & Zeckhauser's public-goods model of alliances and Snyder's alliance security
dilemma, as exact, batched solvers. See ``README.md`` and ``DESIGN.md`` for the models.
"""

from burden._warnings import (
    BurdenWarning,
    DegenerateGameWarning,
    MultipleEquilibriaWarning,
    NotPMatrixWarning,
)

from burden.preferences import CES, CobbDouglas, Preferences, QuasiLinear, StoneGeary
from burden.publicgoods import (
    FreeRiding,
    GroupSizeEffect,
    LindahlOptimum,
    NashEquilibrium,
    free_riding,
    group_size_effect,
    lindahl,
    nash,
    samuelson_residual,
)

__version__ = "0.1.0"

__all__ = [
    "CES",
    "CobbDouglas",
    "FreeRiding",
    "GroupSizeEffect",
    "LindahlOptimum",
    "NashEquilibrium",
    "Preferences",
    "QuasiLinear",
    "StoneGeary",
    "free_riding",
    "group_size_effect",
    "lindahl",
    "nash",
    "samuelson_residual",
    "BurdenWarning",
    "DegenerateGameWarning",
    "MultipleEquilibriaWarning",
    "NotPMatrixWarning",
    "__version__",
]
