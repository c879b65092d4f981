"""Olson–Zeckhauser public goods: Nash contributions, Pareto reference points, free riding,
and Sandler's impure public goods (``docs/publicgoods.md``, ``docs/impure.md``)."""

from burden.preferences import JointProduct
from burden.publicgoods.bargaining import Bargain, bargain
from burden.publicgoods.impure import joint_optimum
from burden.publicgoods.measures import free_riding, group_size_effect
from burden.publicgoods.nash import nash
from burden.publicgoods.optimum import lindahl, samuelson_residual
from burden.publicgoods.pledges import PledgedNash, pledged_nash
from burden.publicgoods.results import (
    FreeRiding,
    GroupSizeEffect,
    JointOptimum,
    LindahlOptimum,
    NashEquilibrium,
    Optimum,
)
from burden.publicgoods.sharing import CostSharing, cost_sharing

__all__ = [
    "Bargain",
    "CostSharing",
    "FreeRiding",
    "GroupSizeEffect",
    "JointOptimum",
    "JointProduct",
    "LindahlOptimum",
    "NashEquilibrium",
    "Optimum",
    "PledgedNash",
    "bargain",
    "cost_sharing",
    "free_riding",
    "group_size_effect",
    "joint_optimum",
    "lindahl",
    "nash",
    "pledged_nash",
    "samuelson_residual",
]
