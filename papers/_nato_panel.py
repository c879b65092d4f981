"""Yearly rank tests of burden against size on the shipped 1960–2022 NATO panel (shared by papers).

Iceland (no armed forces) is left out, as in the literature; p-values are two-sided
(Spearman: t-approximation with ``df = n - 2``; Kendall: the normal approximation).
"""

from __future__ import annotations

import functools

#: what the panel reproductions need
NEEDS = ("pandas", "burden.data.load", "burden.estimation.rank_test_by")
PANEL = "nato_milex_gdp_1960_2022"


@functools.cache
def yearly_tests():
    """One row per year and method: ``year, method, statistic, pvalue, n``."""
    import pandas as pd
    from burden.data import load
    from burden.estimation import rank_test_by

    panel = load(PANEL)
    allies = panel[panel["iso3"] != "ISL"]
    tables = [
        rank_test_by(allies, burden="burden", size="gdp_usd", by="year", method=method)
        for method in ("spearman", "kendall")
    ]
    columns = ["year", "method", "statistic", "pvalue", "n"]
    return pd.concat(tables, ignore_index=True)[columns]


def significant_years(method: str, first: int, last: int, level: float = 0.05) -> list[int]:
    """Years in ``[first, last]`` with a positive statistic significant at ``level``."""
    table = yearly_tests()
    rows = table[(table["method"] == method) & table["year"].between(first, last)]
    hits = rows[(rows["statistic"] > 0) & (rows["pvalue"] < level)]
    return [int(year) for year in hits["year"]]


def plot_yearly(directory, name: str):
    """Save the yearly Spearman statistic with its band as ``<name>_rank_by_year.png``."""
    from burden import plots

    table = yearly_tests()
    spearman = table[table["method"] == "spearman"]
    ax = plots.rank_statistic_by_year(
        spearman["year"], spearman["statistic"], spearman["n"], pvalue=spearman["pvalue"],
        title="NATO 1960-2022 (DERIVED panel): Spearman rank correlation of burden with GDP",
    )  # fmt: skip
    return [plots.save(ax, directory / f"{name}_rank_by_year.png")]
