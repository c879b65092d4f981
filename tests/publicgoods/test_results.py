"""The public-goods result classes: one per function, same field names in every model, pickling."""

import copy
import pickle

import numpy as np
import pytest

import burden as bd


def make_result(kind):
    w = np.array([[100.0, 80.0, 20.0], [50.0, 40.0, 30.0]])
    cd = bd.CobbDouglas(0.5)
    return {
        "nash": lambda: bd.nash(w, cd),
        "nash_spillover": lambda: bd.nash(w, cd, spillover=0.5),
        "nash_matrix": lambda: bd.nash(w, cd, spillover=np.full((3, 3), 0.3)),
        "nash_joint": lambda: bd.nash(w, bd.JointProduct(0.3, 0.2)),
        "lindahl": lambda: bd.lindahl(w, bd.CES(0.5, -0.5)),
        "joint_optimum": lambda: bd.joint_optimum(w[0], cd, spillover=0.5),
        "free_riding": lambda: bd.free_riding(w, cd),
        "free_riding_impure": lambda: bd.free_riding(w[0], bd.JointProduct(0.3, 0.1)),
        "group_size_effect": lambda: bd.group_size_effect(1.0, cd, n_max=3),
    }[kind]()


KINDS = [
    "nash",
    "nash_spillover",
    "nash_matrix",
    "nash_joint",
    "lindahl",
    "joint_optimum",
    "free_riding",
    "free_riding_impure",
    "group_size_effect",
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_result_pickles_and_compares(kind):
    result = make_result(kind)
    copy = pickle.loads(pickle.dumps(result))
    assert copy == result and type(copy) is type(result)
    assert (copy.success == result.success).all()
    if hasattr(result, "utility"):
        np.testing.assert_array_equal(copy.utility, result.utility)


def test_results_travel_between_processes(process_pool):
    results = [make_result(kind) for kind in KINDS]
    # unpickled, copied and pickled again in a worker process
    for kind, result, back in zip(KINDS, results, process_pool.map(copy.deepcopy, results), strict=True):
        assert back == result, kind
    # and solved there
    w = np.array([[100.0, 80.0, 20.0], [50.0, 40.0, 30.0]])
    assert process_pool.submit(bd.nash, w, bd.CobbDouglas(0.5), spillover=0.5).result() == make_result(
        "nash_spillover"
    )


SAME_FIELDS = ("g", "G", "Q", "x", "contributors", "dropout", "indeterminate", "residual", "status")


@pytest.mark.parametrize(
    "prefs", [bd.CobbDouglas([0.3, 0.5, 0.6]), bd.CES(0.4, -0.5), bd.StoneGeary(0.5, 1.0, 2.0)]
)
def test_one_result_type_and_spillover_one_is_the_pure_good_field_for_field(prefs, rng):
    w = rng.lognormal(2, 1, (20, 3))
    G0 = rng.uniform(0, 5, 20)
    pure = bd.nash(w, prefs, p=1.5, G0=G0)
    one = bd.nash(w, prefs, p=1.5, G0=G0, spillover=1.0)
    assert type(one) is type(pure) is bd.NashEquilibrium
    assert one == pure
    for name in SAME_FIELDS:
        np.testing.assert_array_equal(getattr(one, name), getattr(pure, name))
    np.testing.assert_array_equal(one.utility, pure.utility)


def test_field_names_mean_the_same_thing_in_every_model(rng):
    w = rng.lognormal(0, 1, (5, 4))
    G0 = 0.7
    theta = rng.uniform(0, 1, (5, 4, 4))
    for eq in (
        bd.nash(w, bd.CobbDouglas(0.4), G0=G0),
        bd.nash(w, bd.CobbDouglas(0.4), G0=G0, spillover=0.6),
        bd.nash(w, bd.CobbDouglas(0.4), G0=G0, spillover=theta),
        bd.nash(w, bd.JointProduct(0.3, 0.2), G0=G0, spillover=0.6),
    ):
        np.testing.assert_allclose(eq.G, G0 + eq.g.sum(-1), rtol=1e-12)  # the alliance total
        np.testing.assert_allclose(eq.x, w - eq.g, rtol=1e-9, atol=1e-12)
        assert (eq.Q >= eq.g + G0 - 1e-12).all()  # what each enjoys includes its own and G0
    fr_pure = bd.free_riding(w, bd.CobbDouglas(0.4), G0=G0)
    fr_impure = bd.free_riding(w[:2], bd.CobbDouglas(0.4), G0=G0, spillover=0.6)
    assert type(fr_pure) is type(fr_impure) is bd.FreeRiding
    assert isinstance(fr_pure.optimum, bd.Optimum) and isinstance(fr_impure.optimum, bd.Optimum)
    assert set(vars(fr_pure)) == set(vars(fr_impure))
