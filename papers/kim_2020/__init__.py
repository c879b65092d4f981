"""Kim & Sandler (2020): the exploitation verdict against NATO's 2019 release (see README.md)."""

from __future__ import annotations

from burden.reproduce import Evidence, available

NEEDS = ("pandas", "burden.data.load", "burden.estimation.rank_test_by")


def compute() -> dict[str, Evidence]:
    """Yearly one-sided Spearman and Kendall tests, 2012–2017."""
    if not available(*NEEDS):
        return {}
    from burden.data import load
    from burden.estimation import rank_test_by

    release = load("nato_defexp_2012_2019")
    allies = release[(release["iso3"] != "ISL") & release["year"].between(2012, 2017)]
    holds, parts = True, []
    for method in ("spearman", "kendall"):
        table = rank_test_by(
            allies, burden="defexp_pct_real_gdp", size="real_gdp_usd_2015_bn", method=method,
            alternative="greater",
        )  # fmt: skip
        significant = int((table["pvalue"] < 0.05).sum())
        holds &= significant > len(table) / 2
        parts.append(
            f"{method} {table['statistic'].min():.2f} to {table['statistic'].max():.2f}, one-sided p "
            f"{table['pvalue'].min():.2f} to {table['pvalue'].max():.2f}, "
            f"significant in {significant}/{len(table)}"
        )
    return {
        "exploitation 2011-2017: burden rises significantly with GDP (5 %, most years)": Evidence(
            holds, "NATO 2019 release, 2012-2017: " + "; ".join(parts)
        )
    }
