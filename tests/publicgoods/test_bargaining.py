"""Nash bargaining: on the Pareto frontier, above the threat point, the Nash product maximal
against an independent constrained optimisation, symmetry, the closed-form split against the
numeric one, bad input."""

import numpy as np
import pytest
from scipy.optimize import minimize

import burden as bd


class HandCobbDouglas(bd.Preferences):
    """Cobb–Douglas a = 0.5 by hand: the numeric split (no closed form)."""

    def utility(self, x, G):
        return 0.5 * np.log(x) + 0.5 * np.log(G)

    def mrs(self, x, G):
        return np.asarray(x) / np.asarray(G)


def nash_product(prefs, beta, d, x, G):
    with np.errstate(all="ignore"):
        surplus = np.broadcast_to(prefs.utility(x, G), x.shape) - d
    return np.sum(beta * np.log(surplus)) if np.all(surplus > 0) else -np.inf


def independent_bargain(w, prefs, beta, d, start_x, start_G, rng, p=1.0):
    """Maximise Σ beta ln(u - d) over (x, G) with Σ x + p G = Σ w by SLSQP.

    The start is a feasible point away from ``(start_x, start_G)`` (a random move within the
    budget plane, halved until every member is above its threat): the Nash product is strictly
    concave, so a start off the optimum that SLSQP cannot improve on certifies it.
    """
    n, total = w.size, w.sum()
    direction = rng.normal(size=n + 1)
    direction -= (direction[:n].sum() + p * direction[n]) / (n + p * p) * np.append(np.ones(n), p)
    step = 0.05 * start_G / np.abs(direction).max()
    start = np.append(start_x, start_G) + step * direction
    while not np.isfinite(nash_product(prefs, beta, d, start[:n], start[n])):
        step /= 2
        start = np.append(start_x, start_G) + step * direction

    def objective(z):
        value = nash_product(prefs, beta, d, z[:n], z[n])
        return -value if np.isfinite(value) else 1e6

    res = minimize(
        objective,
        start,
        method="SLSQP",
        constraints=[{"type": "eq", "fun": lambda z: z[:n].sum() + p * z[n] - total}],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    return res.x[:n], res.x[n], -res.fun


@pytest.mark.parametrize(
    "prefs", [bd.CobbDouglas([0.4, 0.5, 0.6]), bd.CES(0.5, -0.5), bd.StoneGeary(0.5, 2.0, 1.0)], ids=str
)
@pytest.mark.parametrize("threat", ["nash", "standalone"])
def test_bargain_is_efficient_above_the_threat_and_maximal(prefs, threat, rng):
    for _ in range(3):
        w = rng.lognormal(3.0, 0.5, 3)
        beta = rng.uniform(0.5, 2.0, 3)
        deal = bd.bargain(w, prefs, threat=threat, weights=beta)
        assert deal.success, deal.status
        assert abs(deal.samuelson_residual) <= 1e-7
        assert np.all(deal.gain >= 0)
        np.testing.assert_allclose(deal.payments.sum(), deal.G, rtol=1e-10)
        _, G, best = independent_bargain(w, prefs, deal.weights, deal.threat, deal.x, deal.G, rng)
        ours = nash_product(prefs, deal.weights, deal.threat, deal.x, deal.G)
        assert ours >= best - 1e-9 * abs(best)
        np.testing.assert_allclose(deal.G, G, rtol=1e-4)


def test_symmetric_members_get_symmetric_outcomes():
    deal = bd.bargain([[50.0] * 4, [80.0] * 4], bd.CES(0.4, 0.5))
    np.testing.assert_allclose(deal.payments, deal.payments[..., :1] * np.ones(4), rtol=1e-10)
    np.testing.assert_allclose(deal.gain, deal.gain[..., :1] * np.ones(4), rtol=1e-8)


def test_closed_form_split_equals_the_numeric_one(rng):
    w = rng.lognormal(3.0, 0.5, (2, 3))
    beta = rng.uniform(0.1, 1.0, (2, 3))
    fast, slow = (
        bd.bargain(w, bd.CobbDouglas(0.5), weights=beta),
        bd.bargain(w, HandCobbDouglas(), weights=beta),
    )
    np.testing.assert_allclose(fast.G, slow.G, rtol=1e-8)
    np.testing.assert_allclose(fast.x, slow.x, rtol=1e-7)


def test_more_power_more_gain():
    deal = bd.bargain([100.0, 60.0, 20.0], bd.CobbDouglas(0.5))
    assert np.all(deal.power_sensitivity > 0)


def test_threat_on_the_frontier_is_its_own_bargain():
    deal = bd.bargain([100.0], bd.CobbDouglas(0.5))  # one member: Nash is efficient
    assert deal.success and deal.gain == 0.0 and deal.G == pytest.approx(50.0)


def test_infeasible_threat_is_reported():
    deal = bd.bargain([100.0, 80.0], bd.CobbDouglas(0.5), threat=[10.0, 10.0])
    assert deal.status == bd.Status.INFEASIBLE


def test_batch_matches_loop(batch_matches_loop, batch_shape, rng):
    w = rng.lognormal(3.0, 0.4, (*batch_shape, 3))
    batch_matches_loop(lambda w: bd.bargain(w, bd.CobbDouglas(0.5)), {"w": w}, {"w": 1}, rtol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"weights": [-1.0, 2.0]}, ValueError, "`weights` must"),
        ({"weights": [0.0, 0.0]}, ValueError, "not all be zero"),
        ({"weights": [1.0, 1.0, 1.0]}, ValueError, "must broadcast"),
        ({"threat": "war"}, ValueError, "`threat` must be"),
        ({"threat": [1.0, np.nan]}, ValueError, "`threat` must be finite"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        bd.bargain([100.0, 80.0], bd.CobbDouglas(0.5), **kwargs)
