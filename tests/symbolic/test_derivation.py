"""The symbolic derivations against the built-in closed forms and hand-derived results."""

import pickle

import numpy as np
import pytest
import sympy as sp

import burden as bd
from burden.symbolic import SymbolicPreferences, derive

x, G, a, rho = sp.symbols("x G a rho", positive=True)
x_min, G_min = sp.symbols("x_min G_min", positive=True)


def builtin_replacement(c, x0, d):
    """``r(G) = (w - x0)/p - c G``: the linear replacement function of the built-in classes."""
    return (d.w - x0) / d.p - c * d.G


def test_cobb_douglas_replacement_equals_the_builtin():
    d = derive((1 - a) * sp.log(x) + a * sp.log(G), x, G)
    # a > 0 only: sympy cannot know a < 1, so the signs are left to the numeric check of `bind`
    assert d.linear and d.normal is None
    assert sp.simplify(d.replacement - builtin_replacement((1 - a) / a, 0, d)) == 0
    assert sp.simplify(d.dropout - a * d.w / ((1 - a) * d.p)) == 0
    assert sp.simplify(d.mrs - a * d.x / ((1 - a) * d.G)) == 0


def test_ces_replacement_equals_the_builtin():
    # The weight 1 - a is written b > 0 (the replacement function does not depend on the
    # weights' normalisation), so that sympy knows the sign of every base it raises to a power.
    b = sp.Symbol("b", positive=True)
    for r in (sp.Symbol("rho", negative=True), sp.Rational(1, 2), sp.Rational(-3, 1)):
        d = derive((b * x**r + a * G**r) ** (1 / r), x, G)
        sigma = 1 / (1 - r)
        c = (d.p * b / a) ** sigma / d.p
        assert d.linear
        difference = d.replacement - builtin_replacement(c, 0, d)
        expanded = sp.simplify(sp.powsimp(sp.expand_power_base(difference, force=True), force=True))
        assert sp.simplify(sp.powsimp(expanded, force=True)) == 0


def test_stone_geary_replacement_equals_the_builtin():
    d = derive((1 - a) * sp.log(x - x_min) + a * sp.log(G - G_min), x, G)
    c = (1 - a) / a
    assert d.linear
    assert sp.simplify(d.replacement - builtin_replacement(c, x_min - d.p * c * G_min, d)) == 0


def test_no_closed_form_is_flagged_numeric():
    b = sp.Symbol("b", positive=True)
    d = derive(sp.log(x) + a * sp.log(G) + b * G, x, G)
    # the consumption line x* = G p/(a + b G) is solved but not linear: sort-and-add does not apply,
    # and the best response is left to the solvers' replacement-function path
    assert not d.linear
    assert sp.simplify(d.consumption - d.G * d.p / (a + b * d.G)) == 0
    assert d.best_response is None and "best response = numeric" in repr(d)


def test_conditions_and_latex():
    d = derive(sp.log(x) + a * sp.sqrt(G), x, G)
    assert d.normal is True
    assert isinstance(d.samuelson, sp.Eq) and isinstance(d.lindahl, sp.Eq)
    assert sp.simplify(d.lindahl.rhs - d.mrs.subs(d.x, d.w - d.t * d.G)) == 0
    latex = d._repr_latex_()
    assert latex.startswith("$") and "Samuelson" in latex
    assert isinstance(d, SymbolicPreferences) and "SymbolicPreferences" in repr(d)


def test_a_non_normal_form_is_decided():
    d = derive(sp.log(x + G**2), x, G)
    assert d.normal is False


def test_derivation_pickles():
    d = derive((1 - a) * sp.log(x) + a * sp.log(G), x, G)
    again = pickle.loads(pickle.dumps(d))
    assert sp.simplify(again.replacement - d.replacement) == 0


@pytest.mark.parametrize(
    ("utility", "error", "match"),
    [
        (sp.log(G), ValueError, "depend on `x`"),
        (sp.log(x), ValueError, "depend on `G`"),
        ("log(x) + log(G)", TypeError, "sympy expression"),
        (sp.log(x) + sp.Symbol("p") * sp.log(G), ValueError, "reserved"),
    ],
)
def test_bad_expressions(utility, error, match):
    with pytest.raises(error, match=match):
        derive(utility, x, G)


def test_bad_symbols_and_params():
    with pytest.raises(TypeError, match="`x` must be a sympy Symbol"):
        derive(sp.log(x) + sp.log(G), "x", G)
    with pytest.raises(ValueError, match="not in `params`"):
        derive(sp.log(x) + a * sp.log(G), x, G, params=[])


def test_builtin_forms_solve_to_the_same_numbers(rng):
    w = rng.lognormal(3.0, 1.0, (50, 6))
    alpha = rng.uniform(0.2, 0.8, (50, 6))
    d = derive((1 - a) * sp.log(x) + a * sp.log(G), x, G)
    ours, theirs = bd.nash(w, d.bind(a=alpha)), bd.nash(w, bd.CobbDouglas(alpha))
    np.testing.assert_allclose(ours.g, theirs.g, rtol=1e-12, atol=1e-12 * w.max())
    np.testing.assert_allclose(
        bd.lindahl(w, d.bind(a=alpha)).G, bd.lindahl(w, bd.CobbDouglas(alpha)).G, rtol=1e-10
    )
