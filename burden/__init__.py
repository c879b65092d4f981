"""burden: the game theory of alliance burden sharing.

Olson & Zeckhauser's public-goods model of alliances and Snyder's alliance security
dilemma, as exact, batched solvers. See ``README.md`` and ``DESIGN.md`` for the models.
"""

from burden import games, lcp, security
from burden._warnings import (
    BurdenWarning,
    DegenerateGameWarning,
    MultipleEquilibriaWarning,
    NotPMatrixWarning,
)
from burden.games import (
    GameClass,
    GameEquilibria,
    classify_2x2,
    equilibria_2x2,
    pure_equilibria,
    support_enumeration,
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
from burden.security import (
    CommitmentEquilibria,
    CommitmentGame,
    MultilateralCommitmentGame,
    TradeOff,
    TrustCutoffs,
    tradeoff,
    trust_cutoffs,
    trust_threshold,
)

__version__ = "0.1.0"

__all__ = [
    "CES",
    "BurdenWarning",
    "CobbDouglas",
    "CommitmentEquilibria",
    "CommitmentGame",
    "DegenerateGameWarning",
    "FreeRiding",
    "GameClass",
    "GameEquilibria",
    "GroupSizeEffect",
    "LindahlOptimum",
    "MultilateralCommitmentGame",
    "MultipleEquilibriaWarning",
    "NashEquilibrium",
    "NotPMatrixWarning",
    "Preferences",
    "QuasiLinear",
    "StoneGeary",
    "TradeOff",
    "TrustCutoffs",
    "__version__",
    "classify_2x2",
    "equilibria_2x2",
    "free_riding",
    "games",
    "group_size_effect",
    "lcp",
    "lindahl",
    "nash",
    "pure_equilibria",
    "samuelson_residual",
    "security",
    "support_enumeration",
    "tradeoff",
    "trust_cutoffs",
    "trust_threshold",
]
