"""burden: the game theory of alliance burden sharing.

Olson & Zeckhauser's public-goods model of alliances and Snyder's alliance security
dilemma, as exact, batched solvers. See ``README.md`` and ``docs/`` for the models.
"""

from burden import games, lcp, plots, security
from burden._status import Status, combine_status
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
    ImpureFreeRiding,
    JointOptimum,
    JointProduct,
    LindahlOptimum,
    NashEquilibrium,
    SpilloverEquilibrium,
    free_riding,
    group_size_effect,
    impure_free_riding,
    joint_optimum,
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
    "ImpureFreeRiding",
    "JointOptimum",
    "JointProduct",
    "LindahlOptimum",
    "MultilateralCommitmentGame",
    "MultipleEquilibriaWarning",
    "NashEquilibrium",
    "NotPMatrixWarning",
    "Preferences",
    "QuasiLinear",
    "SpilloverEquilibrium",
    "Status",
    "StoneGeary",
    "TradeOff",
    "TrustCutoffs",
    "__version__",
    "classify_2x2",
    "combine_status",
    "equilibria_2x2",
    "free_riding",
    "games",
    "group_size_effect",
    "impure_free_riding",
    "joint_optimum",
    "lcp",
    "lindahl",
    "nash",
    "plots",
    "pure_equilibria",
    "samuelson_residual",
    "security",
    "support_enumeration",
    "tradeoff",
    "trust_cutoffs",
    "trust_threshold",
]
