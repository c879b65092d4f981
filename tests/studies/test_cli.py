"""``burden study CONFIG.toml``: the example config, output files and bad configs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import burden as bd
from burden.cli import main
from burden.studies import load_study

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "group_size.toml"


def run(argv, capsys):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_group_size_example_shows_olsons_effect(capsys):
    code, out, _ = run(["study", EXAMPLE, "--json"], capsys)
    assert code == 0
    summary = json.loads(out)
    by = summary["by"]
    n = np.array(by["low"])
    np.testing.assert_array_equal(n, [1, 2, 3, 5, 10, 20, 50])
    # Cobb-Douglas equal members: ratio 1 / (1 + (n - 1)(1 - a)), a on 7 points of [0.2, 0.8] (derived)
    a = np.linspace(0.2, 0.8, 7)
    expected = [np.mean(1 / (1 + (k - 1) * (1 - a))) for k in n]
    np.testing.assert_allclose(by["mean"]["ratio"], expected, rtol=1e-12)
    assert np.all(np.diff(by["mean"]["ratio"]) < 0) and np.all(np.diff(by["mean"]["gap"]) > 0)


def test_table_and_saved_output(capsys, tmp_path):
    code, out, _ = run(["study", EXAMPLE, "--output", tmp_path / "g.parquet"], capsys)
    assert code == 0
    assert "49 scenarios (grid sampler), 0 failed" in out and "mean of each output by n:" in out
    saved = load_study(tmp_path / "g.parquet")
    assert saved.size == 49 and "ratio" in saved.outputs
    # each scenario: Nash/Lindahl = 1 / (1 + (n - 1)(1 - a)) for Cobb-Douglas equal members (derived)
    np.testing.assert_allclose(saved["ratio"], 1 / (1 + (saved["n"] - 1) * (1 - saved["a"])), rtol=1e-12)
    code, _, _ = run(["study", EXAMPLE, "--output", tmp_path / "columns"], capsys)
    assert code == 0 and load_study(tmp_path / "columns") == saved


def write(tmp_path, text):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    return path


GOOD = 'solver = "nash"\nn = 3\n[params]\nn = 2\na = { low = 0.2, high = 0.8 }\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n" + GOOD, "config key `colour`: unknown key"),
        ('sampler = 3\nsolver = "nash"\n[params]\nn = 2\na = 0.5\n', "config key `sampler`: must be a str"),
        ('solver = "nash"\n', "config key `params`: the [params] table is missing"),
        ('solver = "nash"\n[params]\nn = 2\na = { low = 0.2 }\n', "config key `params.a`: a range is {low"),
        (
            'solver = "nash"\n[params]\nn = 2\na = { distribution = "nope" }\n',
            "`params.a`: 'nope' is not a scipy",
        ),
        ('solver = "nash"\n[params]\nn = 2\na = true\n', "config key `params.a`: must be a number"),
        ('solver = "optimum"\n[params]\nn = 2\na = 0.5\n', "config key `solver`: must be one of"),
        ('solver = "os:nothing_here"\n[params]\nx = 1.0\n', "config key `solver`: cannot import"),
        ('preferences = "Dict"\nsolver = "nash"\n[params]\nn = 2\na = 0.5\n', "config key `preferences`"),
        ('summary_by = "a"\nsolver = "nash"\n[params]\nn = 2\na = 0.5\n', "config key `summary_by`"),
        ('outputs = [1]\nsolver = "nash"\n[params]\nn = 2\na = 0.5\n', "config key `outputs`"),
        ('sampler = "magic"\n' + GOOD, "`sampler` must be one of"),
        (GOOD + "b = 1.0\n", "`params['b']` is not used"),
        ("solver = [\n", "not valid TOML"),
        ('wealth = { distribution = "pareto" }\n' + GOOD, "config key `wealth`: bad options for pareto"),
        (
            'wealth = { distribution = "pareto", b = 3 }\nsolver = "a.b:c"\n[params]\nx = 1.0\n',
            "`wealth`: applies",
        ),
    ],
)
def test_bad_configs_name_the_key_and_the_reason(capsys, tmp_path, text, message):
    code, out, err = run(["study", write(tmp_path, text)], capsys)
    assert code == 2 and out == ""
    assert message in err


def test_wealth_distribution(capsys, tmp_path):
    config = 'wealth = { distribution = "pareto", b = 3 }\noutputs = ["G"]\n[params]\nn = 4\na = [0.5]\n'
    code, out, _ = run(["study", write(tmp_path, config), "--json"], capsys)
    w = stats.pareto(3).ppf(1 - (np.arange(4) + 0.5) / 4)
    assert code == 0
    assert json.loads(out)["outputs"]["G"]["mean"] == pytest.approx(float(bd.nash(w, bd.CobbDouglas(0.5)).G))


def test_missing_config_file(capsys, tmp_path):
    code, _, err = run(["study", tmp_path / "none.toml"], capsys)
    assert code == 2 and "no such configuration file" in err


def test_failed_scenarios_exit_1(capsys, tmp_path):
    config = 'solver = "tests.studies._functions:quadratic"\n[params]\nx = [-1.0, 1.0]\ny = 0.5\n'
    code, out, _ = run(["study", write(tmp_path, config)], capsys)
    assert code == 1 and "1 failed" in out
