"""Tests of burden.nash: worked examples, brute force, batches, theorems, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import burden as bd
from burden.publicgoods._linear import sort_and_add


class HandWrittenCES(bd.Preferences):
    """CES written by hand with only utility and mrs: exercises the numeric path."""

    def __init__(self, a, rho):
        self.a, self.rho = np.asarray(a, dtype=float), np.asarray(rho, dtype=float)

    def utility(self, x, G):
        return ((1 - self.a) * x**self.rho + self.a * G**self.rho) ** (1 / self.rho)

    def mrs(self, x, G):
        return self.a / (1 - self.a) * (x / G) ** (1 - self.rho)


# -- worked examples (docs/publicgoods.md; derived by hand, not published) -------------------------


def test_worked_example_interior():
    eq = bd.nash([100.0, 80.0], bd.CobbDouglas([0.5, 0.5]))
    np.testing.assert_allclose(eq.g, [40.0, 20.0], rtol=1e-14)
    np.testing.assert_allclose(eq.G, 60.0, rtol=1e-14)
    np.testing.assert_allclose(eq.x, [60.0, 60.0], rtol=1e-14)
    assert eq.contributors.tolist() == [True, True]
    assert eq.status == 0


def test_worked_example_boundary_free_riding():
    eq = bd.nash([100.0, 40.0], bd.CobbDouglas(0.5))
    np.testing.assert_allclose(eq.g, [50.0, 0.0], atol=1e-13)
    assert eq.contributors.tolist() == [True, False]
    np.testing.assert_allclose(eq.dropout, [100.0, 40.0])


def test_single_member_is_its_standalone_demand():
    # alone, Cobb–Douglas spends the share a of wealth on the good
    eq = bd.nash([[50.0]], bd.CobbDouglas(0.3), p=2.0)
    np.testing.assert_allclose(eq.g, [[0.3 * 50.0 / 2.0]])


def test_exogenous_provision_above_every_dropout_means_nobody_contributes():
    eq = bd.nash([100.0, 80.0], bd.CobbDouglas(0.5), G0=100.0)
    assert not eq.contributors.any()
    assert eq.G == 100.0


# -- closed forms against brute-force best-response iteration ------------------------------


@pytest.mark.parametrize(
    "make_prefs",
    [
        lambda rng, n: bd.CobbDouglas(rng.uniform(0.1, 0.9, n)),
        lambda rng, n: bd.CES(rng.uniform(0.2, 0.8, n), rng.uniform(-2.0, 0.7, n)),
        lambda rng, n: bd.StoneGeary(
            rng.uniform(0.2, 0.8, n), rng.uniform(0.0, 5.0, n), rng.uniform(0.0, 3.0, n)
        ),
        lambda rng, n: bd.QuasiLinear(rng.uniform(5.0, 150.0, n)),
        lambda rng, n: HandWrittenCES(rng.uniform(0.2, 0.8, n), rng.uniform(-1.5, 0.6, n)),
    ],
    ids=["cobb_douglas", "ces", "stone_geary", "quasi_linear", "user_defined"],
)
def test_matches_brute_force_best_response_iteration(make_prefs, rng, brute_force):
    for _ in range(4):
        n = int(rng.integers(2, 5))
        w = rng.uniform(10.0, 100.0, n)
        p = float(rng.uniform(0.5, 2.0))
        G0 = float(rng.choice([0.0, rng.uniform(0.0, 30.0)]))
        prefs = make_prefs(rng, n)
        eq = bd.nash(w, prefs, p=p, G0=G0)
        g, G = brute_force(w, prefs, p=p, G0=G0)
        assert eq.status == 0
        np.testing.assert_allclose(eq.G, G, rtol=1e-6)
        np.testing.assert_allclose(eq.g, g, atol=1e-5 * w.max())


def test_user_defined_preferences_match_built_in_closed_form(rng):
    a, rho = rng.uniform(0.2, 0.8, (30, 5)), rng.uniform(-1.5, 0.6, (30, 5))
    w = rng.uniform(1.0, 100.0, (30, 5))
    exact = bd.nash(w, bd.CES(a, rho), p=1.3, G0=2.0)
    numeric = bd.nash(w, HandWrittenCES(a, rho), p=1.3, G0=2.0)
    assert (numeric.status == 0).all()
    np.testing.assert_allclose(numeric.G, exact.G, rtol=1e-12)
    np.testing.assert_allclose(numeric.g, exact.g, atol=1e-9 * w.max())
    np.testing.assert_allclose(numeric.dropout, exact.dropout, rtol=1e-10)


def test_ces_at_rho_zero_is_cobb_douglas(rng):
    w = rng.uniform(1, 10, (6, 4))
    a = rng.uniform(0.1, 0.9, 4)
    np.testing.assert_allclose(bd.nash(w, bd.CES(a, 0.0)).g, bd.nash(w, bd.CobbDouglas(a)).g, rtol=1e-13)


def test_sort_and_add_matches_the_fixed_point_equation(rng):
    A = rng.uniform(-5.0, 50.0, (200, 7))
    c = rng.uniform(0.1, 3.0, (200, 7))
    G0 = rng.uniform(0.0, 10.0, 200)
    _, G = sort_and_add(A, c, G0)
    np.testing.assert_allclose(G, G0 + np.maximum(0.0, A - c * G[:, None]).sum(axis=-1), rtol=1e-12)


# -- quasi-linear: budgets and ties --------------------------------------------------------


def test_quasilinear_only_the_keenest_contributes():
    eq = bd.nash([100.0, 100.0, 100.0], bd.QuasiLinear([10.0, 30.0, 20.0]))
    np.testing.assert_allclose(eq.g, [0.0, 30.0, 0.0])
    assert eq.G == 30.0


def test_quasilinear_budget_binds_and_next_member_tops_up():
    # the keenest (b = 50) can afford only 10; the next (b = 30) fills up to its ideal 30
    eq = bd.nash([10.0, 100.0, 100.0], bd.QuasiLinear([50.0, 30.0, 5.0]))
    np.testing.assert_allclose(eq.g, [10.0, 20.0, 0.0])


def test_quasilinear_ties_warn_and_report_the_indeterminate_set():
    with pytest.warns(bd.MultipleEquilibriaWarning, match="tied quasi-linear"):
        eq = bd.nash([100.0, 300.0, 50.0], bd.QuasiLinear([40.0, 40.0, 10.0]))
    assert eq.G == 40.0
    assert eq.indeterminate.tolist() == [True, True, False]
    np.testing.assert_allclose(eq.g, [10.0, 30.0, 0.0])  # wealth-proportional split


# -- Stone–Geary feasibility ---------------------------------------------------------------


def test_stone_geary_infeasible_subsistence_is_reported():
    # nobody can afford the security subsistence level 1000
    eq = bd.nash([10.0, 20.0], bd.StoneGeary(0.5, 1.0, 1000.0))
    assert eq.status == bd.Status.INFEASIBLE


# -- batches ---------------------------------------------------------------------------------


@pytest.mark.parametrize("batch", [(), (12,), (3, 4), (3, 2, 2)])
@pytest.mark.parametrize("kind", ["cobb_douglas", "ces", "quasi_linear", "user_defined"])
def test_batch_equals_loop_of_single_scenarios(batch, kind, rng):
    n = 4
    w = rng.uniform(1.0, 100.0, batch + (n,))
    a = rng.uniform(0.2, 0.8, batch + (n,))
    p = rng.uniform(0.5, 2.0, batch)
    G0 = rng.uniform(0.0, 20.0, batch)
    make = {
        "cobb_douglas": bd.CobbDouglas,
        "ces": lambda a: bd.CES(a, -0.5),
        "quasi_linear": lambda a: bd.QuasiLinear(100 * a),
        "user_defined": lambda a: HandWrittenCES(a, -0.5),
    }[kind]
    eq = bd.nash(w, make(a), p=p, G0=G0, chunk=5)
    assert eq.g.shape == batch + (n,) and eq.G.shape == batch and eq.status.shape == batch
    for index in np.ndindex(*batch):
        one = bd.nash(w[index], make(a[index]), p=p[index], G0=G0[index])
        np.testing.assert_allclose(eq.g[index], one.g, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(eq.G[index], one.G, rtol=1e-12)


def test_threads_give_the_same_answer_as_one(rng):
    w = rng.uniform(1.0, 100.0, (1000, 7))
    prefs = bd.StoneGeary(rng.uniform(0.2, 0.8, 7), 0.5, 0.5)
    one = bd.nash(w, prefs, chunk=64)
    for workers in (2, -1):
        many = bd.nash(w, prefs, chunk=64, workers=workers)
        for field in ("g", "G", "x", "dropout", "contributors", "status"):
            np.testing.assert_array_equal(getattr(many, field), getattr(one, field))


def test_parameters_broadcast_against_wealth():
    eq = bd.nash(np.full((5, 3), 10.0), bd.CobbDouglas([[0.3], [0.4], [0.5], [0.6], [0.7]]))
    assert eq.g.shape == (5, 3)
    assert np.all(np.diff(eq.G) > 0)  # a keener alliance provides more


# -- theorems as properties ------------------------------------------------------------------

wealth = arrays(np.float64, st.integers(2, 6), elements=st.floats(1.0, 1000.0))
shares = st.floats(0.05, 0.95)


@settings(max_examples=60, deadline=None)
@given(w=wealth, a=shares, G0=st.floats(0.0, 200.0))
def test_equilibrium_is_the_unique_root_of_the_aggregate_equation(w, a, G0):
    # G - G0 - Σ r_i(G) is strictly increasing, so the root is unique: negative below G*, positive above
    prefs = bd.CobbDouglas(a)
    eq = bd.nash(w, prefs, G0=G0)
    below, above = eq.G * (1 - 1e-6), eq.G * (1 + 1e-6) + 1e-9
    excess = lambda G: G - G0 - prefs.replacement(G, w).sum()  # noqa: E731
    assert excess(above) > 0
    if eq.G > G0:
        assert excess(below) < 0


@settings(max_examples=60, deadline=None)
@given(w=wealth, a=shares, data=st.data())
def test_bbv_neutrality_redistribution_among_contributors(w, a, data):
    """Bergstrom, Blume & Varian (1986) Theorem 2: redistributing among contributors, keeping them
    contributors, leaves G and every member's consumption unchanged."""
    prefs = bd.CobbDouglas(a)
    eq = bd.nash(w, prefs)
    contributors = np.flatnonzero(eq.contributors)
    if contributors.size < 2:
        return
    i, j = contributors[0], contributors[1]
    # moving up to (almost) all of i's contribution keeps i a contributor
    amount = data.draw(st.floats(0.0, 0.9)) * eq.g[i]
    w2 = w.copy()
    w2[i] -= amount
    w2[j] += amount
    eq2 = bd.nash(w2, prefs)
    np.testing.assert_allclose(eq2.G, eq.G, rtol=1e-10)
    np.testing.assert_allclose(eq2.x, eq.x, rtol=1e-10, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(w=wealth, a=shares)
def test_with_identical_preferences_the_contributors_are_the_richest(w, a):
    eq = bd.nash(w, bd.CobbDouglas(a))
    if (~eq.contributors).any():
        assert w[eq.contributors].min() >= w[~eq.contributors].max()


@settings(max_examples=60, deadline=None)
@given(w=wealth, a=arrays(np.float64, 6, elements=shares), p=st.floats(0.1, 10.0))
def test_nash_never_exceeds_lindahl(w, a, p):
    prefs = bd.CobbDouglas(a[: w.size])
    assert bd.nash(w, prefs, p=p).G <= bd.lindahl(w, prefs, p=p).G * (1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(w=wealth, a=arrays(np.float64, 6, elements=shares), rho=st.floats(-3.0, 0.9), p=st.floats(0.1, 10.0))
def test_first_order_conditions(w, a, rho, p):
    prefs = bd.CES(a[: w.size], rho)
    eq = bd.nash(w, prefs, p=p)
    mrs = prefs.mrs(eq.x, eq.G)
    np.testing.assert_allclose(mrs[eq.contributors], p, rtol=1e-9)
    assert np.all(mrs[~eq.contributors] <= p * (1 + 1e-9))


@settings(max_examples=60, deadline=None)
@given(w=wealth, a=arrays(np.float64, 6, elements=shares), seed=st.integers(0, 2**32 - 1))
def test_relabelling_members_permutes_the_answer(w, a, seed):
    a = a[: w.size]
    perm = np.random.default_rng(seed).permutation(w.size)
    eq = bd.nash(w, bd.CobbDouglas(a))
    eq_perm = bd.nash(w[perm], bd.CobbDouglas(a[perm]))
    np.testing.assert_allclose(eq_perm.g, eq.g[perm], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(eq_perm.G, eq.G, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(w=wealth, a=shares, fraction=st.floats(0.0, 0.99))
def test_tax_financed_provision_is_crowded_out_one_for_one(w, a, fraction):
    """Warr (1983) neutrality: outside provision G0 financed by lump-sum taxes on contributors
    (small enough to keep them contributors) leaves G and consumption unchanged; the members'
    own contributions fall by exactly G0."""
    prefs = bd.CobbDouglas(a)
    eq = bd.nash(w, prefs)
    tax = np.where(eq.contributors, fraction * eq.g, 0.0)
    eq2 = bd.nash(w - tax, prefs, G0=tax.sum())
    np.testing.assert_allclose(eq2.G, eq.G, rtol=1e-12)
    np.testing.assert_allclose(eq.g.sum() - eq2.g.sum(), tax.sum(), atol=1e-9 * eq.G)
    np.testing.assert_allclose(eq2.x, eq.x, rtol=1e-10, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(w=wealth, a=arrays(np.float64, 6, elements=shares), fraction=st.floats(0.0, 0.99))
def test_a_gift_from_outside_is_crowded_out_only_partially(w, a, fraction):
    """An *unfunded* G0 (a patron's gift) raises the members' full income: with the contributor
    set unchanged, contributions fall by G0 * Σc/(1 + Σc) (c_i = (1-a_i)/a_i), less than one for
    one, and the total rises by G0/(1 + Σc). Derived from the linear replacement functions."""
    a = a[: w.size]
    prefs = bd.CobbDouglas(a)
    eq = bd.nash(w, prefs)
    G0 = fraction * eq.g[eq.contributors].min()
    eq2 = bd.nash(w, prefs, G0=G0)
    if (eq2.contributors == eq.contributors).all():
        c = ((1 - a) / a)[eq.contributors].sum()
        np.testing.assert_allclose(eq.g.sum() - eq2.g.sum(), G0 * c / (1 + c), atol=1e-9 * eq.G)
        np.testing.assert_allclose(eq2.G - eq.G, G0 / (1 + c), atol=1e-9 * eq.G)


def test_quasilinear_gift_is_crowded_out_one_for_one():
    # no income effects: the keenest member's ideal total b/p does not move
    eq = bd.nash([100.0, 100.0], bd.QuasiLinear([30.0, 10.0]), G0=12.0)
    assert eq.G == 30.0 and eq.g[0] == 18.0


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"w": [100.0, -1.0]}, ValueError, r"`w` must be > 0; w\[1\] = -1.0"),
        ({"w": [100.0, 0.0]}, ValueError, r"`w` must be > 0; w\[1\]"),
        ({"w": [[1.0, -np.inf]]}, ValueError, r"`w` must be finite; w\[0, 1\]"),  # NaN: absent
        ({"w": [1.0, np.inf]}, ValueError, r"`w` must be finite"),
        ({"w": 5.0}, ValueError, r"`w` must have a member axis"),
        ({"w": np.ones((3, 0))}, ValueError, r"at least one member"),
        ({"w": ["a", "b"]}, TypeError, r"`w` must be an array of real numbers"),
        ({"p": 0.0}, ValueError, r"`p` must be > 0"),
        ({"p": [1.0, -2.0]}, ValueError, r"`p` must be > 0; p\[1\]"),
        ({"G0": -1.0}, ValueError, r"`G0` must be >= 0"),
        ({"w": np.ones((2, 3)), "p": [1.0, 1.0, 1.0]}, ValueError, r"do not broadcast"),
        ({"prefs": "cobb-douglas"}, TypeError, r"`prefs` must be a burden.Preferences"),
        ({"chunk": 0}, ValueError, r"`chunk` must be a positive integer"),
        ({"workers": 0}, ValueError, r"`workers` must be a positive integer or -1"),
        ({"workers": 1.5}, ValueError, r"`workers` must be a positive integer or -1"),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, message):
    args = {"w": [100.0, 80.0], "prefs": bd.CobbDouglas(0.5)} | kwargs
    w, prefs = args.pop("w"), args.pop("prefs")
    with pytest.raises(error, match=message):
        bd.nash(w, prefs, **args)


def test_preference_parameters_that_do_not_broadcast_are_named():
    with pytest.raises(ValueError, match=r"`w` \(3,\), `a` \(2,\)"):
        bd.nash([1.0, 2.0, 3.0], bd.CobbDouglas([0.5, 0.5]))


def test_result_repr_and_frame():
    eq = bd.nash([[100.0, 80.0], [100.0, 40.0]], bd.CobbDouglas(0.5))
    text = repr(eq)
    assert text.startswith("NashEquilibrium(") and "contributors" in text
    frame = eq.to_frame()
    assert list(frame.index.names) == ["scenario", "member"]
    assert len(frame) == 4
    np.testing.assert_allclose(frame["G"], [60.0, 60.0, 50.0, 50.0])


# -- certificates and scale invariance over extreme floats -------------------------------------

extreme_wealth = arrays(np.float64, st.integers(1, 5), elements=st.floats(1e-300, 1e300))


@settings(max_examples=80, deadline=None)
@given(w=extreme_wealth, a=st.floats(1e-6, 1 - 1e-6), rho=st.floats(-20.0, 0.999), G0=st.floats(0.0, 1e300))
def test_success_means_the_certificate_holds(w, a, rho, G0):
    """Whenever a status is certified: finite, G = G0 + Σ g, 0 <= g <= w/p, and each member's
    first-order condition (mrs = p for contributors, mrs <= p for the others)."""
    for prefs in (bd.CobbDouglas(a), bd.CES(a, rho)):
        eq = bd.nash(w, prefs, G0=G0)
        assert eq.status.dtype == np.int8
        if eq.status < 0:
            continue
        assert np.isfinite(eq.g).all() and np.isfinite(eq.G) and np.isfinite(eq.x).all()
        np.testing.assert_allclose(eq.G, G0 + eq.g.sum(), rtol=1e-8)
        assert (eq.g >= 0).all() and (eq.g <= w * (1 + 1e-9)).all()
        with np.errstate(all="ignore"):
            mrs = prefs.mrs(eq.x, eq.G)
        finite = np.isfinite(mrs)
        np.testing.assert_allclose(mrs[eq.contributors & finite], 1.0, rtol=1e-7)
        assert (mrs[~eq.contributors & finite] <= 1.0 + 1e-7).all()


@settings(max_examples=40, deadline=None)
@given(
    w=arrays(np.float64, st.integers(1, 5), elements=st.floats(1.0, 1000.0)),
    a=st.floats(0.05, 0.95),
    rho=st.floats(-3.0, 0.9),
    G0=st.floats(0.0, 100.0),
    k=st.integers(-12, 12),
    model=st.sampled_from(["pure", "spillover", "joint"]),
)
def test_scale_invariance(w, a, rho, G0, k, model):
    """Homothetic preferences: wealth and G0 times 10**k give every quantity times 10**k."""
    scale = 10.0**k
    if model == "joint":
        prefs, kwargs = bd.JointProduct(a * 0.7, a * 0.2), {}
    else:
        prefs, kwargs = bd.CES(a, rho), ({"spillover": 0.4} if model == "spillover" else {})
    eq = bd.nash(w, prefs, G0=G0, **kwargs)
    big = bd.nash(w * scale, prefs, G0=G0 * scale, **kwargs)
    assert big.status == eq.status == 0
    for name in ("g", "G", "Q", "x"):
        np.testing.assert_allclose(
            getattr(big, name), getattr(eq, name) * scale, rtol=1e-9, atol=1e-11 * scale * w.max()
        )
    np.testing.assert_array_equal(big.contributors, eq.contributors)


def test_user_preferences_are_solved_chunk_by_chunk_with_threads(rng):
    """Per-scenario parameters of a user class are split with the scenarios (chunk=3)."""
    a, rho = rng.uniform(0.2, 0.8, (10, 4)), rng.uniform(-1.5, 0.6, (10, 4))
    w = rng.uniform(1.0, 100.0, (10, 4))
    whole = bd.nash(w, HandWrittenCES(a, rho), chunk=1000)
    for workers in (1, 2):
        assert bd.nash(w, HandWrittenCES(a, rho), chunk=3, workers=workers) == whole
    np.testing.assert_allclose(whole.G, bd.nash(w, bd.CES(a, rho)).G, rtol=1e-12)
