"""Readers of user-downloaded files, each on a small synthetic file in the official layout."""

from __future__ import annotations

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

import burden as bd  # noqa: E402

NMC = (
    "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
    "USA,2,1964,51213008,2687,115281,1610682,191889,50866,0.20298257,2021\n"
    "ICE,395,1964,0,0,0,82,189,-9,0.0000126,2021\n"
)
ATOP = (
    "atopid,member,yrent,moent,dayent,yrexit,moexit,dayexit,defense,offense,neutral,nonagg,consul\n"
    "3180,2,1949,8,24,0,0,0,1,0,0,0,1\n"
    "3180,220,1949,8,24,0,0,0,1,0,0,0,1\n"
    "1005,200,1920,1,1,1939,9,3,0,0,1,1,0\n"
)
COW = (
    "version4id,ccode,state_name,all_st_day,all_st_month,all_st_year,all_end_day,all_end_month,all_end_year,"
    "mem_st_day,mem_st_month,mem_st_year,mem_end_day,mem_end_month,mem_end_year,left_censor,right_censor,"
    "defense,neutrality,nonaggression,entente,version\n"
    "120,2,United States of America,4,4,1949,,,,4,4,1949,,,,0,1,1,0,1,1,4.1\n"
    "120,640,Turkey,4,4,1949,,,,18,2,1952,,,,0,1,1,0,1,1,4.1\n"
)
SIPRI = (
    "Military expenditure by country, in millions of US$ at current prices and exchange rates,,,,\n"
    "Figures in blue are SIPRI estimates.,,,,\n"
    ",,,,\n"
    "Country,Notes,2021,2022,2023\n"
    "Africa,,,,\n"
    "North Africa,,,,\n"
    "Algeria,,9112.4,9145.8,18263.8\n"
    "Europe,,,,\n"
    "Kosovo,‡,xxx,...,119.4\n"
    '"United Kingdom",,"68,366.7",68463.1,74942.8\n'
)
NATO = (
    "Table 3: Defence expenditure as a share of GDP and annual real change,,,\n"
    "(based on 2015 prices and exchange rates),,,\n"
    "Country,2014,2023,2024e\n"
    "Albania,1.35,1.75,2.03\n"
    "Iceland,..,..,..\n"
    "NATO Total,2.37,2.54,2.71\n"
)


@pytest.fixture
def write(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_nmc(write):
    frame = bd.data.read_nmc(write("NMC-60-abridged.csv", NMC))
    assert list(frame.columns) == [
        "stateabb",
        "ccode",
        "year",
        "milex",
        "milper",
        "irst",
        "pec",
        "tpop",
        "upop",
        "cinc",
    ]
    assert frame.milex.tolist() == [51213008, 0]
    assert pd.isna(frame.upop[1])  # COW's missing-value code -9
    assert frame.cinc[0] == pytest.approx(0.20298257)


def test_nmc_reads_the_shipped_1964_rows_alike(write, tmp_path):
    shipped = bd.data.load("nmc_nato_1964")
    path = tmp_path / "nmc.csv"
    shipped.to_csv(path, index=False)
    frame = bd.data.read_nmc(path)
    np.testing.assert_array_equal(frame.milex.to_numpy(float), shipped.milex.to_numpy(float))


def test_atop(write):
    frame = bd.data.read_atop(write("atop5_1m.csv", ATOP))
    assert frame.atopid.tolist() == [3180, 3180, 1005]
    assert frame.yrexit.isna().tolist() == [True, True, False]  # 0 = still in force
    assert frame.defense.tolist() == [True, True, False] and frame.nonagg.tolist() == [False, False, True]


def test_cow_alliances(write):
    frame = bd.data.read_cow_alliances(write("alliance_v4.1_by_member.csv", COW))
    assert frame.ccode.tolist() == [2, 640]
    assert frame.mem_st_year.tolist() == [1949, 1952]
    assert frame.mem_end_year.isna().all() and frame.defense.all() and not frame.neutrality.any()


def test_sipri_csv_export(write):
    frame = bd.data.read_sipri(write("sipri_current.csv", SIPRI))
    assert list(frame.columns) == ["country", "year", "estimate", "milex_usd_current_mn"]
    assert frame.country.unique().tolist() == ["Algeria", "Kosovo", "United Kingdom"]  # no region rows
    uk = frame[frame.country == "United Kingdom"].set_index("year").milex_usd_current_mn
    assert uk[2021] == 68366.7  # thousands separator
    assert frame[frame.country == "Kosovo"].year.tolist() == [2023]  # xxx and ... are missing


def test_sipri_workbook(tmp_path):
    pytest.importorskip("openpyxl")
    lines = SIPRI.replace('"68,366.7"', "68366.7").replace('"', "").splitlines()
    rows = [(line.split(",") + [""] * 5)[:5] for line in lines]
    path = tmp_path / "SIPRI-Milex-data-1949-2023.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["About"]]).to_excel(writer, sheet_name="Front page", header=False, index=False)
        pd.DataFrame(rows).to_excel(writer, sheet_name="Current US$", header=False, index=False)
        share = [["Share of GDP", "", ""], ["Country", "Notes", 2022], ["Algeria", "", 0.048]]
        pd.DataFrame(share).to_excel(writer, sheet_name="Share of GDP", header=False, index=False)
    current = bd.data.read_sipri(path)
    assert current.set_index(["country", "year"]).milex_usd_current_mn[("Algeria", 2023)] == 18263.8
    share = bd.data.read_sipri(path, sheet="Share of GDP")
    assert share.milex_share_gdp.tolist() == [0.048] and share.year.tolist() == [2022]
    with pytest.raises(ValueError, match=r"SIPRI-Milex-data-1949-2023\.xlsx"):
        bd.data.read_sipri(path, sheet="No such sheet")


def test_nato(write):
    frame = bd.data.read_nato(write("nato_table3.csv", NATO), value_name="pct_gdp")
    assert frame.country.unique().tolist() == ["Albania", "NATO Total"]  # Iceland: no figures
    albania = frame[frame.country == "Albania"]
    assert albania.year.tolist() == [2014, 2023, 2024] and albania.estimate.tolist() == [False, False, True]
    assert albania.pct_gdp.tolist() == [1.35, 1.75, 2.03]


@pytest.mark.parametrize(
    ("reader", "name", "text", "row", "column"),
    [
        (bd.data.read_nmc, "nmc.csv", NMC.replace("2687", "many"), 2, "milper"),
        (bd.data.read_nmc, "nmc.csv", NMC.replace("ICE,395,1964", "ICE,395,1964.5"), 3, "year"),
        (
            bd.data.read_atop,
            "atop.csv",
            ATOP.replace("1005,200,1920,1,1,1939,9,3,0", "1005,200,1920,1,1,1939,9,3,2"),
            4,
            "defense",
        ),
        (bd.data.read_cow_alliances, "cow.csv", COW.replace(",640,", ",Turkey,"), 3, "ccode"),
        (bd.data.read_sipri, "sipri.csv", SIPRI.replace("9145.8", "9145.8 (est)"), 7, "2022"),
        (bd.data.read_nato, "nato.csv", NATO.replace("1.75", "one"), 4, "2023"),
    ],
)
def test_malformed_cell_names_file_row_column(write, reader, name, text, row, column):
    path = write(name, text)
    with pytest.raises(ValueError, match=rf"{name}: row {row}, column '{column}'"):
        reader(path)


@pytest.mark.parametrize(
    ("reader", "text", "missing"),
    [
        (bd.data.read_nmc, NMC.replace("milex,", "milexp,"), "milex"),
        (bd.data.read_atop, ATOP.replace("atopid", "id"), "atopid"),
        (bd.data.read_cow_alliances, COW.replace("mem_st_year", "start"), "mem_st_year"),
    ],
)
def test_missing_column_is_named(write, reader, text, missing):
    path = write("file.csv", text)
    with pytest.raises(ValueError, match=rf"file.csv: row 1 \(header\) lacks column '{missing}'"):
        reader(path)


def test_wide_tables_need_their_header(write):
    with pytest.raises(ValueError, match="no header row with a 'Country' column"):
        bd.data.read_sipri(write("s.csv", "a,b\n1,2\n"))
    with pytest.raises(ValueError, match="no year columns"):
        bd.data.read_nato(write("n.csv", "Country,Notes\nPoland,x\n"))


def test_bad_paths(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        bd.data.read_nmc(tmp_path / "absent.csv")
    with pytest.raises(TypeError, match="`path` must be a file path"):
        bd.data.read_atop(3)
    with pytest.raises(ValueError, match="`value_name` must be a non-empty string"):
        bd.data.read_nato(__file__, value_name="")
