"""Warning classes of `burden`.

Every warning the package emits derives from :class:`BurdenWarning`, so users (and the
test-suite, which turns them into errors) can filter them in one place.
"""

__all__ = [
    "BurdenWarning",
    "DegenerateGameWarning",
    "MultipleEquilibriaWarning",
    "NotNormalWarning",
    "NotPMatrixWarning",
]


class BurdenWarning(UserWarning):
    """Base class of the warnings `burden` emits for valid but suspicious input."""


class MultipleEquilibriaWarning(BurdenWarning):
    """The answer is one of several equilibria (ties, continua); the result says which."""


class DegenerateGameWarning(BurdenWarning):
    """A finite game is degenerate (payoff ties); equilibria may form continua."""


class NotPMatrixWarning(BurdenWarning):
    """An LCP matrix is not a P-matrix: solutions may be absent or non-unique."""


class NotNormalWarning(BurdenWarning):
    """Preferences violate normality somewhere on the checked domain.

    The Nash equilibrium may then not be unique.
    """
