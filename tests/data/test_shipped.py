"""The shipped tables: provenance kept, tidy schemas as documented, derived tables labelled."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

import burden as bd  # noqa: E402
from burden.data._catalogue import CATALOGUE  # noqa: E402

NAMES = list(CATALOGUE)
RECON = "nato_1964_reconstructed_pwt_nmc"


@pytest.mark.parametrize("name", NAMES)
def test_load_has_documented_schema_and_provenance(name):
    frame = bd.data.load(name)
    meta = bd.data.info(name)
    assert list(frame.columns) == list(meta.columns)
    assert len(frame) > 0
    for key in ("name", "title", "source", "licence", "caveat", "derived"):
        assert frame.attrs[key] == getattr(meta, key)


@pytest.mark.parametrize("name", NAMES)
def test_file_keeps_its_source_line(name):
    text = resources.files("burden.data").joinpath(CATALOGUE[name]["file"]).read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# ") and len(first) > 80
    assert bd.data.info(name).source == first[2:].strip()


def test_list_names_every_table_with_source_licence_caveat():
    entries = bd.data.list()
    assert [e.name for e in entries] == NAMES
    for entry in entries:
        assert entry.source and entry.licence and entry.caveat
        assert entry.source in str(entry) and entry.caveat in str(entry)


def test_derived_tables_are_labelled_everywhere():
    recon = bd.data.info(RECON)
    assert recon.derived
    label = "DERIVED RECONSTRUCTION (not Olson & Zeckhauser's Table 1)"
    assert label in recon.title and label in recon.caveat and label in str(recon)
    assert label in bd.data.load(RECON).attrs["title"]
    assert label in " ".join(bd.data.load.__doc__.split())
    panel = bd.data.info("nato_milex_gdp_1960_2022")
    assert panel.derived and "DERIVED" in panel.title and "DERIVED" in panel.caveat
    published = [e.name for e in bd.data.list() if not e.derived]
    assert RECON not in published and "nato_milex_gdp_1960_2022" not in published


def test_no_sipri_data_shipped():
    files = [p.name.lower() for p in resources.files("burden.data").iterdir()]
    assert not any("sipri" in f and not f.endswith(".py") for f in files)
    assert all("sipri" not in entry["file"].lower() for entry in CATALOGUE.values())


def test_panel_numbers():
    panel = bd.data.load("nato_milex_gdp_1960_2022")
    assert panel.shape == (1228, 10)
    assert panel.year.min() == 1960 and panel.year.max() == 2022
    assert not panel.duplicated(["iso3", "year"]).any()
    # every member appears from the year it joined (or 1960) onwards
    assert (panel.year >= panel.joined).all()
    ok = panel.milex_usd_thousands.notna() & (panel.gdp_usd > 0)
    burden = panel.milex_usd_thousands[ok] * 1000 / panel.gdp_usd[ok]
    np.testing.assert_allclose(panel.burden[ok], burden, rtol=0, atol=5e-9)  # stored to 8 decimals


def test_reconstruction_rank_correlation_is_its_own_not_olson_zeckhauser():
    # derived: the file's header states Spearman 0.6527 for 14 allies without Iceland
    recon = bd.data.load(RECON)
    recon = recon[recon.iso3 != "ISL"]
    rho = recon.gdp_nominal_usd_mn.rank().corr(recon.burden_pct.rank())
    assert rho == pytest.approx(0.6527, abs=5e-5)


def test_tidy_reshapes():
    per_head = bd.data.load("nato_defexp_per_capita_1970_1979")
    assert per_head.shape == (14 * 10, 3)
    us = per_head[(per_head.country == "United States") & (per_head.year == 1979)]
    assert us.defexp_per_capita_usd.item() == 555  # Hansard HC Deb 04 Mar 1980 vol 980 cc118-24W
    pct = bd.data.load("nato_pct_gdp_2014_2024e")
    assert len(pct) == 3 * 31
    poland = pct[(pct.country == "Poland") & pct.estimate]
    assert poland.pct_gdp.item() == 4.12 and poland.defexp_usd_current_mn.item() == 34975
    assert pct.loc[~pct.estimate, "defexp_usd_current_mn"].isna().all()


def test_bad_names():
    with pytest.raises(ValueError, match="`name` must be one of"):
        bd.data.load("sipri")
    with pytest.raises(TypeError, match="`name` must be a string"):
        bd.data.info(3)
