"""Olson–Zeckhauser public goods: Nash contributions, Pareto reference points, free riding,
and Sandler's impure public goods (spill-ins, joint products)."""

from burden.publicgoods.impure import ImpureFreeRiding, JointOptimum, impure_free_riding, joint_optimum
from burden.publicgoods.joint_products import JointProduct
from burden.publicgoods.measures import FreeRiding, GroupSizeEffect, free_riding, group_size_effect
from burden.publicgoods.nash import NashEquilibrium, nash
from burden.publicgoods.optimum import LindahlOptimum, lindahl, samuelson_residual
from burden.publicgoods.spillover import SpilloverEquilibrium

__all__ = [
    "FreeRiding",
    "GroupSizeEffect",
    "ImpureFreeRiding",
    "JointOptimum",
    "JointProduct",
    "LindahlOptimum",
    "NashEquilibrium",
    "SpilloverEquilibrium",
    "free_riding",
    "group_size_effect",
    "impure_free_riding",
    "joint_optimum",
    "lindahl",
    "nash",
    "samuelson_residual",
]
