"""Estimation: rank tests of the Olson-Zeckhauser hypothesis, structural fits, spill-in regressions.

Formulas, conventions and worked examples: ``docs/estimation.md``.
"""

from burden.estimation._rank import RankTestResult, partial_correlation, rank_pvalue, rank_test, rank_test_by
from burden.estimation._spillin import SpillinResult, spillin_regression
from burden.estimation._structural import FitResult, FitSummary, VuongResult, fit, nash_vs_lindahl

__all__ = [
    "FitResult",
    "FitSummary",
    "RankTestResult",
    "SpillinResult",
    "VuongResult",
    "fit",
    "nash_vs_lindahl",
    "partial_correlation",
    "rank_pvalue",
    "rank_test",
    "rank_test_by",
    "spillin_regression",
]
