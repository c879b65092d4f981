"""Estimation: rank tests of the Olson-Zeckhauser hypothesis, structural fits, spill-in regressions.

Formulas, conventions and worked examples: ``docs/estimation.md``.
"""

from burden.estimation._rank import RankTestResult, partial_correlation, rank_pvalue, rank_test, rank_test_by

__all__ = ["RankTestResult", "partial_correlation", "rank_pvalue", "rank_test", "rank_test_by"]
