"""Tests of the vectorisable elementary functions (burden._vecmath) against numpy's."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

import burden._vecmath as vm

NAMES = ("exp", "log", "log1p", "expm1")
REFERENCE = {"exp": np.exp, "log": np.log, "log1p": np.log1p, "expm1": np.expm1}
# the largest distance from numpy's result, in units in the last place (module docstring)
ULPS = {"exp": 1, "log": 1, "log1p": 1, "expm1": 2}


def _elementwise(function):
    @njit(error_model="numpy", fastmath={"contract"})
    def loop(x, out):
        for i in range(x.size):
            out[i] = function(x[i])

    return loop


LOOPS = {name: _elementwise(getattr(vm, name)) for name in NAMES}


def evaluate(name, x):
    x = np.ascontiguousarray(x, dtype=np.float64)
    out = np.empty_like(x)
    LOOPS[name](x, out)
    return out


def ulps(got, expected):
    """Distance in units in the last place of ``expected``; 0 where both are the same (NaN included)."""
    with np.errstate(all="ignore"):
        distance = np.abs(got - expected) / np.spacing(np.abs(expected))
    same = (got == expected) | (np.isnan(got) & np.isnan(expected))
    return np.where(same, 0.0, distance)


def sample(name, rng, size):
    """Points over the whole range each function is defined on, and near where it is delicate."""
    if name in ("exp", "expm1"):
        return np.concatenate(
            [rng.uniform(-750.0, 712.0, size), rng.uniform(-2.0, 2.0, size), rng.uniform(-1e-6, 1e-6, size)]
        )
    wide = np.exp(rng.uniform(-745.0, 709.0, size))
    near_one = rng.uniform(0.0, 3.0, size) - (1.0 if name == "log1p" else 0.0)
    return np.concatenate([wide, near_one, rng.uniform(-1e-6, 1e-6, size), -wide])


@pytest.mark.parametrize("name", NAMES)
def test_within_the_documented_ulps_of_numpy(rng, name):
    x = sample(name, rng, 200_000)
    with np.errstate(all="ignore"):
        expected = REFERENCE[name](x)
    got = evaluate(name, x)
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert ulps(got, expected).max() <= ULPS[name]


SPECIAL = [
    0.0, -0.0, 1.0, -1.0, 0.5, 2.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, -1.7976931348623157e308, 709.782712893384, 709.79, 709.5, 710.0,
    -708.4, -745.13, -745.14, -746.0, 1e-300, 1e-17, -1e-17, np.sqrt(0.5), np.sqrt(2.0),
    0.34657359027997264, -0.34657359027997264, 1.0 - 2.0**-53, 1.0 + 2.0**-52,
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_special_values_and_the_edges_of_the_range(name):
    x = np.array(SPECIAL)
    with np.errstate(all="ignore"):  # the neighbours of the largest float are infinite
        x = np.concatenate([x, np.nextafter(x, np.inf), np.nextafter(x, -np.inf)])
        expected = REFERENCE[name](x)
    got = evaluate(name, x)
    # infinities, zeros and NaN exactly where numpy has them, finite values within the bound
    assert np.array_equal(np.isnan(got), np.isnan(expected))
    assert np.array_equal(np.isinf(got) & (got > 0), np.isinf(expected) & (expected > 0))
    assert np.array_equal(np.isinf(got) & (got < 0), np.isinf(expected) & (expected < 0))
    assert ulps(got, expected).max() <= ULPS[name]


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_any_double(x):
    for name in NAMES:
        with np.errstate(all="ignore"):
            expected = REFERENCE[name](np.array([x]))
        assert ulps(evaluate(name, [x]), expected)[0] <= ULPS[name], name


def test_bits_round_trip(rng):
    @njit
    def round_trip(x, out, ints):
        for i in range(x.size):
            ints[i] = vm.bits(x[i])
            out[i] = vm.from_bits(ints[i])

    x = np.concatenate([rng.normal(size=1000), [0.0, -0.0, np.inf, -np.inf, 5e-324]])
    out, ints = np.empty_like(x), np.empty(x.size, dtype=np.int64)
    round_trip(x, out, ints)
    assert np.array_equal(ints, x.view(np.int64))
    assert np.array_equal(out.view(np.int64), x.view(np.int64))
