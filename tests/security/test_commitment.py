"""Tests of the dyadic commitment game (our formalisation of Snyder 1984; docs/security.md)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from burden import DegenerateGameWarning
from burden.security import CommitmentGame

NAMES = ("pi", "d", "e", "s", "m", "kappa", "deterrence", "spiral", "k")


def random_params(rng, n, *, quadratic=True):
    """Random primitives for ``n`` games; ``quadratic`` keeps the upkeep cost k > 0 (eta > 0)."""
    size = (n, 2)
    return {
        "pi": rng.uniform(0, 1, size),
        "d": rng.uniform(0, 3, size),
        "e": rng.uniform(0, 3, size),
        "s": rng.uniform(0, 1, size),
        "m": rng.uniform(0, 2, size),
        "kappa": rng.uniform(0, 1, size),
        "deterrence": rng.normal(0, 1.5, size),
        "spiral": rng.uniform(0, 0.3, size),
        "k": rng.uniform(0.05, 1, size) if quadratic else np.zeros(size),
        "realign": rng.uniform(0, 1.5, n),
    }


# -- the reduced form ----------------------------------------------------------------------------


def test_reduced_form_matches_sympy_expansion_of_the_primitive_payoff():
    pi_i, pi_j, d, e, s, m_j, kap, D, h, k, rho, ci, cj = sp.symbols(
        "pi_i pi_j d e s m_j kappa D h k rho c_i c_j"
    )
    U = (
        -pi_i * d * (1 - cj) * (1 + rho * (1 - ci))
        - pi_j * e * (1 - s) * ci * (1 + m_j * ci)
        + kap * (cj - ci) / 2
        + D * ci * cj
        - h * ci
        - k * ci**2 / 2
    )
    poly = sp.Poly(sp.expand(U), ci, cj)
    alpha = poly.coeff_monomial(ci)
    beta = poly.coeff_monomial(cj)
    gamma = poly.coeff_monomial(ci * cj)
    eta = -2 * poly.coeff_monomial(ci**2)
    const = poly.coeff_monomial(1)
    # Nothing else: U is exactly const + alpha c_i + beta c_j + gamma c_i c_j - eta c_i^2 / 2.
    assert sp.expand(U - (const + alpha * ci + beta * cj + gamma * ci * cj - eta * ci**2 / 2)) == 0
    # the closed forms of docs/security.md.
    assert sp.simplify(alpha - (pi_i * d * rho - pi_j * e * (1 - s) - kap / 2 - h)) == 0
    assert sp.simplify(beta - (pi_i * d * (1 + rho) + kap / 2)) == 0
    assert sp.simplify(gamma - (D - pi_i * d * rho)) == 0
    assert sp.simplify(eta - (2 * pi_j * m_j * e * (1 - s) + k)) == 0

    # ...and the implementation agrees numerically with the symbolic coefficients.
    rng = np.random.default_rng(0)
    p = random_params(rng, 5)
    rf = CommitmentGame(**p).reduced_form()
    for g in range(5):
        for i in range(2):
            j = 1 - i
            subs = {
                pi_i: p["pi"][g, i],
                pi_j: p["pi"][g, j],
                d: p["d"][g, i],
                e: p["e"][g, i],
                s: p["s"][g, i],
                m_j: p["m"][g, j],
                kap: p["kappa"][g, i],
                D: p["deterrence"][g, i],
                h: p["spiral"][g, i],
                k: p["k"][g, i],
                rho: p["realign"][g],
            }
            for expr, got in ((alpha, rf.alpha), (beta, rf.beta), (gamma, rf.gamma), (eta, rf.eta)):
                assert float(expr.subs(subs)) == pytest.approx(got[g, i], rel=1e-12, abs=1e-12)


def test_payoff_is_the_reduced_form():
    rng = np.random.default_rng(1)
    game = CommitmentGame(**random_params(rng, 50))
    rf = game.reduced_form()
    c = rng.uniform(0, 1, (50, 2))
    u = game.payoff(c[:, 0], c[:, 1])
    cj = c[:, ::-1]
    expected = rf.const + rf.alpha * c + rf.beta * cj + rf.gamma * c * cj - rf.eta * c**2 / 2
    np.testing.assert_allclose(u, expected, rtol=1e-12, atol=1e-12)


# -- equilibria ----------------------------------------------------------------------------------


def test_every_equilibrium_has_no_profitable_deviation():
    rng = np.random.default_rng(2)
    for quadratic in (True, False):
        n = 400
        p = random_params(rng, n, quadratic=quadratic)
        game = CommitmentGame(**p)
        eq = game.equilibria()
        assert not eq.continuum.any()
        grid = np.linspace(0, 1, 201)
        for k in range(eq.c.shape[1]):
            ck = eq.c[:, k]
            ok = ~np.isnan(ck[:, 0])
            if not ok.any():  # a slot no game uses (the fourth serves degenerate games)
                continue
            sub = CommitmentGame(**{name: v[ok] for name, v in p.items()})
            c = ck[ok]
            u = sub.payoff(c[:, 0], c[:, 1])
            np.testing.assert_allclose(u, eq.utility[ok, k], rtol=1e-12, atol=1e-12)
            for i in range(2):
                trial = np.repeat(c[:, None, :], grid.size, axis=1)
                trial[:, :, i] = grid
                game_t = CommitmentGame(
                    **{
                        name: (v[ok][:, None] if name == "realign" else v[ok][:, None, :])
                        for name, v in p.items()
                    }
                )
                u_dev = game_t.payoff(trial[..., 0], trial[..., 1])[..., i]
                assert np.all(u_dev.max(axis=1) <= u[:, i] + 1e-9)
            assert np.nanmax(sub.deviation_gain(c)) < 1e-9


def grid_equilibria(p, n_grid=20001):
    """Independent check: fixed points of c1 -> BR1(BR2(c1)) by sign changes on a fine grid."""
    rf = CommitmentGame(**p).reduced_form()
    a, g, e = rf.alpha[:, None, :], rf.gamma[:, None, :], rf.eta[:, None, :]
    c1 = np.linspace(0, 1, n_grid)
    c2 = np.clip((a[..., 1] + g[..., 1] * c1) / e[..., 1], 0, 1)
    phi = np.clip((a[..., 0] + g[..., 0] * c2) / e[..., 0], 0, 1) - c1
    roots = []
    for row, c2_row in zip(phi, c2, strict=True):
        hit = np.flatnonzero((row[:-1] * row[1:] < 0) | (row[:-1] == 0))
        if row[-1] == 0:
            hit = np.append(hit, n_grid - 1)
        roots.append(np.column_stack([c1[hit], c2_row[hit]]))
    return roots


def test_complete_against_an_independent_grid_search():
    rng = np.random.default_rng(3)
    n = 300
    p = random_params(rng, n)
    # Make multiple equilibria common: strong joint deterrence in half the games.
    p["deterrence"][: n // 2] = rng.uniform(1, 3, (n // 2, 2))
    game = CommitmentGame(**p)
    eq = game.equilibria()
    rf = game.reduced_form()
    found = grid_equilibria(p)
    assert sum(len(f) > 1 for f in found) > 10  # the test does exercise multiplicity
    h = 1 / 20000
    for g in range(n):
        ours = eq.c[g, : eq.count[g]]
        assert len(found[g]) == eq.count[g], g
        # Grid roots sit within one spacing of c1; c2 = BR2(c1) moves by at most |gamma2/eta2| h.
        np.testing.assert_allclose(found[g][:, 0], ours[:, 0], atol=2 * h)
        slope = abs(rf.gamma[g, 1] / rf.eta[g, 1])
        np.testing.assert_allclose(found[g][:, 1], ours[:, 1], atol=2 * h * max(1.0, slope))


def test_batched_call_equals_loop_of_scalar_calls():
    rng = np.random.default_rng(4)
    for shape in [(), (12,), (3, 4), (3, 2, 2)]:
        n = int(np.prod(shape))
        flat = random_params(rng, n)
        flat["deterrence"][: n // 2 + 1] = rng.uniform(1, 3, (n // 2 + 1, 2))
        p = {name: v.reshape((*shape, *v.shape[1:])) for name, v in flat.items()}
        eq = CommitmentGame(**p).equilibria()
        assert eq.count.shape == shape and eq.c.shape[:-2] == shape
        for idx in np.ndindex(*shape):
            one = CommitmentGame(**{name: v[idx] for name, v in p.items()}).equilibria()
            k = int(one.count)
            assert eq.count[idx] == k
            np.testing.assert_allclose(eq.c[idx][:k], one.c[:k], rtol=1e-12, atol=1e-14)
            np.testing.assert_array_equal(eq.stable[idx][:k], one.stable[:k])
            np.testing.assert_allclose(eq.utility[idx][:k], one.utility[:k], rtol=1e-12)


def test_assurance_example_and_its_stability():
    # Derived example: symmetric allies valuing joint deterrence (a stag hunt).
    game = CommitmentGame(
        pi=0.3, d=1.0, e=0.5, s=0.2, m=0.5, kappa=0.1, deterrence=1.0, spiral=0.05, k=0.2, realign=0.5
    )
    eq = game.equilibria()
    rf = game.reduced_form()
    interior = rf.alpha[0] / (rf.eta[0] - rf.gamma[0])  # symmetric interior solution
    np.testing.assert_allclose(eq.c, [[0, 0], [interior, interior], [1, 1], [np.nan, np.nan]], atol=1e-15)
    np.testing.assert_array_equal(eq.stable, [True, False, True, False])
    np.testing.assert_allclose(eq.abandonment_risk[:, 0], 0.3 * (1 - eq.c[:, 1]))
    np.testing.assert_allclose(eq.entrapment_risk[:, 0], 0.3 * (1 + 0.5 * eq.c[:, 0]) * eq.c[:, 0])
    np.testing.assert_allclose(eq.bargaining_share[:3], 0.0)


def test_bang_bang_chicken_has_the_mixed_like_equilibrium():
    # eta = 0 (no upkeep, no moral hazard): best responses jump; with gamma < 0 (rho large, D = 0)
    # the game is an anti-coordination game with two corner equilibria and an unstable interior one.
    game = CommitmentGame(pi=0.5, d=1.0, e=0.1, realign=1.0)
    rf = game.reduced_form()
    eq = game.equilibria()
    star = -rf.alpha[0] / rf.gamma[0]
    np.testing.assert_allclose(eq.c, [[0, 1], [star, star], [1, 0], [np.nan, np.nan]], atol=1e-15)
    np.testing.assert_array_equal(eq.stable, [True, False, True, False])


def test_asymmetric_dependence_only_the_dependent_ally_commits():
    game = CommitmentGame(pi=[0.4, 0.1], d=[2.0, 0.5], e=[0.3, 1.0], s=0.5, m=0.2, k=0.5, realign=1.0)
    eq = game.equilibria()
    assert eq.count == 1 and eq.status == 0
    np.testing.assert_array_equal(eq.c[:1], [[1.0, 0.0]])
    assert eq.stable[0]


def test_continuum_of_parallel_reaction_lines_is_flagged():
    # rho = 1, pi = 0.5, d = 1: alpha = 0.5 - e_i/2, gamma = D - 0.5; with e = (0, 2), D = 1.5, k = 1
    # the first-order conditions are c1 - c2 = 0.5 and c2 - c1 = -0.5: one line of equilibria.
    game = CommitmentGame(pi=0.5, d=1.0, e=[0.0, 2.0], deterrence=1.5, k=1.0, realign=1.0)
    with pytest.warns(DegenerateGameWarning, match="continuum"):
        eq = game.equilibria()
    assert eq.continuum
    np.testing.assert_allclose(eq.segments, [[[0.5, 0.0], [1.0, 0.5]]], atol=1e-12)
    assert eq.count == 2 and eq.status == 1  # NOT_UNIQUE: certified points of a continuum
    np.testing.assert_allclose(eq.c[:2], [[0.5, 0.0], [1.0, 0.5]], atol=1e-12)
    assert not eq.stable.any()


def test_indifferent_allies_make_every_profile_an_equilibrium():
    # pi = 0: no crises, nothing depends on commitment.
    with pytest.warns(DegenerateGameWarning):
        eq = CommitmentGame(pi=0.0, d=1.0, e=1.0).equilibria()
    assert eq.continuum and eq.count == 4
    np.testing.assert_allclose(eq.c, [[0, 0], [0, 1], [1, 0], [1, 1]])
    assert eq.segments.shape == (4, 2, 2)


def test_one_indifferent_ally_gives_an_edge_of_equilibria():
    # Ally 2 never faces crises and bears no cost (pi_2 = 0, e_2 = 0): indifferent; ally 1 is
    # dependent and commits fully whatever ally 2 does only if rho = 0 ... here alpha_1 < 0.
    game = CommitmentGame(pi=[0.0, 0.5], d=1.0, e=[1.0, 0.0], k=[1.0, 0.0])
    with pytest.warns(DegenerateGameWarning):
        eq = game.equilibria()
    np.testing.assert_allclose(eq.segments, [[[0.0, 0.0], [0.0, 1.0]]])
    assert eq.count == 2
    np.testing.assert_allclose(eq.c[:2], [[0.0, 0.0], [0.0, 1.0]])


def test_best_response_is_nan_and_warns_when_indifferent():
    game = CommitmentGame(pi=0.0, d=1.0, e=1.0)
    with pytest.warns(DegenerateGameWarning, match="indifferent"):
        br = game.best_response(0, 0.3)
    assert np.isnan(br)


# -- comparative statics of best responses (docs/security.md) -------------------------------------

unit = st.floats(0, 1)
pos = st.floats(0, 3)


@st.composite
def games_and_bump(draw):
    p = {
        "pi": [draw(unit), draw(unit)],
        "d": [draw(pos), draw(pos)],
        "e": [draw(pos), draw(pos)],
        "s": [draw(unit), draw(unit)],
        "m": [draw(pos), draw(pos)],
        "kappa": [draw(pos), draw(pos)],
        "deterrence": [draw(st.floats(-3, 3)), draw(st.floats(-3, 3))],
        "spiral": [draw(unit), draw(unit)],
        "k": [draw(st.floats(0.01, 2)), draw(st.floats(0.01, 2))],
        "realign": draw(st.floats(0, 2)),
    }
    c_partner = draw(st.floats(0, 0.99))
    return p, c_partner, draw(st.floats(0.001, 1))


def bumped(p, name, index, delta, cap=None):
    q = {k: (list(v) if isinstance(v, list) else v) for k, v in p.items()}
    if name == "realign":
        q["realign"] = q["realign"] + delta
    else:
        q[name][index] = min(q[name][index] + delta, cap) if cap is not None else q[name][index] + delta
    return q


@settings(max_examples=60, deadline=None)
@given(games_and_bump())
def test_commitment_rises_with_dependence_shared_interest_and_realignment(case):
    p, c_partner, delta = case
    base = CommitmentGame(**p).best_response(0, c_partner)
    for name, cap in (("d", None), ("s", 1.0), ("realign", None)):
        assert CommitmentGame(**bumped(p, name, 0, delta, cap)).best_response(0, c_partner) >= base - 1e-12


@settings(max_examples=60, deadline=None)
@given(games_and_bump())
def test_commitment_falls_with_moral_hazard_entrapment_cost_and_leverage(case):
    p, c_partner, delta = case
    base = CommitmentGame(**p).best_response(0, c_partner)
    # m_j is the partner's (ally 2's) moral hazard; e_i and kappa_i are ally 1's own.
    for name, index in (("m", 1), ("e", 0), ("kappa", 0)):
        assert CommitmentGame(**bumped(p, name, index, delta)).best_response(0, c_partner) <= base + 1e-12


# -- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pi": 1.2}, r"`pi` must lie in \[0, 1\]; pi = "),
        ({"s": [0.5, -0.1]}, r"`s` must lie in \[0, 1\]; s\[1\]"),
        ({"e": -1.0}, "`e` must be >= 0"),
        ({"k": [[0.1, 0.1], [0.1, -0.2]]}, r"k\[1, 1\]"),
        ({"realign": -0.5}, "`realign` must be >= 0"),
        ({"d": [1.0, 2.0, 3.0]}, r"`d` must have shape \(\.\.\., 2\)"),
        ({"deterrence": np.nan}, "`deterrence` must be finite"),
        ({"pi": np.ones((3, 2)), "realign": np.ones(4)}, "do not broadcast"),
    ],
)
def test_bad_input_raises(kwargs, match):
    base = {"pi": 0.5, "d": 1.0, "e": 1.0}
    with pytest.raises(ValueError, match=match):
        CommitmentGame(**(base | kwargs))


def test_bad_types_and_arguments_raise():
    with pytest.raises(TypeError, match="`d`"):
        CommitmentGame(pi=0.5, d="big", e=1.0)
    game = CommitmentGame(pi=0.5, d=1.0, e=1.0)
    with pytest.raises(ValueError, match="`ally`"):
        game.best_response(2, 0.5)
    with pytest.raises(ValueError, match="`c_partner`"):
        game.best_response(0, 1.5)
    with pytest.raises(ValueError, match="`tol`"):
        game.equilibria(tol=-1.0)
    with pytest.raises(ValueError, match="`c1`"):
        game.payoff(-0.1, 0.5)


def test_result_shapes_and_frame():
    rng = np.random.default_rng(5)
    p = {name: v.reshape((2, 3, *v.shape[1:])) for name, v in random_params(rng, 6).items()}
    eq = CommitmentGame(**p).equilibria()
    K = eq.c.shape[-2]
    assert eq.batch_shape == (2, 3)
    for name in ("abandonment_risk", "entrapment_risk", "bargaining_share", "utility"):
        assert getattr(eq, name).shape == (2, 3, K, 2)
    assert eq.stable.shape == (2, 3, K)
    frame = eq.to_frame()
    assert len(frame) == 6 * K * 2
    assert "CommitmentEquilibria(" in repr(eq)


def test_field_dtypes_are_the_narrowest_honest_ones():
    # count is at most K = 4: int8 (documented); flags are bool; everything is read-only
    eq = CommitmentGame(**random_params(np.random.default_rng(7), 50)).equilibria()
    assert eq.count.dtype == np.int8 and eq.status.dtype == np.int8
    assert eq.stable.dtype == bool and eq.continuum.dtype == bool
    names = ("c", "abandonment_risk", "entrapment_risk", "bargaining_share", "utility")
    for name in names:
        assert getattr(eq, name).dtype == np.float64 and not getattr(eq, name).flags.writeable
    # padding slots are NaN in every per-slot field, used slots are finite
    used = np.arange(eq.c.shape[-2]) < eq.count[:, None]
    for name in names:
        field = getattr(eq, name)
        assert np.isfinite(field[used]).all() and np.isnan(field[~used]).all()


# -- the strong/weak 2x2 reduction ---------------------------------------------------------------


def test_2x2_reduction_equals_continuous_payoffs_at_the_corners():
    rng = np.random.default_rng(6)
    p = {name: v.reshape((4, 5, *v.shape[1:])) for name, v in random_params(rng, 20).items()}
    game = CommitmentGame(**p)
    red = game.to_2x2()
    assert red.A.shape == (4, 5, 2, 2) and red.name.shape == (4, 5)
    for r, c1 in enumerate((1.0, 0.0)):  # action 0 = strong commitment
        for s, c2 in enumerate((1.0, 0.0)):
            u = game.payoff(c1, c2)
            np.testing.assert_allclose(red.A[..., r, s], u[..., 0], rtol=1e-14)
            np.testing.assert_allclose(red.B[..., r, s], u[..., 1], rtol=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        (
            {
                "pi": 0.3,
                "d": 1.0,
                "e": 0.5,
                "s": 0.2,
                "m": 0.5,
                "kappa": 0.1,
                "deterrence": 1.0,
                "spiral": 0.05,
                "k": 0.2,
                "realign": 0.5,
            },
            "stag_hunt",
        ),
        (
            {"pi": 0.5, "d": 1.0, "e": 0.6, "deterrence": 0.2, "kappa": 0.4, "realign": 0.5},
            "prisoners_dilemma",
        ),
        ({"pi": 0.5, "d": 1.0, "e": 0.1, "realign": 1.0}, "chicken"),
    ],
)
def test_2x2_types_of_derived_examples(kwargs, name):
    red = CommitmentGame(**kwargs).to_2x2()
    assert str(red.name) == name
    # T > R > P > S etc. are read with strong commitment as "cooperate".
    np.testing.assert_array_equal(red.classification.cooperate, [0, 0])


# -- batches, threads, warnings, certificates, scale ----------------------------------------------


def test_batch_matches_a_loop_of_single_games(batch_matches_loop, batch_shape, rng):
    n = int(np.prod(batch_shape))
    flat = random_params(rng, n)
    flat["deterrence"][: n // 2 + 1] = rng.uniform(1, 3, (n // 2 + 1, 2))  # several equilibria
    args = {name: v.reshape((*batch_shape, *v.shape[1:])) for name, v in flat.items()}
    core = dict.fromkeys(NAMES, 1)
    batch_matches_loop(lambda **kw: CommitmentGame(**kw).equilibria(), args, core)


def mixed_batch(rng, n=3000):
    """Random games with one or three equilibria, bang-bang games and a few degenerate ones."""
    p = random_params(rng, n)
    p["deterrence"][: n // 3] = rng.uniform(1, 3, (n // 3, 2))
    p["k"][n // 3 : n // 2] = 0.0
    p["m"][n // 3 : n // 2] = 0.0
    for name in ("pi", "kappa", "deterrence", "spiral", "k"):
        p[name][-5:] = 0.0  # nothing depends on commitment: every profile is an equilibrium
    return p


@pytest.mark.parametrize("workers", [2, -1])
def test_threads_give_bit_identical_results(workers, rng):
    game = CommitmentGame(**mixed_batch(rng))
    with pytest.warns(DegenerateGameWarning):
        one = game.equilibria(workers=1)
    with pytest.warns(DegenerateGameWarning):
        many = game.equilibria(workers=workers)
    assert one == many  # every public field, NaN equal to NaN, bit for bit
    for name in ("abandonment_risk", "entrapment_risk", "bargaining_share", "utility"):
        np.testing.assert_array_equal(getattr(one, name), getattr(many, name))
    assert one.continuum.sum() == 5 and np.all(one.status[one.continuum] == 1)
    assert np.all(one.status[~one.continuum] == 0)


def test_no_numpy_warning_reaches_the_user(rng):
    # Valid input, including bang-bang allies (eta = 0), zero payoffs and NaN padding rows.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", DegenerateGameWarning)
        simplest = CommitmentGame(pi=0.3, d=1.0, e=0.5)
        eq = simplest.equilibria()
        assert eq.count == 1 and eq.status == 0
        eq.utility, simplest.to_2x2(), simplest.reduced_form(), simplest.best_response(1, [0.0, 1.0])
        simplest.deviation_gain(eq.c)
        game = CommitmentGame(**mixed_batch(rng, 600))
        eq = game.equilibria()
        eq.utility, eq.to_frame(), game.deviation_gain(eq.c), game.to_2x2()
        game.best_response(0, 0.5 * np.ones(game.batch_shape))


unit_or_zero = st.one_of(st.just(0.0), st.floats(0, 1))
nonneg = st.one_of(st.just(0.0), st.floats(0, 3))


@st.composite
def any_game(draw):
    """Any valid game, zeros (bang-bang, indifferent allies) included."""
    pair = lambda s: [draw(s), draw(s)]  # noqa: E731
    return {
        "pi": pair(unit_or_zero),
        "d": pair(nonneg),
        "e": pair(nonneg),
        "s": pair(unit_or_zero),
        "m": pair(nonneg),
        "kappa": pair(nonneg),
        "deterrence": pair(st.floats(-3, 3)),
        "spiral": pair(nonneg),
        "k": pair(nonneg),
        "realign": draw(nonneg),
    }


@settings(max_examples=150, deadline=None)
@given(any_game())
def test_every_certified_equilibrium_has_no_profitable_deviation(p):
    # Independent check: each ally's best payoff against the partner's commitment, on a grid
    # and at the exact interior optimum, exceeds its equilibrium payoff by at most tol x scale.
    game = CommitmentGame(**p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = game.equilibria()
    rf = game.reduced_form()
    scale = max(np.abs(rf.alpha).max(), np.abs(rf.gamma).max(), rf.eta.max()) or 1.0
    assert eq.status >= 0 and 1 <= eq.count <= 4
    grid = np.linspace(0, 1, 401)
    for c in eq.c[: int(eq.count)]:
        u = game.payoff(c[0], c[1])
        for i in range(2):
            with np.errstate(over="ignore"):  # a subnormal eta: the optimum is at a bound
                drive = (rf.alpha[i] + rf.gamma[i] * c[1 - i]) / rf.eta[i] if rf.eta[i] > 0 else 0.0
            trial = np.append(grid, np.clip(drive, 0, 1))
            profiles = (trial, np.full_like(trial, c[1])) if i == 0 else (np.full_like(trial, c[0]), trial)
            best = game.payoff(*profiles)[:, i].max()
            assert best - u[i] <= 1e-9 * scale + 1e-12 * max(1.0, abs(u[i]))


PAYOFF_SCALED = ("d", "e", "kappa", "deterrence", "spiral", "k")  # U is linear in these jointly


@settings(max_examples=100, deadline=None)
@given(games_and_bump(), st.integers(-12, 12))
def test_scale_invariance(case, k):
    p = case[0]
    factor = 10.0**k
    scaled = {name: (np.multiply(v, factor) if name in PAYOFF_SCALED else v) for name, v in p.items()}
    a, b = CommitmentGame(**p).equilibria(), CommitmentGame(**scaled).equilibria()
    assert a.count == b.count and a.status == b.status
    np.testing.assert_allclose(b.c, a.c, atol=1e-9)
    np.testing.assert_array_equal(b.stable, a.stable)
    np.testing.assert_allclose(b.utility, a.utility * factor, rtol=1e-9, atol=1e-9 * factor)


def test_empty_batches():
    game = CommitmentGame(pi=np.empty((0, 3, 2)), d=1.0, e=1.0)
    eq = game.equilibria()
    assert eq.c.shape == (0, 3, 4, 2) and eq.status.shape == (0, 3) and eq.utility.shape == (0, 3, 4, 2)
    assert game.to_2x2().A.shape == (0, 3, 2, 2)
