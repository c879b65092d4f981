"""Cost-sharing rules: payments add up, Lindahl shares reproduce `lindahl`, ideal points and the
utilitarian choice against independent maximisation, participation, bad input."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import burden as bd

PREFS = [bd.CobbDouglas([0.3, 0.5, 0.6]), bd.CES([0.4, 0.5, 0.6], -0.8)]


class HandCobbDouglas(bd.Preferences):
    """Cobb–Douglas a = 0.5 written by hand: the numeric paths, no closed form."""

    def utility(self, x, G):
        return 0.5 * np.log(x) + 0.5 * np.log(G)

    def mrs(self, x, G):
        return np.asarray(x) / np.asarray(G)


def member_u(prefs, n, i, x, G):
    with np.errstate(all="ignore"):
        u = float(np.broadcast_to(prefs.utility(np.full(n, x), np.full(n, G)), (n,))[i])
    return u if np.isfinite(u) else -1e300


@pytest.mark.parametrize("rule", ["income", "equal", "lindahl", [0.5, 0.3, 0.2]])
@pytest.mark.parametrize("choice", ["median", "utilitarian"])
def test_payments_add_up(rule, choice, rng):
    w = rng.lognormal(3.0, 0.3, (20, 3))
    out = bd.cost_sharing(w, bd.CobbDouglas(0.5), rule, p=2.0, G0=3.0, choice=choice)
    np.testing.assert_allclose(out.payments.sum(-1), 2.0 * (out.G - 3.0), rtol=1e-12)
    np.testing.assert_allclose(out.shares.sum(-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(out.x, w - out.payments)


@pytest.mark.parametrize("prefs", PREFS, ids=["cobb-douglas", "ces"])
def test_lindahl_shares_reproduce_lindahl(prefs, rng):
    w = rng.lognormal(3.0, 0.5, (10, 3))
    out, opt = bd.cost_sharing(w, prefs, "lindahl"), bd.lindahl(w, prefs)
    np.testing.assert_array_equal(out.G, opt.G)
    np.testing.assert_array_equal(out.shares, opt.tau)
    assert out.choice == "unanimous" and out.success.all()


@pytest.mark.parametrize("prefs", [*PREFS, HandCobbDouglas()], ids=["cobb-douglas", "ces", "by-hand"])
def test_ideal_points_maximise_utility_under_the_share(prefs, rng):
    w = rng.lognormal(3.0, 0.3, 3)
    out = bd.cost_sharing(w, prefs, "equal", G0=1.0)
    for i in range(3):
        t = out.shares[i]
        best = minimize_scalar(
            lambda G, i=i, t=t: -member_u(prefs, 3, i, w[i] - t * (G - 1.0), G),
            bounds=(1.0, 1.0 + w[i] / t),
            method="bounded",
            options={"xatol": 1e-10},
        ).x
        np.testing.assert_allclose(out.ideal[i], best, rtol=1e-6)
    assert out.G == np.median(out.ideal)


@pytest.mark.parametrize("prefs", [*PREFS, HandCobbDouglas()], ids=["cobb-douglas", "ces", "by-hand"])
def test_utilitarian_choice_maximises_the_sum(prefs, rng):
    w = rng.lognormal(3.0, 0.3, 3)
    out = bd.cost_sharing(w, prefs, "income", choice="utilitarian")
    price = out.shares

    def minus_total(G):
        return -sum(member_u(prefs, 3, i, w[i] - price[i] * G, G) for i in range(3))

    best = minimize_scalar(
        minus_total, bounds=(1e-9, np.min(w / price)), method="bounded", options={"xatol": 1e-10}
    )
    np.testing.assert_allclose(out.G, best.x, rtol=1e-6)


def test_income_shares_with_equal_weights_reach_lindahl():
    # Cobb–Douglas, equal a: each ideal total a w_i / (tau_i p) = a Σw / p, the Lindahl level (derived)
    out = bd.cost_sharing([100.0, 80.0, 20.0], bd.CobbDouglas(0.4), "income", p=2.0)
    np.testing.assert_allclose(out.ideal, 0.4 * 200.0 / 2.0)
    np.testing.assert_allclose(out.G, bd.lindahl([100.0, 80.0, 20.0], bd.CobbDouglas(0.4), p=2.0).G)


def test_participation_and_infeasible_shares():
    # equal shares: the poor member cannot pay a third of what the median member wants
    out = bd.cost_sharing([100.0, 80.0, 20.0], bd.CobbDouglas(0.5), "equal")
    assert out.status == bd.Status.INFEASIBLE and not out.success
    # given shares that overburden member 0: it would rather return to the Nash outcome
    out = bd.cost_sharing([100.0, 80.0], bd.CobbDouglas(0.5), [0.7, 0.3])
    np.testing.assert_array_equal(out.prefers_nash, [True, False])


def test_a_member_who_pays_nothing_wants_everything():
    out = bd.cost_sharing([100.0, 80.0, 50.0], bd.CobbDouglas(0.5), [0.6, 0.4, 0.0])
    assert out.ideal[2] == np.inf and np.isfinite(out.G)


def test_batch_matches_loop(batch_matches_loop, batch_shape, rng):
    w = rng.lognormal(3.0, 0.3, (*batch_shape, 3))
    batch_matches_loop(lambda w: bd.cost_sharing(w, bd.CES(0.5, 0.4), "equal"), {"w": w}, {"w": 1})


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"rule": "gdp"}, ValueError, "`rule` must be one of"),
        ({"rule": [0.5, 0.6]}, ValueError, "sum to 1"),
        ({"rule": [1.2, -0.2]}, ValueError, "`rule` must lie in"),
        ({"rule": [0.5, 0.3, 0.2]}, ValueError, "must broadcast"),
        ({"choice": "dictator"}, ValueError, "`choice` must be one of"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        bd.cost_sharing([100.0, 80.0], bd.CobbDouglas(0.5), **kwargs)
