"""Olson–Zeckhauser public goods: Nash contributions, Pareto reference points, free riding."""

from burden.publicgoods.measures import FreeRiding, GroupSizeEffect, free_riding, group_size_effect
from burden.publicgoods.nash import NashEquilibrium, nash
from burden.publicgoods.optimum import LindahlOptimum, lindahl, samuelson_residual

__all__ = [
    "FreeRiding",
    "GroupSizeEffect",
    "LindahlOptimum",
    "NashEquilibrium",
    "free_riding",
    "group_size_effect",
    "lindahl",
    "nash",
    "samuelson_residual",
]
