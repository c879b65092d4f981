"""``burden data list|show`` (run in-process through ``main``)."""

import json

import pytest

from burden.cli import main

pytest.importorskip("pandas")


def test_list_names_every_table_and_labels_derived(capsys):
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert "nato_milex_gdp_1960_2022 (DERIVED)" in out
    assert "DERIVED RECONSTRUCTION (not Olson & Zeckhauser's Table 1)" in out
    assert out.count("licence:") == 7 and out.count("caveat:") == 7


def test_list_json(capsys):
    assert main(["data", "list", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {e["name"]: e["derived"] for e in entries}["nato_1964_reconstructed_pwt_nmc"] is True


def test_show_prints_provenance_then_rows(capsys):
    assert main(["data", "show", "nato_defexp_per_capita_1970_1979", "--rows", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("nato_defexp_per_capita_1970_1979 (published)")
    assert "HC Deb 04 Mar 1980" in out and "defexp_per_capita_usd" in out and "140 rows" in out


def test_show_json_is_strict(capsys):
    assert main(["data", "show", "nato_defexp_per_capita_1970_1979", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["rows"]) == 140
    assert any(row["defexp_per_capita_usd"] is None for row in doc["rows"])  # NaN -> null


def test_show_bad_name(capsys):
    assert main(["data", "show", "sipri"]) == 2
    assert "`name` must be one of" in capsys.readouterr().err
    assert main(["data", "show", "nmc_nato_1964", "--rows", "-1"]) == 2
