"""Sandler & Murdoch (2000), Table 9: prob-values from the printed coefficients (see README.md)."""

from __future__ import annotations

import numpy as np

from burden.reproduce import Evidence, available

NEEDS = ("pandas", "burden.data.load", "burden.estimation.rank_pvalue", "burden.estimation.rank_test_by")
N = 15
#: (label, coefficient, number of controls, printed p-value) as printed in Table 9
TABLE_9 = (
    ("1994, rho12", 0.19, 0, 0.49),
    ("1994, rho12.3", 0.21, 1, 0.46),
    ("1994, rho12.34", 0.13, 2, 0.68),
    ("1995, rho12", 0.14, 0, 0.61),
    ("1995, rho12.3", 0.16, 1, 0.58),
    ("1995, rho12.34", 0.07, 2, 0.82),
    ("1996-97, rho12", 0.11, 0, 0.69),
    ("1996-97, rho12.3", 0.13, 1, 0.66),
    ("1996-97, rho12.34", 0.04, 2, 0.89),
)


def _hansard_tests():
    from burden.data import load
    from burden.estimation import rank_test_by

    shares = load("nato_burden_parliament_1953_1994")
    shares = shares[shares["year"].between(1992, 1994)]
    gdp = load("nato_milex_gdp_1960_2022")[["country", "year", "gdp_usd"]]
    merged = shares.merge(gdp, on=["country", "year"], how="left", validate="one_to_one")
    return rank_test_by(merged, burden="value", size="gdp_usd", by="year")


def compute() -> dict[str, object]:
    """Table 9's prob-values from its coefficients; the Hansard 1992–94 shares tested the same way."""
    if not available(*NEEDS):
        return {}
    from burden.estimation import rank_pvalue

    rho = np.array([row[1] for row in TABLE_9])
    k = np.array([row[2] for row in TABLE_9])
    printed = np.array([row[3] for row in TABLE_9])
    two_sided = rank_pvalue(rho, N, k)
    one_sided = rank_pvalue(rho, N, k, alternative="greater")
    out: dict[str, object] = {
        f"p, {label} = {coefficient:.2f}": float(p)
        for (label, coefficient, _, _), p in zip(TABLE_9, two_sided, strict=True)
    }
    err_one, err_two = np.abs(one_sided - printed).max(), np.abs(two_sided - printed).max()
    out["the prob-values are one-sided (against a positive association)"] = Evidence(
        bool(err_one < err_two),
        f"max |printed - computed|: {err_two:.3f} two-sided, {err_one:.3f} one-sided; the printed values "
        "are the two-sided ones",
    )
    tests = _hansard_tests()
    text = ", ".join(
        f"{int(r.year)}: rho {r.statistic:.2f}, p {r.pvalue:.2f} (n {int(r.n)})" for r in tests.itertuples()
    )
    out["no significant size-burden association in the 1990s (Hansard 1992-94 shares)"] = Evidence(
        bool((tests["pvalue"] >= 0.05).all()), f"Spearman of Hansard shares on World Bank GDP: {text}"
    )
    return out
