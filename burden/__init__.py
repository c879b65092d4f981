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

__version__ = "0.1.0"

__all__ = [
    "BurdenWarning",
    "DegenerateGameWarning",
    "MultipleEquilibriaWarning",
    "NotPMatrixWarning",
    "__version__",
]
