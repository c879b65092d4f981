"""Spending floors: best responses under the floor, the zero-floor and all-bound limits, bad input."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import burden as bd

PREFS = [
    bd.CobbDouglas([0.3, 0.5, 0.6, 0.4]),
    bd.CES([0.4, 0.5, 0.6, 0.5], -1.5),
    bd.StoneGeary(0.5, 2.0, 1.0),
]


def constrained_best_response(prefs, w, g, i, floor, p=1.0, G0=0.0):
    """Member i's utility-maximising contribution on [floor_i, w_i/p], others fixed (independent)."""
    n = w.size
    others = G0 + g.sum() - g[i]

    def minus_u(gi):
        with np.errstate(all="ignore"):
            u = float(
                np.broadcast_to(prefs.utility(np.full(n, w[i] - p * gi), np.full(n, gi + others)), (n,))[i]
            )
        return -u if np.isfinite(u) else 1e300  # below subsistence: worse than anything feasible

    lo, hi = floor[i], w[i] / p * (1 - 1e-12)
    res = minimize_scalar(minus_u, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12 * w[i]})
    return min((res.x, lo), key=minus_u)


@pytest.mark.parametrize("prefs", PREFS, ids=["cobb-douglas", "ces", "stone-geary"])
def test_every_member_best_responds_subject_to_its_floor(prefs, rng):
    for _ in range(5):
        w = rng.lognormal(3.0, 0.8, 4)
        s = rng.uniform(0.0, 0.4, 4)
        out = bd.pledged_nash(w, prefs, s)
        assert out.success
        assert np.all(out.g >= out.floor * (1 - 1e-12))
        for i in range(4):
            best = constrained_best_response(prefs, w, out.g, i, s * w)
            np.testing.assert_allclose(out.g[i], best, rtol=1e-6, atol=1e-7 * w.max())
        np.testing.assert_allclose(out.G, out.g.sum(), rtol=1e-13)
        np.testing.assert_array_equal(out.bound | out.exceeds | (s == 0), True)


def test_zero_floors_are_plain_nash(rng):
    w = rng.lognormal(3.0, 1.0, (20, 6))
    prefs = bd.CES(0.5, 0.3)
    out, plain = bd.pledged_nash(w, prefs, 0.0, G0=5.0), bd.nash(w, prefs, G0=5.0)
    np.testing.assert_array_equal(out.g, plain.g)
    np.testing.assert_array_equal(out.G, plain.G)
    assert not out.bound.any()
    np.testing.assert_array_equal(out.exceeds, plain.contributors)
    np.testing.assert_array_equal(out.added, 0.0)


def test_high_floors_bind_everyone(rng):
    w = rng.lognormal(3.0, 1.0, (10, 5))
    out = bd.pledged_nash(w, bd.CobbDouglas(0.5), 0.9)
    assert out.bound.all() and not out.exceeds.any()
    np.testing.assert_allclose(out.g, 0.9 * w)


def test_pledge_adds_provision_and_stays_below_lindahl(rng):
    w = rng.lognormal(3.0, 1.0, (50, 8))
    out = bd.pledged_nash(w, bd.CobbDouglas(0.4), 0.02, p=1.5)
    assert np.all(out.added >= -1e-12 * out.G)
    assert np.all(out.comparison_status >= 0)
    # a small floor cannot push Cobb–Douglas provision past the Lindahl level here
    assert np.all(out.gap_to_lindahl > 0)


def test_batch_matches_loop(batch_matches_loop, batch_shape, rng):
    w = rng.lognormal(3.0, 0.7, (*batch_shape, 5))
    s = rng.uniform(0.0, 0.3, (*batch_shape, 5))
    batch_matches_loop(
        lambda w, s: bd.pledged_nash(w, bd.CobbDouglas(0.5), s), {"w": w, "s": s}, {"w": 1, "s": 1}
    )


def test_pickles_with_lazy_comparisons():
    import pickle

    out = bd.pledged_nash([100.0, 40.0], bd.CobbDouglas(0.5), [0.0, 0.3])
    again = pickle.loads(pickle.dumps(out))
    assert again == out and again.G_nash == 50.0


@pytest.mark.parametrize(
    ("floor", "error", "match"),
    [
        (1.0, ValueError, r"`floor` must lie in \[0, 1\)"),
        (-0.1, ValueError, r"`floor` must lie in \[0, 1\)"),
        (np.nan, ValueError, "`floor` must be finite"),
        ([0.1, 0.2, 0.3], ValueError, "`floor`"),
        ("2%", TypeError, "`floor`"),
    ],
)
def test_bad_floors(floor, error, match):
    with pytest.raises(error, match=match):
        bd.pledged_nash([100.0, 40.0], bd.CobbDouglas(0.5), floor)
