"""Kydd (2005): trust thresholds and cutoff equilibria (derived rows; see README.md).

>>> sorted(compute())[0]
'lower cutoff, t~U[0,2], c=0.1'
"""

from __future__ import annotations

from scipy import stats

import burden as bd


def compute() -> dict[str, float]:
    """Our threshold and cutoffs for the reference rows."""
    uniform = stats.uniform(0, 2)
    two = bd.trust_cutoffs(0.1, uniform)
    return {
        "trust threshold, c=0.5, t=0.6": float(bd.trust_threshold(0.5, 0.6)),
        "lower cutoff, t~U[0,2], c=0.1": float(two.cutoffs[0]),
        "upper cutoff, t~U[0,2], c=0.1": float(two.cutoffs[1]),
        "number of cutoffs, t~U[0,2], c=0.5": int(bd.trust_cutoffs(0.5, uniform).count),
    }
