"""The numeric normality check, on built-in, user-defined and bound symbolic preferences."""

import numpy as np
import pytest
import sympy as sp

import burden as bd
from burden.symbolic import check_preferences, derive


class InferiorPrivateGood(bd.Preferences):
    """u = ln(x + G^2): mrs = 2 G rises with G, so private consumption is inferior."""

    def utility(self, x, G):
        return np.log(x + np.asarray(G) ** 2)

    def mrs(self, x, G):
        return np.broadcast_to(2.0 * np.asarray(G), np.broadcast_shapes(np.shape(x), np.shape(G)))


@pytest.mark.parametrize(
    "prefs", [bd.CobbDouglas(0.4), bd.CES([0.3, 0.6], -2.0), bd.StoneGeary(0.5, 1.0, 0.0)]
)
def test_builtins_are_normal(prefs):
    report = check_preferences(prefs, x=np.logspace(0.5, 3, 9), G=np.logspace(-2, 3, 9))
    assert report.normal and report.success and report.message == ""
    assert report.min_x_elasticity >= 0 and report.max_G_elasticity <= 0


def test_user_class_violation_is_named():
    report = check_preferences(InferiorPrivateGood())
    assert not report.normal and "mrs rises with the alliance good G" in report.message
    assert report.max_G_elasticity == pytest.approx(1.0, rel=1e-6)  # (G/m) dm/dG = 1 exactly


def test_exact_derivatives_of_bound_preferences():
    x, G, a = sp.symbols("x G a", positive=True)
    d = derive(sp.log(x) + a * sp.log(G), x, G)
    report = check_preferences(d.bind(a=np.linspace(0.1, 5.0, 1000)))  # sampled to 256 combinations
    assert report.normal
    assert report.min_x_elasticity == pytest.approx(1.0) and report.max_G_elasticity == pytest.approx(-1.0)


def test_bad_input():
    with pytest.raises(TypeError, match="`prefs`"):
        check_preferences("cobb-douglas")
    with pytest.raises(ValueError, match="finite positive"):
        check_preferences(bd.CobbDouglas(0.5), x=[0.0, 1.0])
    with pytest.raises(ValueError, match="finite positive"):
        check_preferences(bd.CobbDouglas(0.5), G=[])
