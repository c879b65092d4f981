"""burden.study: equality with direct solver calls, invariance to chunking and backend, storage."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from scipy import stats

import burden as bd
from burden.studies import Alliance, StudyResult, load_study
from burden.studies._design import StudyWarning
from tests.studies._functions import distance, quadratic

PARAMS = {"n": [2, 3, 7], "a": (0.1, 0.9), "sigma": stats.uniform(0.0, 1.5), "w": 2.0}
OUTPUTS = ["G", "g.sum", "g.max", "g[0]", "g[2]", "contributors.sum"]


def wealth(w, sigma, n):
    """Mid-quantiles of a log-normal of median w and log-spread sigma, richest first."""
    return w * np.exp(sigma * stats.norm.ppf(1.0 - (np.arange(n) + 0.5) / n))


def test_alliance_study_equals_direct_nash_calls():
    res = bd.study(bd.nash, PARAMS, sampler="random", n=200, rng=1, outputs=OUTPUTS, chunk_size=64)
    assert res.size == 200 and list(res.inputs) == ["n", "a", "sigma"] and res.constants == {"w": 2.0}
    for k in range(res.size):
        n, a, s = int(res["n"][k]), res["a"][k], res["sigma"][k]
        eq = bd.nash(wealth(2.0, s, n), bd.CobbDouglas(a))
        np.testing.assert_allclose(res["G"][k], eq.G, rtol=1e-12)
        np.testing.assert_allclose(res["g.sum"][k], eq.g.sum(), rtol=1e-12)
        np.testing.assert_allclose(res["g.max"][k], eq.g.max(), rtol=1e-12)
        np.testing.assert_allclose(res["g[0]"][k], eq.g[0], rtol=1e-12)
        np.testing.assert_allclose(res["g[2]"][k], eq.g[2] if n > 2 else np.nan, rtol=1e-12)
        assert res["contributors.sum"][k] == eq.contributors.sum()
    assert res.success.all()


def test_fixed_size_study_equals_one_batched_call():
    params = {"n": 10, "a": (0.2, 0.8), "w": (1.0, 3.0), "p": (0.5, 2.0)}
    res = bd.study(bd.free_riding, params, sampler="sobol", n=256, rng=2, outputs=["gap", "ratio", "burden"])
    w = np.repeat(res["w"][:, None], 10, axis=1)
    fr = bd.free_riding(w, bd.CobbDouglas(res["a"][:, None]), p=res["p"])
    np.testing.assert_allclose(res["gap"], fr.gap, rtol=1e-12)
    np.testing.assert_allclose(res["ratio"], fr.ratio, rtol=1e-12)
    np.testing.assert_allclose(res["burden"], fr.burden, rtol=1e-12)  # per member: shape (256, 10)
    np.testing.assert_array_equal(res.status, fr.status)


def test_lindahl_study_equals_a_direct_call():
    res = bd.study(bd.lindahl, {"w_0": (1.0, 2.0), "w_1": (1.0, 3.0), "a": 0.3, "p": [1.0, 2.0]}, n=3)
    direct = bd.lindahl(np.column_stack([res["w_0"], res["w_1"]]), bd.CobbDouglas(0.3), p=res["p"])
    assert list(res.outputs) == ["G", "welfare", "residual"]  # the per-scenario fields of an Optimum
    np.testing.assert_allclose(res["G"], direct.G, rtol=1e-12)


def test_a_study_of_constants_only_is_one_scenario():
    # it raised numpy's "multiple indices are not supported for 0d arrays"
    res = bd.study(Alliance(bd.free_riding, bd.CES), {"w_0": 100.0, "w_1": 80.0, "a": 0.5, "rho": -0.5})
    direct = bd.free_riding([100.0, 80.0], bd.CES(0.5, -0.5))
    assert res.size == 1 and res.inputs == {} and res.grid_shape == ()
    np.testing.assert_allclose(res["gap"], [direct.gap], rtol=1e-12)
    assert res.to_frame().shape[0] == 1 and pickle.loads(pickle.dumps(res)) == res
    # a function of scalars: its scalar outputs are the scenario's (they were dropped)
    assert (
        bd.study(quadratic, {"x": 3.0, "y": 1.0}).outputs.keys()
        == bd.study(quadratic, {"x": [3.0], "y": 1.0}).outputs.keys()
    )
    single = bd.study(distance, {"x": 3.0, "y": 4.0})
    np.testing.assert_allclose(single["value"], [5.0])


def test_explicit_wealth_and_ces_preferences():
    model = Alliance(bd.nash, bd.CES)
    params = {"w_0": (1.0, 2.0), "w_1": [0.5, 1.0], "a": 0.4, "rho": (-0.5, 0.5)}
    res = bd.study(model, params, n=3, outputs=["G", "g"])
    assert res.size == 18
    direct = bd.nash(np.column_stack([res["w_0"], res["w_1"]]), bd.CES(0.4, res["rho"][:, None]))
    np.testing.assert_allclose(res["G"], direct.G, rtol=1e-12)
    np.testing.assert_allclose(res["g"], direct.g, rtol=1e-12)


def test_wealth_from_another_distribution():
    pareto = stats.pareto(3.0)
    model = Alliance(bd.nash, wealth=pareto)
    res = bd.study(model, {"n": [4, 6], "a": 0.4, "w": 2.0}, outputs=["G", "g[0]"])
    for k, n in enumerate(res["n"]):
        eq = bd.nash(2.0 * pareto.ppf(1.0 - (np.arange(n) + 0.5) / n), bd.CobbDouglas(0.4))
        np.testing.assert_allclose([res["G"][k], res["g[0]"][k]], [eq.G, eq.g[0]], rtol=1e-12)
    with pytest.raises(ValueError, match="no use with Alliance"):
        bd.study(model, {"n": 4, "a": 0.4, "sigma": 1.0})
    with pytest.raises(TypeError, match="`wealth` must be"):
        Alliance(bd.nash, wealth=3.0)


def test_default_outputs_are_the_per_scenario_fields():
    res = bd.study(bd.free_riding, {"n": [2, 4], "a": 0.5})
    assert list(res.outputs) == [
        "G_nash",
        "G_optimum",
        "gap",
        "ratio",
        "welfare_loss_total",
        "samuelson_residual",
    ]
    np.testing.assert_allclose(res["ratio"], [2 / 3, 2 / 5])  # 2/(n+1) for a = 1/2 (derived)


def test_nested_outputs():
    res = bd.study(
        bd.free_riding, {"n": 3, "a": [0.3, 0.6]}, outputs=["nash.G", "optimum.G", "free_riders.mean"]
    )
    np.testing.assert_allclose(res["optimum.G"], 3 * res["a"])  # Lindahl: sum of a w (derived)


def test_function_of_arrays_and_its_status():
    res = bd.study(quadratic, {"x": [-1.0, 0.0, 4.0], "y": (0.0, 1.0)}, n=2)
    np.testing.assert_array_equal(res["sum"], [-1.0, 0.0, 0.0, 1.0, 4.0, 5.0])
    np.testing.assert_array_equal(res.status, [bd.Status.NOT_FINITE] * 2 + [bd.Status.SUCCESS] * 4)
    array_valued = bd.study(distance, {"x": [3.0], "y": [4.0]})
    np.testing.assert_array_equal(array_valued["value"], [5.0])


@pytest.mark.parametrize("sampler", ["grid", "random", "sobol", "latin_hypercube"])
def test_results_do_not_depend_on_chunk_size_or_threads(sampler):
    kwargs = {"sampler": sampler, "n": 8 if sampler == "grid" else 512, "rng": 7, "outputs": ["G", "g.max"]}
    params = {"n": [2, 5], "a": (0.2, 0.8), "sigma": (0.0, 1.0)}
    reference = bd.study(bd.nash, params, **kwargs)
    for chunk_size, workers in [(1, 1), (100, 2), (10**6, 1)]:
        assert bd.study(bd.nash, params, chunk_size=chunk_size, workers=workers, **kwargs) == reference


def test_grid_shape_reshapes_outputs():
    res = bd.study(bd.nash, {"n": [2, 3], "a": (0.2, 0.8)}, n=4, outputs=["G"])
    assert res.grid_shape == (2, 4)
    G = res["G"].reshape(res.grid_shape)
    np.testing.assert_allclose(
        G[1], bd.nash(np.ones((4, 3)), bd.CobbDouglas(np.linspace(0.2, 0.8, 4)[:, None])).G
    )


def test_streamed_saved_and_pickled_studies_are_equal(tmp_path):
    kwargs = {"sampler": "random", "n": 300, "rng": 3, "outputs": ["G", "g"], "chunk_size": 128}
    params = {"n": 4, "a": (0.2, 0.8)}
    res = bd.study(bd.nash, params, **kwargs)
    streamed = bd.study(bd.nash, params, path=tmp_path / "run", **kwargs)
    assert isinstance(streamed["G"], np.memmap) and streamed.path == str(tmp_path / "run")
    assert streamed == res
    for name in ("s.parquet", "s.npz"):
        assert load_study(res.save(tmp_path / name)) == res
    assert load_study(tmp_path / "run", mmap=False) == res
    assert pickle.loads(pickle.dumps(res)) == res
    frame = res.to_frame()
    assert list(frame.columns[:3]) == ["a", "G", "g[0]"] and len(frame) == 300
    with pytest.raises(ValueError, match="new or empty directory"):
        bd.study(bd.nash, params, path=tmp_path / "run", **kwargs)


def test_binned_summary_matches_a_group_by():
    res = bd.study(
        bd.free_riding, {"n": [2, 3, 9], "a": (0.1, 0.9)}, sampler="random", n=600, rng=5, outputs=["gap"]
    )
    by_n = res.binned("gap", by="n", quantiles=[0.5])
    frame = res.to_frame()
    np.testing.assert_allclose(by_n.mean, frame.groupby("n")["gap"].mean().to_numpy())
    np.testing.assert_allclose(by_n.quantiles[:, 0], frame.groupby("n")["gap"].median().to_numpy())
    by_a = res.binned("gap", by="a", bins=4)
    assert by_a.count.sum() == 600 and by_a.low[0] == res["a"].min() and by_a.high[-1] == res["a"].max()


def test_results_are_read_only():
    res = bd.study(bd.nash, {"n": 2, "a": [0.5]}, outputs=["G"])
    with pytest.raises(ValueError, match="read-only"):
        res["G"][0] = 1.0
    assert isinstance(res, StudyResult) and len(res) == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"chunk_size": 0}, ValueError, "`chunk_size` must be a positive integer"),
        ({"backend": "spark"}, ValueError, "`backend` must be"),
        ({"client": "tcp://127.0.0.1:1"}, ValueError, "`client` is only used"),
        ({"outputs": "G"}, TypeError, "`outputs` must be a list"),
        ({"outputs": ["H"]}, ValueError, "unknown output 'H'"),
        ({"outputs": ["G.sum"]}, ValueError, "no member axis"),
        ({"outputs": ["g"]}, ValueError, "reduce it"),
        ({"workers": 0}, ValueError, "`workers` must be"),
        ({"progress": "yes"}, TypeError, "`progress`"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        bd.study(bd.nash, {"n": [2, 3], "a": 0.5}, **kwargs)


@pytest.mark.parametrize(
    ("solver", "params", "match"),
    [
        (bd.nash, {"n": 2, "a": 0.5, "beta": 1.0}, r"`params\['beta'\]` is not used"),
        (bd.nash, {"a": 0.5}, "needs the alliance size"),
        (bd.nash, {"n": 2}, "parameter 'a'"),
        (bd.nash, {"w_0": 1.0, "w_2": 1.0, "a": 0.5}, "must be w_0, w_1"),
        (bd.nash, {"w_0": 1.0, "n": 2, "a": 0.5}, "cannot be combined with explicit wealth"),
        (bd.nash, {"n": [0, 2], "a": 0.5}, "at least 1"),
        (bd.nash, {"n": [1.5, 2], "a": 0.5}, "integer values"),
        (quadratic, {"x": 1.0, "z": [1.0]}, "do not fit the solver quadratic"),
        (42, {"x": [1.0]}, "`solver` must be"),
    ],
)
def test_bad_params_for_the_solver(solver, params, match):
    with pytest.raises((ValueError, TypeError), match=match):
        bd.study(solver, params)


def test_bad_alliance_arguments():
    with pytest.raises(TypeError, match="`prefs` must be"):
        Alliance(bd.nash, object)
    with pytest.raises(ValueError, match="`n` must be"):
        Alliance(bd.nash, n=0)


def test_sobol_sample_not_a_power_of_2_warns():
    with pytest.warns(StudyWarning, match="power of 2"):
        bd.study(bd.nash, {"n": 2, "a": (0.2, 0.8)}, sampler="sobol", n=10, outputs=["G"])


def test_dask_local_cluster_equals_numpy():
    pytest.importorskip("distributed")
    kwargs = {"sampler": "random", "n": 3000, "rng": 11, "outputs": ["G", "g[0]"], "chunk_size": 500}
    params = {"n": [2, 10], "a": (0.2, 0.8), "sigma": (0.0, 1.0)}
    numpy_result = bd.study(bd.nash, params, **kwargs)
    # client=None: a two-worker LocalCluster of processes on loopback, started and closed here
    dask_result = bd.study(bd.nash, params, backend="dask", workers=2, **kwargs)
    assert dask_result == numpy_result


def test_dask_rejects_a_bad_client():
    pytest.importorskip("distributed")
    with pytest.raises(TypeError, match="`client` must be"):
        bd.study(bd.nash, {"n": 2, "a": [0.5]}, backend="dask", client=3.0)


def test_dask_with_a_client_or_a_scheduler_address():
    distributed = pytest.importorskip("distributed")
    kwargs = {"sampler": "sobol", "n": 1024, "rng": 4, "outputs": ["G"], "chunk_size": 300}
    params = {"n": 4, "a": (0.2, 0.8), "w": (1.0, 2.0)}
    reference = bd.study(bd.nash, params, **kwargs)
    # threads, not processes: starts in a second; the worker processes are tested above
    with (
        distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert bd.study(bd.nash, params, backend="dask", client=client, **kwargs) == reference
        assert (
            bd.study(bd.nash, params, backend="dask", client=cluster.scheduler_address, **kwargs) == reference
        )
        assert client.status == "running"  # a client passed in is left open
