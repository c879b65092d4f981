"""Absent members: NaN wealth in a batch marks a member missing from that scenario."""

import numpy as np
import pytest

import burden as bd

nan = np.nan


@pytest.mark.parametrize(
    ("prefs", "kwargs"),
    [
        (bd.CobbDouglas([0.5, 0.4, 0.6]), {}),
        (bd.CES(0.4, -0.5), {"G0": 3.0}),
        (bd.QuasiLinear([30.0, 20.0, 25.0]), {}),
        (bd.CobbDouglas(0.5), {"spillover": 0.5}),
        (bd.CobbDouglas(0.5), {"spillover": np.array([[0, 0.2, 0.5], [0.2, 0, 0.9], [0.5, 0.9, 0]])}),
        (bd.JointProduct(0.3, 0.2), {}),
    ],
)
def test_nash_solves_each_scenario_without_its_absent_members(prefs, kwargs, rng):
    w = rng.uniform(10.0, 100.0, (6, 3))
    w[1, 0] = w[2, 2] = w[3, :2] = w[4, :] = nan
    eq = bd.nash(w, prefs, **kwargs)
    assert eq.batch_shape == (6,) and (eq.status == 0).all()
    for k in range(6):
        cols = np.flatnonzero(~np.isnan(w[k]))
        assert np.isnan(eq.g[k][np.isnan(w[k])]).all() and not eq.contributors[k][np.isnan(w[k])].any()
        G0 = kwargs.get("G0", 0.0)
        if cols.size == 0:
            assert eq.G[k] == G0
            continue
        one_prefs = {
            "CobbDouglas": lambda cols=cols: bd.CobbDouglas(np.broadcast_to(prefs.a, (3,))[cols]),
            "CES": lambda: bd.CES(prefs.a, prefs.rho),
            "QuasiLinear": lambda cols=cols: bd.QuasiLinear(prefs.b[cols]),
            "JointProduct": lambda: bd.JointProduct(prefs.a, prefs.b),
        }[type(prefs).__name__]()
        spill = kwargs.get("spillover")
        if spill is not None and np.ndim(spill) == 2:
            spill = spill[np.ix_(cols, cols)]
        alone = bd.nash(w[k, cols], one_prefs, G0=G0, spillover=spill)
        np.testing.assert_allclose(eq.g[k, cols], alone.g, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(eq.G[k], alone.G, rtol=1e-12)


def test_lindahl_and_free_riding_skip_absent_members():
    w = np.array([[100.0, nan, 80.0], [100.0, 80.0, nan], [nan, nan, nan]])
    opt = bd.lindahl(w, bd.CobbDouglas(0.5))
    np.testing.assert_allclose(opt.G, [90.0, 90.0, 0.0])
    np.testing.assert_allclose(opt.tau[0], [5 / 9, nan, 4 / 9])
    fr = bd.free_riding(w, bd.CobbDouglas(0.5))
    np.testing.assert_allclose(fr.G_nash, [60.0, 60.0, 0.0])
    np.testing.assert_allclose(fr.exploitation[1], [1.2, 0.75, nan])
    assert not fr.free_riders[0, 1] and not fr.contributors[0, 1]  # absent: neither
    np.testing.assert_allclose(fr.welfare_loss_total[:2], 15.0)
    assert (fr.status == 0).all()


def test_group_size_effect_with_an_empty_scenario():
    effect = bd.group_size_effect([1.0, nan], bd.CobbDouglas(0.5), n_max=3, G0=0.2)
    np.testing.assert_allclose(effect.G_nash[1], 0.2)
    assert (effect.status == 0).all()


def test_absent_members_with_an_impure_reference_are_refused():
    with pytest.raises(ValueError, match="absent members"):
        bd.free_riding([100.0, nan, 80.0], bd.CobbDouglas(0.5), spillover=0.5)


def test_infinite_wealth_is_still_an_error():
    with pytest.raises(ValueError, match=r"`w` must be finite; w\[1\]"):
        bd.nash([100.0, np.inf, nan], bd.CobbDouglas(0.5))
