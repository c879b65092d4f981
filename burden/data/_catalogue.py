"""What each shipped table is: title, licence, caveat, derived flag and column schema.

The source of each table is not repeated here: it is the table file's own first line (``# ...``),
read at run time, so the provenance travels with the numbers. ``docs/data.md`` documents the same
schemas for readers.
"""

from __future__ import annotations

__all__ = ["CATALOGUE", "RECONSTRUCTION_LABEL"]

#: the label every appearance of the 1964 reconstruction carries
RECONSTRUCTION_LABEL = (
    "DERIVED RECONSTRUCTION (not Olson & Zeckhauser's Table 1): Penn World Table 9.1 GDP with COW NMC "
    "military expenditure for 1964; its numbers differ from the published table"
)

_COW = "COW data: free for research and academic use with citation (Correlates of War Project)"
_OPL = "Open Parliament Licence v3.0 (UK Parliamentary copyright, reuse with attribution)"

#: name -> description; ``file`` is the CSV in this package, ``columns`` the tidy schema that
#: :func:`burden.data.load` returns (column -> meaning and unit), in order
CATALOGUE: dict[str, dict] = {
    "nato_milex_gdp_1960_2022": {
        "file": "nato_milex_gdp_1960_2022.csv",
        "title": "NATO members 1960-2022 from the year each joined: COW military expenditure, population "
        "and personnel with World Bank GDP (DERIVED panel)",
        "derived": True,
        "licence": f"{_COW}; World Bank GDP CC BY 4.0; derived panel: cite COW and the World Bank",
        "caveat": "DERIVED panel (not a published table): two sources matched by country and year. "
        "Germany is COW 260 to 1990 and 255 from 1991 against one World Bank DEU series; Iceland has "
        "no armed forces (burden 0 or missing); Latvia 2014 military expenditure is missing.",
        "columns": {
            "country": "country name",
            "iso3": "ISO 3166-1 alpha-3 code",
            "cow_ccode": "Correlates of War country code",
            "joined": "year the country joined NATO",
            "year": "calendar year",
            "milex_usd_thousands": "military expenditure, thousands of current US$ (COW NMC v7.0)",
            "gdp_usd": "GDP, current US$ (World Bank NY.GDP.MKTP.CD)",
            "population_thousands": "total population, thousands (COW NMC)",
            "milper_thousands": "military personnel, thousands (COW NMC)",
            "burden": "military expenditure / GDP (a share, not a percentage)",
        },
    },
    "nato_defexp_2012_2019": {
        "file": "nato_defexp_2012_2019.csv",
        "title": "Defence Expenditure of NATO Countries 2012-2019: 29 allies, all 14 series of the June 2019 "
        "release",
        "derived": False,
        "licence": "public NATO figures: attribute NATO (PR/CP(2019)069); extracted by the R package "
        "passport (GPL-3)",
        "caveat": "2018 and 2019 are NATO estimates (column `estimate`); Iceland has no armed forces "
        "(missing).",
        "columns": {
            "iso3": "ISO 3166-1 alpha-3 code",
            "country": "country name",
            "year": "calendar year",
            "estimate": "True where NATO marks the figure as an estimate",
            "defexp_usd_current_mn": "defence expenditure, million current US$",
            "defexp_usd_2015_mn": "defence expenditure, million US$ at 2015 prices and exchange rates",
            "defexp_pct_real_gdp": "defence expenditure as % of real GDP",
            "defexp_real_change_pct": "annual real change in defence expenditure, %",
            "real_gdp_usd_2015_bn": "real GDP, billion 2015 US$",
            "gdp_per_capita_usd_2015": "real GDP per capita, 2015 US$",
            "defexp_per_capita_usd_2015": "defence expenditure per capita, 2015 US$",
            "military_personnel": "military personnel, persons",
            "equipment_pct": "equipment share of defence expenditure, %",
            "personnel_pct": "personnel share of defence expenditure, %",
            "infrastructure_pct": "infrastructure share of defence expenditure, %",
            "other_pct": "other share of defence expenditure, %",
        },
    },
    "nato_pct_gdp_2014_2024e": {
        "file": "nato_pct_gdp_2014_2024e.csv",
        "title": "NATO defence expenditure as % of GDP, 31 allies, 2014 and 2024 (June 2024 release and a "
        "later vintage)",
        "derived": False,
        "licence": "public NATO figures: attribute NATO; transcribed from secondary reports",
        "caveat": "Secondary transcription of NATO's June 2024 release (Table 3); 2024 values of that "
        "release are estimates; current-US$ spending only for 15 allies; the Secretary General's "
        "Annual Report vintage infers Croatia's value.",
        "columns": {
            "country": "ally name",
            "year": "calendar year (2014 or 2024)",
            "vintage": "'2024-06 release' or '2025-04 SG annual report'",
            "estimate": "True for the 2024 figures of the June 2024 release",
            "pct_gdp": "defence expenditure, % of GDP (2015 prices)",
            "defexp_usd_current_mn": "defence expenditure, million current US$ (2024e, 15 allies; else NaN)",
        },
    },
    "nato_burden_parliament_1953_1994": {
        "file": "nato_burden_parliament_1953_1994.csv",
        "title": "NATO-definition defence expenditure as % of GNP/GDP, 1953, 1968, 1971, 1992-94 "
        "(UK Hansard)",
        "derived": False,
        "licence": _OPL,
        "caveat": "The measure differs by year (GNP, GNP at factor cost, GDP: column `measure`); 1968 "
        "figures are provisional; cite the row's Hansard answer.",
        "columns": {
            "year": "calendar year",
            "country": "country name",
            "value": "defence expenditure as % of the `measure` denominator",
            "measure": "'pct_gnp', 'pct_gnp_factor_cost' or 'pct_gdp'",
            "basis": "definition quoted by the answer",
            "source": "Hansard citation of the row",
            "note": "remark of the answer (empty if none)",
        },
    },
    "nato_defexp_per_capita_1970_1979": {
        "file": "nato_defexp_per_capita_1970_1979.csv",
        "title": "NATO defence expenditure per head, US$ at each year's exchange rate, 1970-1979 "
        "(UK Hansard)",
        "derived": False,
        "licence": _OPL,
        "caveat": "1979 provisional; missing where the answer gives no figure (Greece after 1975, Turkey "
        "after 1974).",
        "columns": {
            "country": "country name",
            "year": "calendar year",
            "defexp_per_capita_usd": "defence expenditure per head, current US$",
        },
    },
    "nmc_nato_1964": {
        "file": "nmc_nato_1964.csv",
        "title": "COW National Material Capabilities v6.0 rows of the 15 NATO members, 1964",
        "derived": False,
        "licence": _COW,
        "caveat": "NMC military expenditure, not NATO-definition defence expenditure; Iceland has no armed "
        "forces.",
        "columns": {
            "ccode": "Correlates of War country code",
            "stateabb": "COW state abbreviation",
            "country": "country name",
            "year": "calendar year (1964)",
            "milex": "military expenditure, thousands of current US$",
            "milper": "military personnel, thousands",
            "irst": "iron and steel production, thousand tons",
            "pec": "primary energy consumption, thousand coal-ton equivalents",
            "tpop": "total population, thousands",
            "upop": "urban population, thousands",
            "cinc": "composite index of national capability",
        },
    },
    "nato_1964_reconstructed_pwt_nmc": {
        "file": "nato_1964_reconstructed_pwt_nmc.csv",
        "title": f"NATO 1964: {RECONSTRUCTION_LABEL}",
        "derived": True,
        "licence": "Penn World Table 9.1 CC BY 4.0 and COW (free for research use with citation): cite PWT "
        "and COW and label as derived",
        "caveat": f"{RECONSTRUCTION_LABEL}. PWT 'DEU' 1964 is unified-Germany territory while COW is West "
        "Germany (flag column): Germany's GDP is overstated and burden understated. Never present its "
        "statistics as Olson & Zeckhauser's.",
        "columns": {
            "iso3": "ISO 3166-1 alpha-3 code",
            "gdp_nominal_usd_mn": "GDP, million current US$ (PWT cgdpo * pl_gdpo)",
            "pop_mn": "population, millions (PWT)",
            "gdp_pc_usd": "GDP per head, current US$",
            "milex_usd_mn": "military expenditure, million current US$ (COW NMC v6.0)",
            "burden_pct": "military expenditure as % of GDP",
            "milper_k": "military personnel, thousands (COW NMC)",
            "flag": "'pwt_territory_unified_germany', 'no_armed_forces' or empty",
        },
    },
}
