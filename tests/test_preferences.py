"""Tests of the preference classes: closed forms against the numeric defaults, validation."""

import numpy as np
import pytest

import burden as bd


class OnlyUtilityAndMRS(bd.Preferences):
    """Forwards utility and mrs of a built-in class: every other method takes the numeric default."""

    def __init__(self, inner):
        self.inner = inner

    def utility(self, x, G):
        return self.inner.utility(x, G)

    def mrs(self, x, G):
        return self.inner.mrs(x, G)


BUILT_IN = {
    "cobb_douglas": lambda rng: bd.CobbDouglas(rng.uniform(0.1, 0.9, 5)),
    "ces": lambda rng: bd.CES(rng.uniform(0.1, 0.9, 5), rng.uniform(-3.0, 0.9, 5)),
    "ces_near_cd": lambda rng: bd.CES(rng.uniform(0.1, 0.9, 5), rng.uniform(-1e-9, 1e-9, 5)),
    "stone_geary": lambda rng: bd.StoneGeary(
        rng.uniform(0.1, 0.9, 5), rng.uniform(0, 2, 5), rng.uniform(0, 2, 5)
    ),
}


@pytest.mark.parametrize("kind", BUILT_IN)
def test_closed_forms_match_the_numeric_defaults(kind, rng):
    prefs = BUILT_IN[kind](rng)
    numeric = OnlyUtilityAndMRS(prefs)
    w = rng.uniform(5.0, 50.0, (4, 5))
    p = 1.3
    G = rng.uniform(3.0, 60.0, (4, 5))
    np.testing.assert_allclose(numeric.replacement(G, w, p), prefs.replacement(G, w, p), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(numeric.dropout(w, p), prefs.dropout(w, p), rtol=1e-9)
    np.testing.assert_allclose(numeric.lindahl_price(G, w), prefs.lindahl_price(G, w), rtol=1e-9)
    x = rng.uniform(3.0, 20.0, (4, 5))
    u = prefs.utility(x, G)
    np.testing.assert_allclose(prefs.consumption_for_utility(u, G), x, rtol=1e-9)
    np.testing.assert_allclose(numeric.consumption_for_utility(u, G), x, rtol=1e-9)


def test_mrs_is_the_ratio_of_marginal_utilities(rng):
    h = 1e-6
    for prefs in (bd.CobbDouglas(0.3), bd.CES(0.6, -0.8), bd.QuasiLinear(4.0), bd.StoneGeary(0.4, 1.0, 2.0)):
        x, G = 7.0, 11.0
        u_x = (prefs.utility(x + h, G) - prefs.utility(x - h, G)) / (2 * h)
        u_G = (prefs.utility(x, G + h) - prefs.utility(x, G - h)) / (2 * h)
        np.testing.assert_allclose(prefs.mrs(x, G), u_G / u_x, rtol=1e-7)


def test_ces_utility_is_continuous_at_rho_zero():
    x, G = 3.0, 5.0
    at_zero = bd.CES(0.4, 0.0).utility(x, G)
    np.testing.assert_allclose(at_zero, x**0.6 * G**0.4)
    for rho in (1e-300, 1e-12, -1e-12):
        np.testing.assert_allclose(bd.CES(0.4, rho).utility(x, G), at_zero, rtol=1e-10)


def test_ces_handles_strong_complements_without_overflow():
    u = bd.CES(0.5, -200.0).utility(1e-3, 1e3)  # close to min(x, G) = 1e-3
    assert np.isfinite(u) and 1e-3 < u < 1.01e-3


def test_quasilinear_replacement_is_a_step():
    prefs = bd.QuasiLinear(30.0)
    np.testing.assert_allclose(prefs.replacement([10.0, 30.0, 40.0], 100.0), [100.0, 0.0, 0.0])


def test_stone_geary_utility_is_minus_infinity_below_subsistence():
    prefs = bd.StoneGeary(0.5, 2.0, 3.0)
    assert prefs.utility(1.0, 10.0) == -np.inf
    assert prefs.utility(10.0, 3.0) == -np.inf


def test_base_class_requires_utility_and_mrs():
    with pytest.raises(NotImplementedError, match="must define utility"):
        bd.Preferences().utility(1.0, 1.0)
    with pytest.raises(NotImplementedError, match="must define mrs"):
        bd.Preferences().mrs(1.0, 1.0)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: bd.CobbDouglas([0.5, 1.2]), r"`a` must lie in \(0, 1\); a\[1\] = 1.2"),
        (lambda: bd.CobbDouglas(0.0), r"`a` must lie in \(0, 1\)"),
        (lambda: bd.CobbDouglas(np.nan), r"`a` must be finite"),
        (lambda: bd.CES(0.5, 1.0), r"`rho` must be < 1"),
        (lambda: bd.CES(0.5, [0.0, 2.0]), r"`rho` must be < 1; rho\[1\]"),
        (lambda: bd.QuasiLinear(-1.0), r"`b` must be > 0"),
        (lambda: bd.StoneGeary(0.5, -1.0, 0.0), r"`x_min` must be >= 0"),
        (lambda: bd.StoneGeary(0.5, 0.0, np.inf), r"`G_min` must be finite"),
    ],
)
def test_invalid_parameters_name_the_argument(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_non_numeric_parameters_raise_type_error():
    with pytest.raises(TypeError, match="`a` must be an array of real numbers"):
        bd.CobbDouglas("half")


def test_repr_shows_parameters():
    assert repr(bd.CES(0.5, -1.0)) == "CES(a=0.5, rho=-1)"
