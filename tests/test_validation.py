"""Tests of the shared argument checks."""

import numpy as np
import pytest

from burden._validation import as_float_array, broadcast_named, check_interval


def test_rejects_non_numeric_types():
    with pytest.raises(TypeError, match="`w` must be an array of real numbers"):
        as_float_array(["a", "b"], "w")
    with pytest.raises(TypeError, match="`w`"):
        as_float_array([1 + 2j], "w")
    with pytest.raises(TypeError, match="`w`"):
        as_float_array([True, False], "w")


def test_names_the_first_non_finite_element_and_counts_the_rest():
    w = np.ones((2, 3))
    w[1, 2] = np.inf
    w[0, 1] = np.nan
    with pytest.raises(ValueError, match=r"w\[0, 1\] = nan \(and 1 more\)"):
        as_float_array(w, "w")


def test_allows_infinity_when_asked_but_never_nan():
    assert as_float_array([np.inf], "upper", finite=False)[0] == np.inf
    with pytest.raises(ValueError, match="not NaN"):
        as_float_array([np.nan], "upper", finite=False)


@pytest.mark.parametrize(
    ("low", "high", "closed", "value", "message"),
    [
        (0, 1, "neither", 1.0, r"lie in \(0, 1\)"),
        (0, 1, "both", 1.5, r"lie in \[0, 1\]"),
        (0, None, "neither", 0.0, r"be > 0"),
        (0, None, "left", -1.0, r"be >= 0"),
        (None, 1, "neither", 1.0, r"be < 1"),
    ],
)
def test_interval_rules(low, high, closed, value, message):
    with pytest.raises(ValueError, match=message):
        check_interval(np.array([0.5, value]), "x", low, high, closed=closed)
    check_interval(np.array([0.5]), "x", low, high, closed=closed)


def test_broadcast_names_every_shape():
    with pytest.raises(ValueError, match=r"`w` \(2, 3\), `a` \(2,\)"):
        broadcast_named({"w": np.ones((2, 3)), "a": np.ones(2)})
