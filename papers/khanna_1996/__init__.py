"""Khanna & Sandler (1996): the end of exploitation around 1967, against the 1960–2022 panel.

See README.md; the yearly tests are shared with ``oneal_1990``.
"""

from __future__ import annotations

from burden.papers import _nato_panel as panel

from burden.reproduce import Evidence, available

NEEDS = panel.NEEDS


def _count(method: str) -> str:
    hits = panel.significant_years(method, 1960, 1966)
    return f"{method} {len(hits)}/7"


def compute() -> dict[str, Evidence]:
    """Verdict evidence from the yearly Spearman and Kendall tests."""
    if not available(*NEEDS):
        return {}
    early = {m: panel.significant_years(m, 1960, 1966) for m in ("spearman", "kendall")}
    late = {m: panel.significant_years(m, 1968, 2022) for m in ("spearman", "kendall")}
    last = {m: max(panel.significant_years(m, 1960, 2022), default=None) for m in ("spearman", "kendall")}
    table = panel.yearly_tests()
    spearman = table[table["method"] == "spearman"].set_index("year")["statistic"]
    return {
        **{
            f"Spearman rho(GDP, burden) {year}, DERIVED panel": float(spearman[year])
            for year in (1960, 1964, 1967, 1968)
        },
        "positive size-burden association before 1967 (most years 1960-1966 significant at 5 %)": Evidence(
            all(len(years) > 7 / 2 for years in early.values()),
            "years 1960-1966 with a significant positive statistic: "
            f"{_count('spearman')}, {_count('kendall')}",
        ),
        "the association ended around 1967 (last significant year 1965-1969, none later)": Evidence(
            all(year is not None and 1965 <= year <= 1969 for year in last.values())
            and not any(late.values()),
            f"last significant year: spearman {last['spearman']}, kendall {last['kendall']}; "
            f"significant years 1968-2022: spearman {len(late['spearman'])}, kendall {len(late['kendall'])}",
        ),
    }


def plots(directory):
    """The yearly Spearman statistic, 1960–2022, with its confidence band."""
    return panel.plot_yearly(directory, "khanna_1996")
