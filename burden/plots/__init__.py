"""Figures of the models and the data (extra ``plot``: matplotlib, imported only when drawing).

Every function draws on ``ax`` (a new figure when None) and returns the Axes; ``ax.figure``
is the Figure. :func:`save` writes a figure and closes it. ``burden plot KIND ... -o FILE``
draws the same figures from the command line; ``docs/howto/plot.md`` shows each one.
"""

from burden.plots._data import burden_vs_size, rank_statistic_by_year
from burden.plots._publicgoods import free_riding_gap, reaction_curves
from burden.plots._security import commitment_best_responses, tradeoff_branches, tradeoff_curves
from burden.plots._study import study_heatmap
from burden.plots._util import save

__all__ = [
    "burden_vs_size",
    "commitment_best_responses",
    "free_riding_gap",
    "rank_statistic_by_year",
    "reaction_curves",
    "save",
    "study_heatmap",
    "tradeoff_branches",
    "tradeoff_curves",
]
