"""Readers for alliance data files the user downloads, in their official layouts (``docs/data.md``).

Every reader returns a tidy :class:`pandas.DataFrame` (extra ``data``) and rejects a malformed file
with a ``ValueError`` naming the file, the row (as numbered in the file: 1-based, header
included) and the column. Missing-value codes of each release become NaN.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

__all__ = ["read_atop", "read_cow_alliances", "read_nato", "read_nmc", "read_sipri"]

#: COW National Material Capabilities (v5.0-v7.0): identifiers then the six indicators and CINC
NMC_COLUMNS = ("stateabb", "ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc")
#: ATOP member-level file (atop5_1m.csv): the columns this reader keeps
ATOP_COLUMNS = ("atopid", "member", "yrent", "yrexit", "defense", "offense", "neutral", "nonagg", "consul")
#: COW Formal Alliances v4.1, by member (alliance_v4.1_by_member.csv): the columns this reader keeps
COW_ALLIANCE_COLUMNS = (
    "version4id",
    "ccode",
    "state_name",
    "mem_st_year",
    "mem_end_year",
    "defense",
    "neutrality",
    "nonaggression",
    "entente",
)
#: cells the SIPRI and NATO workbooks use for "not available" / "did not exist" / "estimate pending"
_MISSING_TOKENS = {"", "...", "..", "xxx", "n/a", "na", "-", "\u2013", "nan"}


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("the burden.data readers need pandas: pip install 'burden[data]'") from exc
    return pd


def _path(path) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`path` must be a file path; got {type(path).__name__}")
    path = os.fspath(path)
    if not os.path.exists(path):
        raise ValueError(f"`path` {path!r} does not exist")
    return path


def _read_csv(path: str, required: Sequence[str]):
    pd = _pandas()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: row 1 (header) lacks column {missing[0]!r} of the official layout; "
            f"expected {list(required)}, found {list(frame.columns)}"
        )
    return frame


def _bad_cell(path: str, row: int, column: str, expected: str, got) -> ValueError:
    return ValueError(f"{path}: row {row}, column {column!r}: expected {expected}, got {got!r}")


def _numeric(frame, path: str, columns: Sequence[str], *, first_row: int, na=(), integer=()):
    """Convert ``columns`` to numbers in place; ``na`` values become NaN; raise naming file/row/column."""
    pd = _pandas()
    for column in columns:
        text = frame[column].astype(str).str.strip()
        values = pd.to_numeric(text.where(~text.isin({"", "NA", *map(str, na)})), errors="coerce")
        bad = values.isna() & ~text.isin({"", "NA", *map(str, na)})
        if bad.any():
            pos = int(bad.to_numpy().nonzero()[0][0])
            raise _bad_cell(path, first_row + pos, column, "a number", text.iloc[pos])
        if column in integer:
            fractional = (values != values.round()) & values.notna()
            if fractional.any():
                pos = int(fractional.to_numpy().nonzero()[0][0])
                raise _bad_cell(path, first_row + pos, column, "an integer", text.iloc[pos])
            values = values.astype("Int64")
        frame[column] = values
    return frame


def read_nmc(path):
    """Read a COW National Material Capabilities CSV (v5.0-v7.0, e.g. ``NMC-60-abridged.csv``).

    Returns one row per state and year with ``stateabb``, ``ccode``, ``year``, ``milex``
    (thousands of current US$), ``milper``, ``irst``, ``pec``, ``tpop``, ``upop`` and ``cinc``; the
    release's missing-value code -9 becomes NaN. Other columns (``version``) are dropped.

    Examples
    --------
    >>> import pathlib, tempfile, burden as bd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "NMC.csv"
    >>> _ = path.write_text("stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\\n"
    ...                     "USA,2,1964,51213008,2687,115281,1610682,191889,50866,0.2029,2021\\n")
    >>> bd.data.read_nmc(path)[["stateabb", "year", "milex"]]
      stateabb  year     milex
    0      USA  1964  51213008
    """
    path = _path(path)
    frame = _read_csv(path, NMC_COLUMNS)[list(NMC_COLUMNS)].copy()
    frame["stateabb"] = frame["stateabb"].str.strip()
    integer = ("ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop")
    return _numeric(frame, path, NMC_COLUMNS[1:], first_row=2, na=("-9",), integer=integer)


def read_atop(path):
    """Read an ATOP member-level CSV (e.g. ``atop5_1m.csv``): one row per alliance member spell.

    Keeps ``atopid``, ``member`` (COW country code), ``yrent``, ``yrexit`` (NaN while the member
    is still in: the release codes that 0) and the obligation flags ``defense``, ``offense``,
    ``neutral``, ``nonagg``, ``consul`` (as booleans).

    Examples
    --------
    >>> import pathlib, tempfile, burden as bd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "atop_m.csv"
    >>> _ = path.write_text("atopid,member,yrent,moent,yrexit,moexit,defense,offense,neutral,nonagg,consul\\n"
    ...                     "3180,2,1949,4,0,0,1,0,0,0,0\\n")
    >>> bd.data.read_atop(path)[["atopid", "member", "yrexit", "defense"]]
       atopid  member  yrexit  defense
    0    3180       2    <NA>     True
    """
    path = _path(path)
    frame = _read_csv(path, ATOP_COLUMNS)[list(ATOP_COLUMNS)].copy()
    frame = _numeric(frame, path, ATOP_COLUMNS, first_row=2, integer=ATOP_COLUMNS)
    frame["yrexit"] = frame["yrexit"].mask(frame["yrexit"] == 0)
    return _flags(frame, path, ATOP_COLUMNS[4:])


def read_cow_alliances(path):
    """Read a COW Formal Alliances v4.1 member-level CSV (``alliance_v4.1_by_member.csv``).

    Keeps ``version4id``, ``ccode``, ``state_name``, ``mem_st_year``, ``mem_end_year`` (NaN while
    in force) and the type flags ``defense``, ``neutrality``, ``nonaggression``, ``entente``
    (booleans).

    Examples
    --------
    >>> import pathlib, tempfile, burden as bd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "alliances.csv"
    >>> _ = path.write_text("version4id,ccode,state_name,mem_st_year,mem_end_year,defense,neutrality,"
    ...                     "nonaggression,entente\\n120,2,United States of America,1949,,1,0,1,1\\n")
    >>> bd.data.read_cow_alliances(path)[["version4id", "ccode", "mem_end_year", "defense"]]
       version4id  ccode  mem_end_year  defense
    0         120      2          <NA>     True
    """
    path = _path(path)
    frame = _read_csv(path, COW_ALLIANCE_COLUMNS)[list(COW_ALLIANCE_COLUMNS)].copy()
    numbers = [c for c in COW_ALLIANCE_COLUMNS if c != "state_name"]
    frame = _numeric(frame, path, numbers, first_row=2, integer=numbers)
    return _flags(frame, path, COW_ALLIANCE_COLUMNS[5:])


def _flags(frame, path: str, columns: Sequence[str]):
    for column in columns:
        values = frame[column]
        bad = values.notna() & ~values.isin([0, 1])
        if bad.any() or values.isna().any():
            pos = int((bad | values.isna()).to_numpy().nonzero()[0][0])
            raise ValueError(
                f"{path}: row {2 + pos}, column {column!r}: expected 0 or 1, got {values.iloc[pos]!r}"
            )
        frame[column] = values.astype(bool)
    return frame


def _read_sheet(path: str, sheet):
    """The raw cells of a workbook sheet (xlsx, via openpyxl) or of a CSV export of one sheet."""
    pd = _pandas()
    if path.lower().endswith((".csv", ".txt")):
        return pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
    try:
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=str)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"{path}: reading .xlsx workbooks needs openpyxl (pip install openpyxl)") from exc
    except ValueError as exc:  # an unknown sheet name
        raise ValueError(f"{path}: {exc}") from exc


_YEAR = re.compile(r"^\s*(\d{4})(?:\.0)?\s*(e|\*|est\.?)?\s*$", re.IGNORECASE)


def _wide_by_year(path: str, raw, value_name: str, label_column: str):
    """Melt a country x year table: find the header row, keep year columns, validate every cell.

    The header row is the first whose ``label_column`` cell (case-insensitive) names the
    countries; a year header may carry an estimate mark (``2024e``). Rows without any figure
    (region headings, footnotes) are dropped.
    """
    pd = _pandas()
    cells = raw.fillna("").astype(str)
    first = cells.apply(lambda col: col.str.strip().str.lower())
    hits = (first == label_column.lower()).to_numpy().nonzero()
    if not len(hits[0]):
        raise ValueError(f"{path}: no header row with a {label_column!r} column (the official layout)")
    header, country_col = int(hits[0][0]), int(hits[1][0])
    years = {}
    for j, label in enumerate(cells.iloc[header]):
        match = _YEAR.match(label)
        if match:
            years[j] = (int(match.group(1)), bool(match.group(2)), label.strip())
    if not years:
        raise ValueError(f"{path}: row {header + 1}: no year columns in the header row")
    records = []
    for i in range(header + 1, len(cells)):
        country = cells.iat[i, country_col].strip()
        if not country:
            continue
        row = []
        for j, (year, estimate, label) in years.items():
            text = cells.iat[i, j].strip()
            if text.lower() in _MISSING_TOKENS:
                value = float("nan")
            else:
                try:
                    value = float(text.replace(",", ""))
                except ValueError:
                    raise _bad_cell(
                        path, i + 1, label, f"a number or a missing-value mark ({country})", text
                    ) from None
            row.append((country, year, estimate, value))
        if any(v == v for *_, v in row):  # a heading row has no figures at all
            records += row
    return pd.DataFrame(records, columns=["country", "year", "estimate", value_name])


#: SIPRI sheet names (Military Expenditure Database workbook) -> value column name
SIPRI_SHEETS = {
    "Constant (2022) US$": "milex_usd_constant_mn",
    "Current US$": "milex_usd_current_mn",
    "Share of GDP": "milex_share_gdp",
    "Per capita": "milex_per_capita_usd",
    "Share of Govt. spending": "milex_share_government",
}


def read_sipri(path, *, sheet: str = "Current US$"):
    """Read one sheet of the SIPRI Military Expenditure Database workbook you downloaded.

    SIPRI's terms forbid redistribution, so `burden` ships no SIPRI numbers. The workbook
    (``SIPRI-Milex-data-1949-2023.xlsx``, or any later edition) has title and note rows, then a
    header row ``Country, Notes, 1949, 1950, ...`` with region headings between country rows;
    ``...`` (not available) and ``xxx`` (the country did not exist) become NaN. A ``.csv`` export
    of one sheet in the same layout is read too (no openpyxl needed).

    Parameters
    ----------
    path : str or path-like
        The workbook (``.xlsx``, needs openpyxl) or a CSV export of one sheet.
    sheet : str
        Sheet name, e.g. ``"Current US$"``, ``"Share of GDP"``, ``"Constant (2022) US$"`` (the
        base year changes with the edition).

    Returns
    -------
    pandas.DataFrame
        Columns ``country``, ``year``, ``estimate`` (False: SIPRI marks estimates by colour,
        which a file reader cannot see) and the value (``milex_usd_current_mn`` for "Current US$",
        ``milex_share_gdp`` for "Share of GDP", ...; ``value`` for an unknown sheet).

    Examples
    --------
    >>> import pathlib, tempfile, burden as bd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sipri_current.csv"
    >>> _ = path.write_text("Military expenditure by country in current US$ m.,,,\\n"
    ...                     "Country,Notes,2022,2023\\nEurope,,,\\nFrance,,53639,61302\\nKosovo,,xxx,...\\n")
    >>> bd.data.read_sipri(path)
      country  year  estimate  milex_usd_current_mn
    0  France  2022     False               53639.0
    1  France  2023     False               61302.0
    """
    path = _path(path)
    name = SIPRI_SHEETS.get(re.sub(r"\(\d{4}\)", "(2022)", sheet), "value")
    frame = _wide_by_year(path, _read_sheet(path, sheet), name, "Country")
    return frame.dropna(subset=[name]).reset_index(drop=True)


def read_nato(path, *, sheet=0, value_name: str = "value"):
    """Read a table of NATO's "Defence Expenditure of NATO Countries" workbook.

    Each table of the release is a sheet with title rows, then a header row ``Country, 2014,
    2015, ..., 2024e`` (the last years marked as estimates) and one row per ally, with
    group rows (``NATO Europe``, ``NATO Total``) kept as rows. A ``.csv`` export of one table in
    the same layout is read too.

    Parameters
    ----------
    path : str or path-like
        The workbook (``.xlsx``, needs openpyxl) or a CSV export of one table.
    sheet : int or str
        Sheet (table) to read.
    value_name : str
        Name of the value column, e.g. ``"pct_gdp"`` for Table 3.

    Returns
    -------
    pandas.DataFrame
        Columns ``country``, ``year``, ``estimate`` (True for years marked ``e`` or ``*``) and
        ``value_name``.

    Examples
    --------
    >>> import pathlib, tempfile, burden as bd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "nato_table3.csv"
    >>> _ = path.write_text("Table 3: Defence expenditure as a share of GDP (%),,\\n"
    ...                     "Country,2014,2024e\\nPoland,1.88,4.12\\nIceland,,\\n")
    >>> bd.data.read_nato(path, value_name="pct_gdp")
      country  year  estimate  pct_gdp
    0  Poland  2014     False     1.88
    1  Poland  2024      True     4.12
    """
    path = _path(path)
    if not isinstance(value_name, str) or not value_name:
        raise ValueError(f"`value_name` must be a non-empty string; got {value_name!r}")
    return _wide_by_year(path, _read_sheet(path, sheet), value_name, "Country")
