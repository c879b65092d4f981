"""Olson & Zeckhauser (1966): worked examples, the 1964 rank test, calibrated suboptimality.

The rank test runs on a DERIVED reconstruction of 1964, never presented as O&Z's Table 1
(see README.md).

>>> compute()["Nash G, w=(100,80), a=1/2"]
60.0
"""

from __future__ import annotations

import numpy as np

import burden as bd
from burden.reproduce import Evidence, Needs, available

NEEDS = ("pandas", "burden.data.load", "burden.estimation.rank_test")
_TABLE = "nato_1964_reconstructed_pwt_nmc"


def _worked_examples() -> dict[str, float]:
    half = bd.CobbDouglas(0.5)
    interior = bd.nash([100.0, 80.0], half)
    optimum = bd.lindahl([100.0, 80.0], half)
    return {
        "Nash g1, w=(100,80), a=1/2": float(interior.g[0]),
        "Nash g2, w=(100,80), a=1/2": float(interior.g[1]),
        "Nash G, w=(100,80), a=1/2": float(interior.G),
        "Nash g2, w=(100,40) (the small ally free-rides)": float(bd.nash([100.0, 40.0], half).g[1]),
        "Lindahl G, w=(100,80)": float(optimum.G),
        "Lindahl share of ally 1": float(optimum.tau[0]),
        "G_N/G_L, 10 identical allies": float(bd.group_size_effect(1.0, half, n_max=10).ratio[-1]),
    }


def allies_1964():
    """The 1964 reconstruction without Iceland (no armed forces): GDP, spending, burden."""
    from burden.data import load

    table = load(_TABLE)
    return table[table["iso3"] != "ISL"].reset_index(drop=True)


def _data_rows() -> dict[str, object]:
    from burden.estimation import rank_test

    allies = allies_1964()
    w = allies["gdp_nominal_usd_mn"].to_numpy(float)
    g = allies["milex_usd_mn"].to_numpy(float)
    test = rank_test(allies["burden_pct"].to_numpy(float), w, alternative="greater")
    rho, p = float(test.statistic), float(test.pvalue)

    # Shares that make the observed spending a Nash equilibrium: g_i = a_i w_i - (1 - a_i) G_-i.
    total = g.sum()
    prefs = bd.CobbDouglas(total / (w + total - g))
    nash = bd.nash(w, prefs)
    gap = bd.free_riding(w, prefs)
    optimum = bd.lindahl(w, prefs)
    largest = int(np.argmax(w))
    nash_share, lindahl_share = g[largest] / total, float(optimum.tau[largest])
    country = allies["iso3"][largest]
    return {
        "Spearman rho(GDP, burden), 1964 reconstruction (DERIVED data), 14 allies": rho,
        "large allies bear larger burdens (positive rank correlation, 5 %)": Evidence(
            rho > 0 and p < 0.05,
            f"on the DERIVED 1964 reconstruction (not O&Z's data): Spearman {rho:.2f}, "
            f"one-sided p = {p:.3f}, n = {test.n}",
        ),
        "calibrated Cobb-Douglas Nash reproduces 1964 spending (max error / total)": float(
            np.abs(nash.g - g).max() / total
        ),
        "suboptimality: Nash provision below the Pareto (Lindahl) optimum": Evidence(
            bool(gap.ratio < 1),
            f"calibrated Cobb-Douglas: G_Nash/G_Lindahl = {float(gap.ratio):.2f}",
        ),
        "disproportionality: the largest ally pays more than its Lindahl share": Evidence(
            nash_share > lindahl_share,
            f"{country} pays {nash_share:.2f} of the total at Nash, {lindahl_share:.2f} under Lindahl "
            f"shares (exploitation index {float(gap.exploitation[largest]):.2f})",
        ),
    }


def compute() -> dict[str, object]:
    """Worked examples always; the data rows when ``burden.data`` and ``burden.estimation`` exist."""
    out: dict[str, object] = _worked_examples()
    out["Spearman rho(GNP, burden), O&Z Table 1 data"] = Needs(
        "O&Z's own 1964 Table 1 data, which we do not have (the shipped 1964 table is a DERIVED "
        "reconstruction and gives a different number)"
    )
    if available(*NEEDS):
        out.update(_data_rows())
    return out


def plots(directory):
    """Burden against size on the 1964 reconstruction, with the rank statistic."""
    from burden import plots

    allies = allies_1964()
    ax = plots.burden_vs_size(
        allies["gdp_nominal_usd_mn"],
        allies["burden_pct"],
        labels=allies["iso3"],
        xlabel="GDP 1964, million US$ (PWT 9.1)",
        ylabel="military spending, % of GDP (COW)",
        title="NATO 1964, DERIVED reconstruction (not O&Z's Table 1)",
    )
    return [plots.save(ax, directory / "olson_1966_burden_vs_size.png")]
