"""Adversarial regression cases for burden.security: each class of defect found, several instances.

A class is kept here once it has been seen: wrong index types, spurious roots from cancellation,
infinite CLI bounds, uncertified answers, payoffs at the edges of floating point, aliased
parameters. Every case checks the behaviour against an independent truth (a closed form, the
unscaled game, or the rule the documentation states).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats

from burden import DegenerateGameWarning, MultipleEquilibriaWarning, NotPMatrixWarning, Status
from burden.security import CommitmentGame, MultilateralCommitmentGame, tradeoff, trust_cutoffs

BAD_INDICES = [0.0, 1.0, True, False, np.float64(0.0), np.bool_(True), "0", None, 1j]


def dyads(rng, n):
    return {
        "pi": rng.uniform(0.05, 1, (n, 2)),
        "d": rng.uniform(0.05, 3, (n, 2)),
        "e": rng.uniform(0.05, 3, (n, 2)),
        "s": rng.uniform(0, 0.95, (n, 2)),
        "m": rng.uniform(0.05, 2, (n, 2)),
        "kappa": rng.uniform(0, 1, (n, 2)),
        "deterrence": rng.uniform(-1, 3, (n, 2)),
        "spiral": rng.uniform(0, 0.3, (n, 2)),
        "k": rng.uniform(0.05, 1, (n, 2)),
        "realign": rng.uniform(0, 1.5, n),
    }


# -- float or bool indices are type errors, never silently accepted or an IndexError ---------------


@pytest.mark.parametrize("ally", BAD_INDICES, ids=repr)
def test_dyadic_best_response_rejects_non_integer_allies(ally):
    with pytest.raises(TypeError, match="`ally` must be an integer index"):
        CommitmentGame(pi=0.5, d=1.0, e=1.0, k=1.0).best_response(ally, 0.5)


@pytest.mark.parametrize("ally", BAD_INDICES, ids=repr)
def test_multilateral_best_response_rejects_non_integer_allies(ally):
    game = MultilateralCommitmentGame([0.3, 0.1, -0.1], 0.0, 0.2, 1.0)
    with pytest.raises(TypeError, match="`ally` must be an integer index"):
        game.best_response(ally, [0.0, 0.0, 0.0])


@pytest.mark.parametrize("ally", BAD_INDICES, ids=repr)
def test_tradeoff_rejects_non_integer_allies(ally):
    with pytest.raises(TypeError, match="`ally`"):
        tradeoff(CommitmentGame(pi=0.5, d=1.0, e=1.0, k=1.0), vary="d", ally=ally, values=[1.0])


@pytest.mark.parametrize("ally", [np.int8(1), np.int64(1), 1])
def test_integer_allies_of_any_integer_type_work(ally):
    game = CommitmentGame(pi=0.5, d=1.0, e=0.4, m=0.5, deterrence=0.6, realign=0.5)
    assert game.best_response(ally, 0.0) == game.best_response(1, 0.0)
    for bad in (-1, 2, np.int64(5)):
        with pytest.raises(ValueError, match="`ally`"):
            game.best_response(bad, 0.0)


# -- no spurious cutoff from a difference of large numbers -------------------------------------------

HUGE = [1e300, 1e250, 1e100, 1e50, 1e17, 1e16, 1e3, 10.0]


@pytest.mark.parametrize(
    "dist",
    [stats.uniform(0, 2), stats.uniform(-1, 4), stats.norm(1, 0.5), stats.beta(2, 3, scale=2)],
    ids=["U(0,2)", "U(-1,3)", "N(1,.5)", "beta"],
)
def test_huge_exploitation_costs_have_no_cutoff(dist):
    # A cutoff needs F(t)(1 - t) = c S(t) with S(t) >= S(1) > 0 for t < 1; F(t)(1 - t) stays
    # below 2 for these distributions, so no cost c >= 10 has one (derived).
    res = trust_cutoffs(HUGE, dist)
    np.testing.assert_array_equal(res.count, 0)
    np.testing.assert_array_equal(res.status, Status.SUCCESS)
    assert res.spiral.all()


@pytest.mark.parametrize("c", [1e-300, 1e-200, 1e-100, 1e-20, 1e-8, 0.01, 0.1])
def test_tiny_costs_match_the_closed_form(c):
    # t ~ U(0, 2): t^2 - (1 + c) t + 2c = 0 (derived), small root in a cancellation-free form.
    res = trust_cutoffs(c, stats.uniform(0, 2))
    root = np.sqrt((1 + c) ** 2 - 8 * c)
    small = 4 * c / ((1 + c) + root)
    assert res.count == 2 and res.status == Status.SUCCESS
    np.testing.assert_allclose(res.cutoffs, [small, ((1 + c) + root) / 2], rtol=1e-12)


def test_cli_refuses_infinite_or_missing_type_bounds(capsys):
    from burden.cli import main

    for argv in (
        "security trust --c 0.1 --high inf",
        "security trust --c 0.1 --high Infinity",
        "security trust --c 0.1 --low -inf",
        "security trust --c 0.1 --low nan",
        "security trust --c 0.1 --high nan",
    ):
        assert main(argv.split()) == 2, argv
        assert "must be finite" in capsys.readouterr().err


# -- every status >= 0 is certified; overflow is a failure, never a NaN with success -----------------


@pytest.mark.parametrize("exponent", [-250, -100, -12, 12, 100, 250])
def test_payoffs_at_the_edges_of_floating_point_give_the_same_equilibria(exponent, rng):
    p = dyads(rng, 400)
    scaled = dict(p)
    for name in ("d", "e", "kappa", "deterrence", "spiral", "k"):
        scaled[name] = p[name] * 10.0**exponent
    a, b = CommitmentGame(**p).equilibria(), CommitmentGame(**scaled).equilibria()
    np.testing.assert_array_equal(b.status, Status.SUCCESS)
    np.testing.assert_array_equal(b.count, a.count)
    np.testing.assert_allclose(b.c, a.c, atol=1e-9)
    np.testing.assert_allclose(b.utility, a.utility * 10.0**exponent, rtol=1e-9)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pi": 1.0, "d": 1e308, "e": 1.0, "realign": 1.0},
        {"pi": 1.0, "d": 1e308, "e": 1.0, "kappa": 1e308, "realign": 0.5},
        {"pi": 1.0, "d": 1.0, "e": 1e308, "m": 10.0, "k": 1e308},
        {"pi": 1.0, "d": 1e308, "e": 1.0, "deterrence": -1.7e308, "realign": 1.0},
    ],
)
def test_overflowing_coefficients_fail_as_not_finite(kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        eq = CommitmentGame(**kwargs).equilibria()
    assert eq.status == Status.NOT_FINITE and not eq.success
    assert eq.count == 0 and np.isnan(eq.c).all()


def test_status_zero_is_earned_across_random_and_degenerate_games(rng):
    p = dyads(rng, 2000)
    p["k"][:500] = 0.0
    p["m"][:500] = 0.0  # bang-bang allies
    p["deterrence"][500:1000] = p["pi"][500:1000, ::-1] * 0  # no deterrence: chicken-like games
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        game = CommitmentGame(**p)
        eq = game.equilibria(tol=1e-9)
    assert np.all(eq.status >= 0)
    rf = game.reduced_form()
    scale = np.maximum.reduce([np.abs(rf.alpha).max(-1), np.abs(rf.gamma).max(-1), rf.eta.max(-1)])
    # the KKT residual of every listed equilibrium is within tol of the payoff scale
    residual = np.nanmax(game.deviation_gain(eq.c), axis=(-2, -1))
    assert np.all(residual <= 1e-9 * scale)


# -- the n-ally game is scale-free and certified ------------------------------------------------------


@pytest.mark.parametrize("factor", [1e-300, 1e-100, 1e-12, 1.0, 1e12, 1e100, 1e300])
def test_multilateral_game_with_tiny_or_huge_payoffs(factor, rng):
    n = 4
    gamma = rng.uniform(-0.2, 0.2, (50, n, n)) * (1 - np.eye(n))
    eta = np.abs(gamma).sum(-1) + rng.uniform(0.1, 1, (50, n))
    alpha = rng.normal(0, 1, (50, n))
    ref = MultilateralCommitmentGame(alpha, 0.0, gamma, eta).equilibrium()
    game = MultilateralCommitmentGame(alpha * factor, 0.0, gamma * factor, eta * factor)
    eq = game.equilibrium()
    np.testing.assert_array_equal(eq.status, Status.SUCCESS)
    np.testing.assert_allclose(eq.c, ref.c, atol=1e-9)
    assert np.all(eq.residual <= 1e-9)
    np.testing.assert_allclose(eq.utility, ref.utility * factor, rtol=1e-9)
    listed = game.equilibria()
    np.testing.assert_array_equal(listed.count, 1)
    np.testing.assert_array_equal(listed.status, Status.SUCCESS)
    np.testing.assert_allclose(listed.c[:, 0], ref.c, atol=1e-9)


def test_multilateral_statuses_are_the_one_vocabulary(rng):
    # burden.lcp reports burden.Status codes, which the n-ally game passes on unchanged
    game = MultilateralCommitmentGame.from_dyadic(CommitmentGame(**dyads(rng, 200)))
    codes = {int(s) for s in Status}
    with pytest.warns(NotPMatrixWarning):  # some random dyads have several equilibria
        status = game.equilibrium().status
    assert set(np.unique(status).tolist()) <= codes


def test_from_dyadic_reports_the_dyadic_utilities(rng):
    dyad = CommitmentGame(**dyads(rng, 300))
    ours = dyad.equilibria()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MultipleEquilibriaWarning)
        theirs = MultilateralCommitmentGame.from_dyadic(dyad).equilibria()
    order = np.lexsort((theirs.c[..., 1], theirs.c[..., 0]), axis=-1)
    utility = np.take_along_axis(theirs.utility, order[..., None], axis=-2)
    k = utility.shape[-2]
    np.testing.assert_allclose(utility, ours.utility[:, :k], rtol=1e-12, atol=1e-12)


# -- parameters are owned ----------------------------------------------------------------------------


def test_games_copy_their_parameters_and_keep_them_read_only():
    d = np.array([1.0, 2.0])
    realign = np.array(0.5)
    game = CommitmentGame(pi=0.5, d=d, e=1.0, k=1.0, realign=realign)
    before = game.equilibria()
    d[0], realign[()] = 50.0, 3.0
    assert game.equilibria() == before
    np.testing.assert_array_equal(game.d, [1.0, 2.0])
    for name in ("d", "pi", "deterrence", "realign"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(game, name)[...] = 0.0
    alpha = np.array([0.3, 0.1])
    multi = MultilateralCommitmentGame(alpha, 0.0, 0.2, 1.0)
    solved = multi.equilibrium()
    alpha[0] = -5.0
    assert multi.equilibrium() == solved
    with pytest.raises(ValueError, match="read-only"):
        multi.alpha[0] = 1.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"deterrence": [0.0, 5e-324]},
        {"deterrence": [1e-310, -1e-310]},
        {"k": [5e-324, 0.0]},
        {"k": [1e-320, 1.0], "deterrence": [1.0, 1.0]},
        {"spiral": [5e-324, 5e-324]},
        {"kappa": [2e-308, 0.0], "k": [1e-315, 1e-315]},
    ],
)
def test_subnormal_coefficients_are_solved_and_certified(kwargs):
    # Payoff scales at the bottom of floating point (derived cases): a subnormal scale must not
    # overflow its reciprocal, a subnormal curvature must not turn the certificate into NaN.
    zero = {"pi": 0.0, "d": 0.0, "e": 0.0}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = CommitmentGame(**(zero | kwargs)).equilibria()
        assert eq.utility.shape == (4, 2)
    assert eq.status >= 0 and eq.count >= 1
    c = eq.c[: int(eq.count)]
    assert np.all((c >= 0) & (c <= 1))
