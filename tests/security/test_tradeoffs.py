"""Tests of the trade-off curves along one parameter of the commitment game."""

from __future__ import annotations

import numpy as np
import pytest

from burden.security import CommitmentGame, tradeoff


def on_value(curve, index):
    """The equilibria at one value (rows of the branches that exist there), sorted by (c1, c2)."""
    rows = curve.c[index]
    rows = rows[~np.isnan(rows[:, 0])]
    return rows[np.lexsort((rows[:, 1], rows[:, 0]))]


def base_game():
    return CommitmentGame(pi=0.4, d=1.0, e=0.6, s=0.3, m=0.5, kappa=0.2, k=0.8, realign=0.7)


def test_curve_equals_separate_solves():
    values = np.linspace(0.1, 4, 9)
    curve = tradeoff(base_game(), vary="d", ally=0, values=values)
    for v, value in enumerate(values):
        eq = CommitmentGame(
            pi=0.4, d=[value, 1.0], e=0.6, s=0.3, m=0.5, kappa=0.2, k=0.8, realign=0.7
        ).equilibria()
        k = int(eq.count)
        assert curve.count[v] == k
        np.testing.assert_allclose(curve.c[v, :k], eq.c[:k])
        np.testing.assert_allclose(curve.entrapment_risk[v, :k], eq.entrapment_risk[:k])


def test_realign_and_batched_games():
    game = CommitmentGame(
        pi=[[0.4, 0.4], [0.2, 0.5]], d=1.0, e=0.6, deterrence=[[0.0, 0.0], [1.5, 1.5]], k=0.3
    )
    curve = tradeoff(game, vary="realign", values=[0.0, 0.5, 1.0])
    assert curve.ally is None
    assert curve.count.shape == (2, 3)
    assert curve.c.shape[:2] == (2, 3)
    for b in range(2):
        for v, realign in enumerate([0.0, 0.5, 1.0]):
            p = {
                name: getattr(game, name)[b]
                for name in ("pi", "d", "e", "s", "m", "kappa", "deterrence", "spiral", "k")
            }
            eq = CommitmentGame(**p, realign=realign).equilibria()
            np.testing.assert_allclose(on_value(curve, (b, v)), eq.c[: int(eq.count)])


def test_abandonment_falls_as_the_partner_depends_more():
    # Snyder's trade-off seen from ally 2: ally 1's dependence raises its commitment, so ally
    # 2's abandonment risk falls and ally 1's entrapment risk rises (unique equilibria here).
    curve = tradeoff(base_game(), vary="d", ally=0, values=np.linspace(1, 5, 20))
    assert np.all(curve.count == 1)
    assert np.all(np.diff(curve.abandonment_risk[:, 0, 1]) <= 1e-12)
    assert np.all(np.diff(curve.entrapment_risk[:, 0, 0]) >= -1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"vary": "zeta"}, ValueError, "`vary`"),
        ({"ally": 2}, ValueError, "`ally`"),
        ({"values": [[1.0]]}, ValueError, "`values`"),
        ({"vary": "pi", "values": [0.5, 1.5]}, ValueError, "`pi` must lie in"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        tradeoff(base_game(), **({"vary": "d", "ally": 0, "values": [1.0]} | kwargs))
    with pytest.raises(TypeError, match="`game`"):
        tradeoff("game", values=[1.0])


def test_branches_are_continuous_where_equilibria_appear_and_vanish():
    # Derived example: as ally 1's entrapment cost e_1 grows, a low and a middle equilibrium
    # appear (e_1 = 0.05), then the high and the middle ones meet and vanish (e_1 = 1.8).
    game = CommitmentGame(pi=0.5, d=1.0, e=0.6, k=0.5, realign=0.2, deterrence=1.2)
    values = np.linspace(0, 3, 61)
    curve = tradeoff(game, vary="e", ally=0, values=values)
    counts = curve.count.tolist()
    assert counts[0] == 1 and counts[1] == 3 and counts[-1] == 1  # appear, then vanish
    assert curve.c.shape == (61, 3, 2)  # three branches: high, low, middle
    exists = ~np.isnan(curve.c[..., 0])
    for b in range(curve.c.shape[1]):
        where = np.flatnonzero(exists[:, b])
        assert np.all(np.diff(where) == 1)  # a branch that ended is never reused
        steps = np.abs(np.diff(curve.c[where, b], axis=0)).max()
        assert steps < 0.1  # grid step 0.05, slopes at most about 1: no jump
        # stability does not change along a branch here (stable, stable, unstable)
        assert len(set(curve.stable[where, b].tolist())) == 1
    # sorted slots, as a plain list of equilibria would give, jump where the high one vanishes
    sorted_slot0 = np.array([on_value(curve, v)[-1, 0] for v in range(61)])
    assert np.abs(np.diff(sorted_slot0)).max() > 0.5
    # every value's branches are exactly its equilibria
    for v, value in enumerate(values):
        eq = CommitmentGame(pi=0.5, d=1.0, e=[value, 0.6], k=0.5, realign=0.2, deterrence=1.2).equilibria()
        np.testing.assert_allclose(on_value(curve, v), eq.c[: int(eq.count)], atol=1e-12)
        assert exists[v].sum() == eq.count
        assert curve.status[v] == 0


def test_branches_follow_a_batch_of_games_independently():
    game = CommitmentGame(
        pi=0.5, d=1.0, e=[[0.6, 0.6], [0.6, 0.6]], k=0.5, realign=0.2, deterrence=[[1.2], [0.0]]
    )
    values = np.linspace(0, 3, 31)
    both = tradeoff(game, vary="e", ally=0, values=values)
    for b in range(2):
        one = tradeoff(
            CommitmentGame(pi=0.5, d=1.0, e=0.6, k=0.5, realign=0.2, deterrence=[1.2, 0.0][b]),
            vary="e",
            ally=0,
            values=values,
        )
        width = one.c.shape[-2]
        np.testing.assert_array_equal(both.c[b, :, :width], one.c)
        assert np.all(np.isnan(both.c[b, :, width:]))
        np.testing.assert_array_equal(both.stable[b, :, :width], one.stable)
        np.testing.assert_array_equal(both.utility[b, :, :width], one.utility)


def test_ally_must_be_an_integer_index():
    for bad in (0.0, True, np.float64(1.0), "0"):
        with pytest.raises(TypeError, match="`ally`"):
            tradeoff(base_game(), vary="d", ally=bad, values=[1.0])
    assert tradeoff(base_game(), vary="d", ally=np.int64(1), values=[1.0]).ally == 1
