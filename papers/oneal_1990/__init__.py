"""Oneal (1990): the weakening of the size–burden association, against the 1960–2022 panel.

See README.md; the yearly tests are shared with ``khanna_1996``.
"""

from __future__ import annotations

from burden.papers import _nato_panel as panel

from burden.reproduce import Evidence, available

NEEDS = panel.NEEDS


def compute() -> dict[str, Evidence]:
    """Mean yearly statistics before and after the change, and significant years."""
    if not available(*NEEDS):
        return {}
    table = panel.yearly_tests()
    holds, parts = True, []
    for method in ("spearman", "kendall"):
        rows = table[table["method"] == method]
        early = float(rows[rows["year"].between(1960, 1966)]["statistic"].mean())
        later = float(rows[rows["year"].between(1970, 1989)]["statistic"].mean())
        significant = len(panel.significant_years(method, 1970, 1989))
        holds &= early > later and significant == 0
        parts.append(
            f"{method}: mean {early:.2f} in 1960-66, {later:.2f} in 1970-89 ({significant} significant)"
        )
    return {
        "the association was strong in the 1960s and weaker in 1970-1989": Evidence(holds, "; ".join(parts))
    }


def plots(directory):
    """The yearly Spearman statistic, 1960–2022, with its confidence band."""
    return panel.plot_yearly(directory, "oneal_1990")
