"""Adversarial regressions: inputs that once got a wrong answer certified as SUCCESS, or a crash.

One test per class of defect, each on several instances; the module grows with every defect
found. Whenever a status is certified the answer must pass an independent check here.
"""

import numpy as np
import pytest

import burden as bd


class SubclassQuasiLinear(bd.Preferences):
    """``u = x + b ln G`` written by a user: no income effect, a jump in the replacement function."""

    def __init__(self, b):
        self.b = np.asarray(b, dtype=float)

    def utility(self, x, G):
        return np.asarray(x) + self.b * np.log(G)

    def mrs(self, x, G):
        return np.broadcast_to(
            self.b / np.asarray(G), np.broadcast_shapes(np.shape(x), np.shape(G), self.b.shape)
        )


class Satiated(bd.Preferences):
    """``u = x + v min(G, s)``: worth ``v`` per unit up to the satiation level ``s``, nothing after."""

    def __init__(self, v, s):
        self.v, self.s = np.asarray(v, dtype=float), np.asarray(s, dtype=float)

    def utility(self, x, G):
        return np.asarray(x) + self.v * np.minimum(G, self.s)

    def mrs(self, x, G):
        shape = np.broadcast_shapes(np.shape(x), np.shape(G), self.v.shape, self.s.shape)
        return np.broadcast_to(np.where(np.asarray(G) < self.s, self.v, 0.0), shape)


def certified_answer_holds(eq, w, p=1.0, G0=0.0, rtol=1e-8):
    """The independent certificate of a pure-good equilibrium: identities and bounds."""
    w = np.broadcast_to(np.asarray(w, float), eq.g.shape)
    ok = eq.status >= 0
    assert np.isfinite(eq.g[ok]).all() and np.isfinite(eq.G[ok]).all()
    total = G0 + eq.g.sum(-1)
    np.testing.assert_allclose(eq.G[ok], np.asarray(total)[ok], rtol=rtol, atol=0)
    assert (eq.g[ok] >= 0).all() and (eq.g[ok] <= (w / p)[ok] * (1 + rtol)).all()


# -- 1. user preferences without income effect / with a jump --------------------------------


@pytest.mark.parametrize(
    ("w", "b", "expected_G"),
    [
        ([100.0], 30.0, 30.0),
        ([100.0, 80.0], [30.0, 20.0], 30.0),
        ([10.0, 100.0], [50.0, 30.0], 30.0),
        ([5.0], 30.0, 5.0),
    ],
)
def test_user_quasilinear_matches_the_built_in(w, b, expected_G):
    eq = bd.nash(w, SubclassQuasiLinear(b))
    built_in = bd.nash(w, bd.QuasiLinear(b))
    assert eq.status == 0
    np.testing.assert_allclose(eq.G, expected_G, rtol=1e-12)
    np.testing.assert_allclose(eq.g, built_in.g, rtol=1e-9, atol=1e-9)
    certified_answer_holds(eq, w)


def test_user_quasilinear_free_riding_is_not_a_negative_loss():
    fr = bd.free_riding([100.0], SubclassQuasiLinear(30.0))
    assert fr.status == 0
    np.testing.assert_allclose(fr.burden, [0.3], rtol=1e-12)
    np.testing.assert_allclose(fr.welfare_loss_total, 0.0, atol=1e-9)  # one member: Nash is optimal


@pytest.mark.parametrize(
    ("v", "s", "G"), [(0.5, 10.0, 0.0), ([2.0, 0.5], 10.0, 10.0), ([0.5, 3.0], [1.0, 7.0], 7.0)]
)
def test_satiation_and_nobody_contributing(v, s, G):
    eq = bd.nash([100.0, 80.0], Satiated(v, s))
    assert eq.status == 0
    np.testing.assert_allclose(eq.G, G, atol=1e-12)  # nobody contributing: 0, never NaN
    certified_answer_holds(eq, [100.0, 80.0])


def test_tied_satiated_members_share_and_are_flagged():
    with pytest.warns(bd.MultipleEquilibriaWarning, match="split is not"):
        eq = bd.nash([100.0, 80.0], Satiated(2.0, 10.0))
    assert eq.status == 0 and eq.indeterminate.all()
    np.testing.assert_allclose(eq.g, [100 / 18, 80 / 18], rtol=1e-9)  # wealth-proportional
    certified_answer_holds(eq, [100.0, 80.0])


# -- 2, 9. overflow and inf never carry SUCCESS ------------------------------------------------


@pytest.mark.parametrize(
    ("w", "prefs"),
    [
        # c = (p (1 - a)/a)^sigma overflows: the total, about 1e-366, is below the float range
        ([100.0, 80.0], bd.CES(0.3, 0.999)),
        ([100.0, 80.0], bd.CES(0.2, 0.9999)),
    ],
)
def test_out_of_range_answers_are_not_finite_failures(w, prefs):
    eq = bd.nash(w, prefs)
    assert eq.status == bd.Status.NOT_FINITE
    assert not eq.success


@pytest.mark.parametrize(
    ("w", "prefs", "G"),
    [
        # wealth near the top of the float range, answers inside it (derived: G = Σ_top w / (1 + k c))
        ([1e308, 1e308], bd.CobbDouglas(0.5), 2.0 * (1e308 / 3.0)),
        ([1.7e308, 1e300, 1e307], bd.CobbDouglas(0.9), 1.7e308 * 0.9),  # only the richest gives
    ],
)
def test_answers_near_the_top_of_the_float_range_are_certified(w, prefs, G):
    eq = bd.nash(w, prefs)
    assert eq.success
    np.testing.assert_allclose(eq.G, G, rtol=1e-14)
    assert np.isfinite(eq.g).all() and np.isfinite(eq.x).all()


# -- 5. a subclass overriding utility/mrs is never solved with the parent's closed form -------


class HalfCobbDouglas(bd.CobbDouglas):
    """Ignores its parent's ``a``: always ``a = 1/2``."""

    def utility(self, x, G):
        return 0.5 * np.log(x) + 0.5 * np.log(G)

    def mrs(self, x, G):
        return np.asarray(x) / np.asarray(G)


@pytest.mark.parametrize("a", [0.2, 0.7, [0.1, 0.9]])
def test_subclass_overriding_utility_is_solved_numerically(a):
    assert HalfCobbDouglas.closed_form is None
    eq = bd.nash([100.0, 80.0], HalfCobbDouglas(a))
    np.testing.assert_allclose(eq.g, [40.0, 20.0], rtol=1e-9)
    opt = bd.lindahl([100.0, 80.0], HalfCobbDouglas(a))
    np.testing.assert_allclose(opt.G, 90.0, rtol=1e-9)


# -- 6. parameters are owned ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "names"),
    [
        (lambda v: bd.CobbDouglas(v), ("a",)),
        (lambda v: bd.CES(v, v - 1.0), ("a", "rho")),
        (lambda v: bd.StoneGeary(v, v, v), ("a", "x_min", "G_min")),
        (lambda v: bd.QuasiLinear(v), ("b",)),
        (lambda v: bd.JointProduct(v, v / 4), ("a", "b")),
    ],
)
def test_preferences_copy_their_parameters_and_keep_them_read_only(make, names):
    values = np.array([0.5, 0.4])
    prefs = make(values)
    before = {n: getattr(prefs, n).copy() for n in names}
    values[0] = 5.0
    for n in names:
        np.testing.assert_array_equal(getattr(prefs, n), before[n])
        with pytest.raises(ValueError, match="read-only"):
            getattr(prefs, n)[0] = 1.0


# -- 7. group_size_effect reports a status -----------------------------------------------------


def test_group_size_effect_reports_status_per_size():
    effect = bd.group_size_effect([1.0, 2.0], bd.CobbDouglas([[0.3], [0.6]]), n_max=3)
    assert effect.size_status.shape == (2, 3) and effect.status.shape == (2,)
    assert (effect.status == 0).all()
    # the sizes' answers lie below the float range (c overflows): every size and the scenario fail
    failing = bd.group_size_effect(100.0, bd.CES(0.3, 0.999), n_max=3)
    np.testing.assert_array_equal(failing.size_status, bd.Status.NOT_FINITE)
    assert failing.status == bd.Status.NOT_FINITE
    # wealth near the top of the float range: every size certified, measures to rounding
    huge = bd.group_size_effect(1e308, bd.CobbDouglas(0.5), n_max=3)
    assert (huge.size_status == 0).all() and huge.status == 0
    np.testing.assert_allclose(huge.ratio, [1.0, 2 / 3, 1 / 2], rtol=1e-14)  # derived: 2/(n + 1) at a = 1/2
    assert (huge.welfare_loss_total >= -1e-12 * 1e308).all()


# -- 8. precision at the edge of floating point --------------------------------------------


@pytest.mark.parametrize("a", [1e-12, 1e-50, 1e-300])
def test_tiny_weights_keep_full_precision(a):
    eq = bd.nash([100.0, 80.0], bd.CobbDouglas(a))
    c = (1 - a) / a
    exact = 100.0 / (1.0 + c)  # derived: only the richer member contributes, g = A/(1 + c)
    assert eq.status == 0
    np.testing.assert_allclose(eq.g, [exact, 0.0], rtol=1e-13, atol=0)
    np.testing.assert_allclose(eq.G, exact, rtol=1e-13)


def test_many_contributors_near_their_drop_out_levels(rng):
    a = rng.uniform(1e-10, 2e-10, (20, 5))
    w = rng.uniform(90.0, 110.0, (20, 5))
    eq = bd.nash(w, bd.CobbDouglas(a))
    assert (eq.status == 0).all()
    certified_answer_holds(eq, w, rtol=1e-12)


# -- 10. near-corner Lindahl ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("w", "prefs"),
    [
        ([100.0, 80.0, 20.0], bd.CES(0.5, 0.97)),
        ([100.0, 80.0, 20.0, 1.0], bd.CES(0.5, 0.95)),
        ([100.0, 80.0], bd.CES(0.3, 0.999)),
    ],
)
def test_near_corner_lindahl_is_certified(w, prefs):
    opt = bd.lindahl(w, prefs)
    assert opt.status == 0
    np.testing.assert_allclose(opt.tau.sum(), 1.0, rtol=1e-12)
    assert (opt.x >= 0).all()
    # each member's price is its marginal rate of substitution at its consumption
    np.testing.assert_allclose(prefs.mrs(opt.x, opt.G), opt.tau, rtol=1e-9)


# -- failures where an answer exists -----------------------------------------------------------


@pytest.mark.parametrize("prefs", [bd.StoneGeary(0.5, 10.0, 5.0), bd.StoneGeary([0.3, 0.6], 2.0, 1.0)])
def test_joint_optimum_with_stone_geary_leaves_the_nash_point(prefs):
    w = np.array([100.0, 80.0])
    opt = bd.joint_optimum(w, prefs)
    eq = bd.nash(w, prefs)
    assert opt.status == 0
    assert opt.welfare > eq.utility.sum() + 1e-6


# -- crashes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("jp", [bd.JointProduct(0.3, 0.2), bd.JointProduct(0.4, 0.0)])
def test_group_size_effect_with_joint_products(jp):
    effect = bd.group_size_effect(1.0, jp, n_max=3)
    assert (effect.size_status >= 0).all()
    assert (effect.ratio <= 1 + 1e-9).all()


def test_free_riding_reports_a_failed_inner_solve():
    fr = bd.free_riding([100.0, 80.0], bd.CES(0.3, 0.999))
    assert fr.status == bd.Status.NOT_FINITE
    fr = bd.free_riding([10.0, 20.0], bd.StoneGeary(0.5, 1.0, 1000.0))
    assert fr.status < 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bd.nash([1.0, -1.0], bd.CobbDouglas(0.5)), r"`w` must be > 0; w\[1\]"),
        (lambda: bd.lindahl([1.0, 2.0], bd.CobbDouglas(0.5), G0=-1.0), "`G0` must be >= 0"),
        (lambda: bd.free_riding([1.0, 2.0], bd.CobbDouglas(0.5), p=[1.0, 0.0]), r"`p` must be > 0; p\[1\]"),
        (lambda: bd.group_size_effect(np.inf, bd.CobbDouglas(0.5)), "`w` must be finite"),
        (
            lambda: bd.lindahl([1.0, 2.0], bd.JointProduct(0.3, 0.1)),
            "`prefs` must describe a pure public good",
        ),
        (lambda: bd.nash([1.0, 2.0], bd.QuasiLinear(1.0), spillover=0.5), "`prefs` with `spillover`"),
        (lambda: bd.nash([1.0, 2.0], bd.CobbDouglas(0.5), chunk=True), "`chunk` must be a positive integer"),
        (lambda: bd.group_size_effect(1.0, bd.CobbDouglas(0.5), n_max=2.0), "`n_max` must be a positive"),
    ],
)
def test_errors_name_what_the_user_passed(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


class HandWrittenCES(bd.Preferences):
    def __init__(self, a, rho):
        self.a, self.rho = np.asarray(a, dtype=float), np.asarray(rho, dtype=float)

    def utility(self, x, G):
        return ((1 - self.a) * x**self.rho + self.a * G**self.rho) ** (1 / self.rho)

    def mrs(self, x, G):
        return self.a / (1 - self.a) * (np.asarray(x) / np.asarray(G)) ** (1 - self.rho)


def test_user_preferences_agree_with_built_ins_on_random_edge_cases():
    """Found by fuzzing: a lone contributor whose others' provision rounds below 0, members
    whose replacement jumps just above the root, and alliances where everyone spends all."""
    rng = np.random.default_rng(2)
    for _ in range(40):
        n = int(rng.integers(1, 5))
        w = 10 ** rng.uniform(-3, 3, n) * 10 ** rng.uniform(-5, 5)
        G0 = 0.0 if rng.random() < 0.5 else w.mean() * rng.uniform(0, 2)
        p = 10 ** rng.uniform(-1, 1)
        if rng.random() < 0.5:
            b = w.mean() * rng.uniform(0.05, 3, n) * p
            mine, theirs = SubclassQuasiLinear(b), bd.QuasiLinear(b)
        else:
            a, rho = rng.uniform(0.1, 0.9, n), rng.uniform(-2, 0.8, n)
            mine, theirs = HandWrittenCES(a, rho), bd.CES(a, rho)
        with np.errstate(all="raise", under="ignore"):
            eq = bd.nash(w, mine, p=p, G0=G0)
        ref = bd.nash(w, theirs, p=p, G0=G0)
        assert eq.status == 0
        np.testing.assert_allclose(eq.G, ref.G, rtol=1e-9)
        np.testing.assert_allclose(eq.g, ref.g, rtol=1e-7, atol=1e-9 * w.max())


@pytest.mark.parametrize("w", [[2.0], [2.0, 3.0], [1e-6, 5.0]])
def test_lindahl_where_every_member_spends_all_beside_a_patron(w):
    # Near-perfect substitutes with a heavy weight on the good (found by hypothesis): each
    # member's Lindahl price is still short of p until it spends everything, so the total is
    # the top of the range, G0 + Σ w / p (derived), and the prices w/(G - G0) add up to p.
    opt = bd.lindahl(w, bd.CES(0.9375, 0.9375), G0=1.0)
    assert opt.success
    np.testing.assert_allclose(opt.G, 1.0 + np.sum(w), rtol=1e-12)
    np.testing.assert_allclose(opt.tau.sum(), 1.0, rtol=1e-12)


@pytest.mark.parametrize(
    "w", [[1e308, 1e308], [1e308, 5e307, 1e300], [1.7e308, 1.7e308, 1.7e308]], ids=["two", "mixed", "three"]
)
@pytest.mark.parametrize("spillover", [None, 0.5])
def test_free_riding_measures_near_the_top_of_the_float_range(w, spillover):
    # Σ w overflows although every measure is finite: wealth shares are taken relative to the
    # richest member (found by trying the CLI with 1e308; the exploitation index was inf)
    fr = bd.free_riding(w, bd.CobbDouglas(0.5), spillover=spillover)
    if fr.success:
        for name in ("burden", "exploitation", "welfare_loss"):
            assert np.isfinite(getattr(fr, name)).all(), name
    share = np.asarray(w) / np.max(w) / np.sum(np.asarray(w) / np.max(w))
    expected = np.where(fr.G_nash > 0, fr.nash.g / np.sum(fr.nash.g), 0.0) / share
    np.testing.assert_allclose(fr.exploitation, expected, rtol=1e-12)


@pytest.mark.parametrize("rho", [5e-324, 1e-300, 1e-20, -1e-300])
def test_welfare_loss_with_ces_next_to_cobb_douglas(rho):
    # ρ so small that ρ ℓ underflows (found by hypothesis: the welfare loss came back -1/3 with
    # SUCCESS); the answer is the Cobb–Douglas one to rounding
    w = np.array([1.0, 1.0])
    near, cd = bd.free_riding(w, bd.CES(0.5, rho)), bd.free_riding(w, bd.CobbDouglas(0.5))
    assert near.success
    np.testing.assert_allclose(near.welfare_loss, cd.welfare_loss, rtol=1e-12)
    # derived: Nash x = G = 2/3, Lindahl x = 1/2 at G = 1; x_c (2/3) = 1/2 gives x_c = 3/4: 2 (3/4 - 2/3)
    np.testing.assert_allclose(near.welfare_loss_total, 1 / 6, rtol=1e-12)
