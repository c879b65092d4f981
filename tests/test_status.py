"""The one status vocabulary and its combination rule."""

import itertools

import numpy as np
import pytest

import burden as bd
from burden import Status, combine_status


def test_sign_convention():
    for status in Status:
        assert status.success == (status >= 0)


def test_combination_on_all_pairs():
    # the documented order, least severe first
    order = [
        Status.SUCCESS,
        Status.NOT_UNIQUE,
        Status.NOT_CONVERGED,
        Status.INFEASIBLE,
        Status.NOT_CERTIFIED,
        Status.SINGULAR,
        Status.NOT_FINITE,
    ]
    assert set(order) == set(Status)
    for (i, a), (j, b) in itertools.product(enumerate(order), repeat=2):
        expected = order[max(i, j)]
        assert combine_status(a, b) == expected
        assert combine_status(b, a) == expected  # commutative
        assert (not expected.success) == (not a.success or not b.success)
    for a, b, c in itertools.product(order, repeat=3):  # associative
        assert combine_status(combine_status(a, b), c) == combine_status(a, combine_status(b, c))
    for a in order:
        assert combine_status(a, Status.SUCCESS) == a  # neutral element


def test_combination_broadcasts_and_keeps_dtype():
    out = combine_status(np.zeros((3, 1), int), [[0, -1]])
    assert out.shape == (3, 2) and out.dtype == np.int8
    np.testing.assert_array_equal(out, [[0, -1]] * 3)
    assert combine_status(np.zeros(0, int)).shape == (0,)


def test_combination_needs_an_argument():
    with pytest.raises(TypeError):
        combine_status()


def test_exported():
    assert bd.Status is Status and bd.combine_status is combine_status
