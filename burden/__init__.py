"""burden: the game theory of alliance burden sharing.

Olson & Zeckhauser's public-goods model of alliances and Snyder's alliance security
dilemma, as exact, batched solvers. See ``README.md`` and ``docs/`` for the models.
"""

from burden import games, lcp, security
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
from burden.preferences import CES, CobbDouglas, JointProduct, Preferences, QuasiLinear, StoneGeary
from burden.publicgoods import (
    Bargain,
    CostSharing,
    FreeRiding,
    GroupSizeEffect,
    JointOptimum,
    LindahlOptimum,
    NashEquilibrium,
    Optimum,
    PledgedNash,
    bargain,
    cost_sharing,
    free_riding,
    group_size_effect,
    joint_optimum,
    lindahl,
    nash,
    pledged_nash,
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
    "Bargain",
    "BurdenWarning",
    "CobbDouglas",
    "CommitmentEquilibria",
    "CommitmentGame",
    "CostSharing",
    "DegenerateGameWarning",
    "FreeRiding",
    "GameClass",
    "GameEquilibria",
    "GroupSizeEffect",
    "JointOptimum",
    "JointProduct",
    "LindahlOptimum",
    "MultilateralCommitmentGame",
    "MultipleEquilibriaWarning",
    "NashEquilibrium",
    "NotPMatrixWarning",
    "Optimum",
    "PledgedNash",
    "Preferences",
    "QuasiLinear",
    "Status",
    "StoneGeary",
    "TradeOff",
    "TrustCutoffs",
    "__version__",
    "bargain",
    "classify_2x2",
    "combine_status",
    "cost_sharing",
    "equilibria_2x2",
    "free_riding",
    "games",
    "group_size_effect",
    "joint_optimum",
    "lcp",
    "lindahl",
    "nash",
    "pledged_nash",
    "pure_equilibria",
    "samuelson_residual",
    "security",
    "support_enumeration",
    "tradeoff",
    "trust_cutoffs",
    "trust_threshold",
]
