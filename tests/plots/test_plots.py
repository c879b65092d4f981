"""Every figure renders with Agg, saves a non-empty image, and carries its axis labels and title."""

from __future__ import annotations

import json

import numpy as np
import pytest

import burden as bd
from burden import plots
from burden.cli import main
from burden.reproduce import available

GAME = {"pi": 0.5, "d": 2.0, "e": 0.5, "s": 0.3, "m": 0.5, "kappa": 0.2, "k": 1.0}


def saved(ax, tmp_path, name="figure.png"):
    path = plots.save(ax, tmp_path / name)
    assert path.stat().st_size > 1000
    with open(path, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    return path


def labels(ax):
    return ax.get_xlabel(), ax.get_ylabel(), ax.get_title()


def test_reaction_curves_cross_at_nash(tmp_path):
    ax = plots.reaction_curves([100.0, 80.0], bd.CobbDouglas(0.5))
    assert labels(ax) == (
        "contribution of ally 1, g1",
        "contribution of ally 2, g2",
        "Reaction curves, Nash and Lindahl points",
    )
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert lines["Nash, G = 60"].get_xydata().tolist() == [[40.0, 20.0]]
    assert lines["Lindahl, G = 90"].get_xydata().tolist() == [[50.0, 40.0]]
    # ally 1's curve passes through Nash: g1 = 100 - 60 at g2 = 20 (closed form g1 = (100 - g2)/2)
    g1, g2 = lines["reaction curve of ally 1"].get_data()
    np.testing.assert_allclose(g1[g2 <= 100], (100 - g2[g2 <= 100]) / 2, atol=1e-9)
    saved(ax, tmp_path)


def test_reaction_curves_need_two_allies():
    with pytest.raises(ValueError, match="`w` must hold the wealth of two allies"):
        plots.reaction_curves([1.0, 2.0, 3.0], bd.CobbDouglas(0.5))


def test_free_riding_gap(tmp_path):
    ax = plots.free_riding_gap(1.0, bd.CobbDouglas(0.5), n_max=8)
    assert labels(ax) == ("number of allies, n", "alliance good, G", "Free riding against alliance size")
    assert ax.figure.axes[-1].get_ylabel() == "G_Nash / G_Lindahl"
    ratio = ax.figure.axes[-1].get_lines()[0].get_ydata()
    np.testing.assert_allclose(ratio, 2 / (np.arange(1, 9) + 1))  # derived: 2/(n+1)
    saved(ax, tmp_path)


def test_burden_vs_size_prints_the_rank_statistic(tmp_path):
    size, burden = [684.1, 122.4, 98.6, 94.0, 61.2, 49.6], [7.5, 4.0, 5.7, 5.3, 2.9, 3.4]
    ax = plots.burden_vs_size(size, burden, labels=list("ABCDEF"), method="kendall", title="T")
    assert labels(ax) == ("size (GDP)", "burden (defence spending / GDP)", "T")
    assert ax.texts[-1].get_text().startswith("Kendall 0.60 (p = ")
    saved(ax, tmp_path)
    with pytest.raises(ValueError, match="`method` must be 'spearman' or 'kendall'"):
        plots.burden_vs_size(size, burden, method="pearson")
    with pytest.raises(ValueError, match="must be 1-D of one length"):
        plots.burden_vs_size(size, burden[:-1])


def test_rank_statistic_band_contains_the_statistic(tmp_path):
    years, r, n = np.arange(1960, 1970), np.linspace(0.6, 0.1, 10), np.full(10, 14)
    ax = plots.rank_statistic_by_year(years, r, n, pvalue=np.linspace(0.01, 0.5, 10))
    assert labels(ax) == (
        "year",
        "Spearman rank correlation",
        "Rank correlation of burden with size, by year",
    )
    [band] = ax.collections
    low, high = band.get_paths()[0].vertices[:, 1].min(), band.get_paths()[0].vertices[:, 1].max()
    assert -1 <= low < r.min() and r.max() < high <= 1
    saved(ax, tmp_path)


def test_commitment_best_responses(tmp_path):
    game = bd.CommitmentGame(**GAME)
    ax = plots.commitment_best_responses(game)
    assert labels(ax) == (
        "commitment of ally 1, c1",
        "commitment of ally 2, c2",
        "Commitment game: best responses and equilibria",
    )
    [eq] = [line for line in ax.get_lines() if line.get_label() == "stable equilibrium"]
    c = np.asarray(game.equilibria().c).reshape(-1, 2)
    np.testing.assert_allclose(eq.get_xydata(), c[np.isfinite(c).all(axis=1)])  # slots may be NaN-padded
    saved(ax, tmp_path)


def test_tradeoff_branches_follow_continuity():
    # Slots sorted by value jump where an equilibrium appears; branches do not.
    y = np.array([[0.1, np.nan, np.nan], [0.1, 0.5, 0.9], [0.2, 0.45, 0.95], [0.46, 0.96, np.nan]])
    labels_ = plots.tradeoff_branches(np.arange(4.0), y)
    assert labels_.tolist() == [[0, -1, -1], [0, 1, 2], [0, 1, 2], [1, 2, -1]]


def test_tradeoff_curves_draw_continuous_branches(tmp_path):
    base = {"pi": 0.3, "d": 1.0, "e": 0.5, "s": 0.2, "m": 0.5, "kappa": 0.1, "k": 0.2}
    game = bd.CommitmentGame(**base, deterrence=1.0, spiral=0.05, realign=0.5)
    name = "deterrence"
    curve = bd.tradeoff(game, vary=name, ally=0, values=np.linspace(0.0, 3.0, 31))
    ax = plots.tradeoff_curves(curve)
    assert labels(ax) == (
        f"{name} of ally 1",
        "c of ally 1",
        "Trade-off: equilibrium branches (dashed: unstable)",
    )
    for line in ax.get_lines():  # within a branch, no jump larger than the curve's own steps
        y = line.get_ydata()
        y = y[np.isfinite(y)]
        assert np.all(np.abs(np.diff(y)) < 0.5)
    saved(ax, tmp_path)


def test_study_heatmap(tmp_path):
    a, n = np.linspace(0.1, 0.9, 9), np.arange(2, 12)
    ax = plots.study_heatmap(1 / (1 + n[:, None] * a), a, n, xlabel="a", ylabel="n", colorbar_label="ratio")
    assert labels(ax) == ("a", "n", "Parameter study")
    saved(ax, tmp_path)
    with pytest.raises(ValueError, match=r"`z` must have shape \(len\(y\), len\(x\)\) = \(10, 9\)"):
        plots.study_heatmap(np.ones((9, 10)), a, n, xlabel="a", ylabel="n")


# -- burden plot ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["reaction", "-w", "100,80", "--alpha", "0.5,0.4"],
        ["free-riding", "-w", "1", "--n-max", "6"],
        ["commitment", "--pi", "0.5", "--d", "2", "--e", "0.5", "--s", "0.3", "--m", "0.5", "--k", "1"],
        [
            "tradeoff",
            "--pi",
            "0.4",
            "--d",
            "1",
            "--e",
            "0.6",
            "--k",
            "0.8",
            "--vary",
            "d",
            "--ally",
            "1",
            "--values",
            "0.5,1,2,4",
        ],
    ],
)
def test_cli_plot_saves_the_figure(tmp_path, capsys, argv):
    out = tmp_path / "fig.png"
    assert main(["plot", *argv, "-o", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"kind": argv[0], "output": str(out)}
    assert out.stat().st_size > 1000


def test_cli_heatmap_from_a_tidy_csv(tmp_path):
    rows = ["a,n,ratio"] + [f"{a},{n},{2 / (n + 1)}" for a in (0.3, 0.5) for n in (2, 3, 4)]
    (tmp_path / "study.csv").write_text("\n".join(rows))
    out = tmp_path / "heat.png"
    argv = [
        "plot",
        "heatmap",
        str(tmp_path / "study.csv"),
        "--x",
        "a",
        "--y",
        "n",
        "--z",
        "ratio",
        "-o",
        str(out),
    ]
    assert main(argv) == 0 and out.stat().st_size > 1000


@pytest.mark.skipif(
    not available("burden.data.load", "burden.estimation.rank_test_by"), reason="needs burden.data"
)
@pytest.mark.parametrize("argv", [["burden-size"], ["burden-size", "--year", "1970"], ["rank-by-year"]])
def test_cli_data_figures(tmp_path, argv):
    out = tmp_path / "fig.png"
    assert main(["plot", *argv, "-o", str(out)]) == 0 and out.stat().st_size > 1000


def test_reproduce_saves_the_papers_figures(tmp_path):
    assert main(["reproduce", "bergstrom_1986", "snyder_1984", "--plots", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["bergstrom_1986_reaction_curves.png", "snyder_1984_best_responses.png"]


def test_tradeoff_curves_draw_a_branch_axis_slot_by_slot(tmp_path):
    class BranchResult:  # a trade-off whose equilibrium axis is already a branch axis
        _core_dims = ("branch", "ally")
        vary, ally, values = "deterrence", 0, np.array([0.0, 0.6, 1.2])
        c = np.array([[[0.0, 0.0], [np.nan] * 2, [np.nan] * 2], [[0.0, 0.0], [np.nan] * 2, [np.nan] * 2],
                      [[0.0, 0.0], [0.41, 0.41], [1.0, 1.0]]])  # fmt: skip
        stable = np.array([[True, False, False], [True, False, False], [True, False, True]])

    ax = plots.tradeoff_curves(BranchResult())
    assert [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")] == [
        "branch 1",
        "branch 2",
        "branch 3",
    ]
    saved(ax, tmp_path)


@pytest.mark.parametrize(
    "kind", ["reaction", "free-riding", "commitment", "tradeoff", "burden-size", "rank-by-year", "heatmap"]
)
def test_cli_plot_help(capsys, kind):
    with pytest.raises(SystemExit) as exit_info:
        main(["plot", kind, "--help"])
    assert exit_info.value.code == 0
    assert "-o FILE, --output FILE" in capsys.readouterr().out


def test_cli_plot_without_the_data_extra_says_so(tmp_path, capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_data(name, *args, **kwargs):
        if name == "burden.data" or name.startswith("burden.data."):
            raise ImportError("No module named 'burden.data'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_data)
    assert main(["plot", "burden-size", "-o", str(tmp_path / "x.png")]) == 1
    assert "cannot draw" in capsys.readouterr().err
