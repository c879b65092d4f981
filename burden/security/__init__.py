"""Snyder's alliance security dilemma and Kydd's trust game (``docs/security.md``).

* :mod:`burden.security.commitment` — the dyadic commitment game (our formalisation of
  Snyder 1984): every equilibrium, exactly and batched, and its strong/weak 2×2 reduction.
* :mod:`burden.security.tradeoffs` — commitment versus abandonment, entrapment and leverage
  along a parameter, as continuous equilibrium branches.
* :mod:`burden.security.multilateral` — the n-ally commitment game on the batched LCP core.
* :mod:`burden.security.trust` — Kydd's (2005) trust thresholds and cutoff equilibria.
"""

from burden.security._results import (
    CommitmentEquilibria,
    CommitmentMatrixGame,
    MultilateralEquilibria,
    MultilateralEquilibrium,
    ReducedForm,
    TradeOff,
    TrustCutoffs,
)
from burden.security.commitment import CommitmentGame
from burden.security.multilateral import MultilateralCommitmentGame
from burden.security.tradeoffs import tradeoff
from burden.security.trust import trust_cutoffs, trust_threshold

__all__ = [
    "CommitmentEquilibria",
    "CommitmentGame",
    "CommitmentMatrixGame",
    "MultilateralCommitmentGame",
    "MultilateralEquilibria",
    "MultilateralEquilibrium",
    "ReducedForm",
    "TradeOff",
    "TrustCutoffs",
    "tradeoff",
    "trust_cutoffs",
    "trust_threshold",
]
