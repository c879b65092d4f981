"""``burden fit CSV`` (run in-process through ``main``)."""

import json

import numpy as np
import pytest

import burden as bd
from burden.cli import main

pd = pytest.importorskip("pandas")


@pytest.fixture
def panel_csv(tmp_path, rng):
    w = rng.uniform(5, 10, size=(30, 3))
    q = bd.nash(w, bd.CobbDouglas([0.4, 0.45, 0.5])).g * np.exp(rng.normal(0, 0.01, w.shape))
    frame = pd.DataFrame(
        {
            "ally": np.tile(list("ABC"), 30),
            "year": np.repeat(range(30), 3),
            "milex": q.ravel(),
            "gdp": w.ravel(),
        }
    )
    path = tmp_path / "panel.csv"
    frame.to_csv(path, index=False)
    return path


def test_fit_prints_the_summary(capsys, panel_csv):
    argv = [
        "fit",
        str(panel_csv),
        "--model",
        "nash",
        "--country",
        "ally",
        "--spending",
        "milex",
        "--income",
        "gdp",
    ]
    assert main([*argv, "--pooled"]) == 0
    out = capsys.readouterr().out
    assert "Structural alliance fit" in out and "nash (best-response)" in out and "\na " in out


def test_fit_json(capsys, panel_csv):
    argv = ["fit", str(panel_csv), "--country", "ally", "--spending", "milex", "--income", "gdp", "--json"]
    assert main([*argv, "--method", "equilibrium", "--bootstrap", "20", "--rng", "1"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["params"]) == {"a[A]", "a[B]", "a[C]"}
    assert doc["params"]["a[C]"] == pytest.approx(0.5, abs=0.02)
    assert doc["cov_type"].startswith("residual bootstrap") and doc["status"] == 0


def test_fit_bad_input(capsys, panel_csv, tmp_path):
    assert main(["fit", str(panel_csv)]) == 2
    assert "no column 'country'" in capsys.readouterr().err
    assert main(["fit", str(tmp_path / "absent.csv")]) == 2
    assert "cannot read CSV" in capsys.readouterr().err
