"""Real alliance data shipped with `burden`, and loaders for files the user downloads.

``list()`` names the shipped tables with their source, licence and caveat; ``load(name)``
returns one as a tidy :class:`pandas.DataFrame` (extra ``data``) whose ``attrs`` carry the same
provenance. Schemas, sources and caveats: ``docs/data.md``.

Two tables are derived, not published: the 1960-2022 panel (COW military expenditure matched to
World Bank GDP) and the 1964 table, a DERIVED RECONSTRUCTION (not Olson & Zeckhauser's Table 1).
SIPRI data are never shipped (their terms forbid it): :func:`read_sipri` reads the workbook the
user downloads; :func:`read_nmc`, :func:`read_atop`, :func:`read_cow_alliances` and
:func:`read_nato` read the other official releases.
"""

from __future__ import annotations

import builtins
import dataclasses
import functools
from importlib import resources

from burden.data._catalogue import CATALOGUE, RECONSTRUCTION_LABEL
from burden.data._loaders import read_atop, read_cow_alliances, read_nato, read_nmc, read_sipri

__all__ = [
    "RECONSTRUCTION_LABEL",
    "DatasetInfo",
    "info",
    "list",
    "load",
    "read_atop",
    "read_cow_alliances",
    "read_nato",
    "read_nmc",
    "read_sipri",
]


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    """Provenance and schema of one shipped table.

    Attributes
    ----------
    name : str
        The name :func:`load` takes.
    title : str
        What the table holds.
    source : str
        The table file's own first line (without ``#``): publication, version and route.
    licence : str
        Terms of reuse and what to cite.
    caveat : str
        What the numbers are not; read before drawing a conclusion.
    derived : bool
        True if the table is derived (matched or reconstructed by us), not published as is.
    columns : dict
        Column name -> meaning and unit, in the order :func:`load` returns them.
    """

    name: str
    title: str
    source: str
    licence: str
    caveat: str
    derived: bool
    columns: dict

    def __str__(self) -> str:
        kind = "DERIVED" if self.derived else "published"
        return "\n".join(
            [
                f"{self.name} ({kind}): {self.title}",
                f"  source:  {self.source}",
                f"  licence: {self.licence}",
                f"  caveat:  {self.caveat}",
            ]
        )


def _check_name(name: str) -> dict:
    if not isinstance(name, str):
        raise TypeError(f"`name` must be a string naming a shipped table; got {type(name).__name__}")
    if name not in CATALOGUE:
        raise ValueError(f"`name` must be one of {builtins.list(CATALOGUE)}; got {name!r}")
    return CATALOGUE[name]


@functools.cache
def _source_line(filename: str) -> str:
    with resources.files(__name__).joinpath(filename).open(encoding="utf-8") as fh:
        first = fh.readline()
    return first.lstrip("#").strip()


def info(name: str) -> DatasetInfo:
    """Return the provenance and schema of the shipped table ``name``.

    Examples
    --------
    >>> import burden as bd
    >>> meta = bd.data.info("nato_1964_reconstructed_pwt_nmc")
    >>> meta.derived, "DERIVED RECONSTRUCTION" in meta.title
    (True, True)
    """
    entry = _check_name(name)
    return DatasetInfo(
        name=name,
        title=entry["title"],
        source=_source_line(entry["file"]),
        licence=entry["licence"],
        caveat=entry["caveat"],
        derived=entry["derived"],
        columns=dict(entry["columns"]),
    )


def list() -> builtins.list[DatasetInfo]:
    """Return every shipped table with its source, licence and caveat.

    Returns
    -------
    list of DatasetInfo
        One entry per table, in catalogue order; ``str(entry)`` prints it.

    Examples
    --------
    >>> import burden as bd
    >>> [d.name for d in bd.data.list()][:2]
    ['nato_milex_gdp_1960_2022', 'nato_defexp_2012_2019']
    >>> print(bd.data.list()[0])  # doctest: +ELLIPSIS
    nato_milex_gdp_1960_2022 (DERIVED): NATO members 1960-2022 ...
      source:  DERIVED panel (not a published table): ...
      licence: ...
      caveat:  DERIVED panel ...
    """
    return [info(name) for name in CATALOGUE]


def load(name: str):
    """Return the shipped table ``name`` as a tidy :class:`pandas.DataFrame` (requires pandas).

    The columns are those of ``info(name).columns`` (schemas in ``docs/data.md``): one row per
    observation (country-year, or country where the table has one year), wide year columns
    melted. ``DataFrame.attrs`` holds ``name``, ``title``, ``source``, ``licence``, ``caveat`` and
    ``derived``. ``"nato_1964_reconstructed_pwt_nmc"`` is a DERIVED RECONSTRUCTION (not Olson &
    Zeckhauser's Table 1) and ``"nato_milex_gdp_1960_2022"`` a derived panel: their ``attrs``
    say so.

    Parameters
    ----------
    name : str
        One of the names in :func:`list`.

    Examples
    --------
    >>> import burden as bd
    >>> panel = bd.data.load("nato_milex_gdp_1960_2022")
    >>> panel.attrs["derived"], panel.shape
    (True, (1228, 10))
    >>> panel.loc[panel.year == 1964, ["country", "burden"]].head(2)
        country    burden
    4   Belgium  0.030848
    67   Canada  0.033882
    """
    entry = _check_name(name)
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("burden.data.load() needs pandas: pip install 'burden[data]'") from exc
    with resources.files(__name__).joinpath(entry["file"]).open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, comment=None, skiprows=1, keep_default_na=True)
    frame = _TIDY.get(name, lambda f: f)(frame)
    frame = frame[builtins.list(entry["columns"])]
    meta = info(name)
    frame.attrs.update(
        name=name,
        title=meta.title,
        source=meta.source,
        licence=meta.licence,
        caveat=meta.caveat,
        derived=meta.derived,
    )
    return frame


def _tidy_pct_gdp(frame):
    import pandas as pd

    release = "2024-06 release"
    parts = [
        frame.assign(year=2014, vintage=release, estimate=False, pct_gdp=frame.pct_gdp_2014),
        frame.assign(year=2024, vintage=release, estimate=True, pct_gdp=frame.pct_gdp_2024e),
        frame.assign(
            year=2024, vintage="2025-04 SG annual report", estimate=False, pct_gdp=frame.pct_gdp_2024_sgar
        ),
    ]
    # current-US$ spending was reported only with the June 2024 estimates
    parts[0]["defexp_usd_current_mn"] = parts[2]["defexp_usd_current_mn"] = float("nan")
    parts[1]["defexp_usd_current_mn"] = frame.defexp_usd_current_mn_2024e
    return pd.concat(parts, ignore_index=True).rename(columns={"ally": "country"})


def _tidy_per_capita(frame):
    long = frame.melt(id_vars="country", var_name="year", value_name="defexp_per_capita_usd")
    return long.astype({"year": int})


_TIDY = {
    "nato_defexp_2012_2019": lambda f: f.astype({"estimate": bool}),
    "nato_pct_gdp_2014_2024e": _tidy_pct_gdp,
    "nato_defexp_per_capita_1970_1979": _tidy_per_capita,
    "nato_burden_parliament_1953_1994": lambda f: f.fillna({"note": ""}),
    "nato_1964_reconstructed_pwt_nmc": lambda f: f.rename(columns={"iso": "iso3"}).fillna({"flag": ""}),
}
