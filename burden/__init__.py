"""burden: the game theory of alliance burden sharing.

Olson & Zeckhauser's public-goods model of alliances and Snyder's alliance security
dilemma, as exact, batched solvers. See ``README.md`` and ``docs/`` for the models.
"""

import importlib

from burden import games, lcp, security, studies
from burden._status import Status, combine_status
from burden._warnings import (
    BurdenWarning,
    DegenerateGameWarning,
    MultipleEquilibriaWarning,
    NotNormalWarning,
    NotPMatrixWarning,
)
from burden.games import (
    GameClass,
    GameEquilibria,
    PureEquilibria,
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
from burden.studies import SobolIndices, StudyResult, sobol_indices, study

__version__ = "0.1.0"

# Imported on first access (PEP 562): the estimation layer loads scipy.stats and the data layer
# reads package files, which `import burden` need not pay for.
_LAZY_SUBPACKAGES = ("data", "estimation", "plots", "symbolic")


def __getattr__(name: str):
    if name in _LAZY_SUBPACKAGES:
        return importlib.import_module(f"burden.{name}")
    raise AttributeError(f"module 'burden' has no attribute {name!r}")


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
    "NotNormalWarning",
    "NotPMatrixWarning",
    "Optimum",
    "PledgedNash",
    "Preferences",
    "PureEquilibria",
    "QuasiLinear",
    "SobolIndices",
    "Status",
    "StoneGeary",
    "StudyResult",
    "TradeOff",
    "TrustCutoffs",
    "__version__",
    "bargain",
    "classify_2x2",
    "combine_status",
    "cost_sharing",
    "data",
    "equilibria_2x2",
    "estimation",
    "free_riding",
    "games",
    "group_size_effect",
    "joint_optimum",
    "lcp",
    "lindahl",
    "nash",
    "pledged_nash",
    "plots",
    "pure_equilibria",
    "samuelson_residual",
    "security",
    "sobol_indices",
    "studies",
    "study",
    "support_enumeration",
    "symbolic",
    "tradeoff",
    "trust_cutoffs",
    "trust_threshold",
]
