"""Shared helpers of the finite-game tests."""

import numpy as np
import pytest


def assert_same_sets(ours, reference, atol=1e-9):
    """Equilibrium lists agree as sets (matched one to one within atol)."""
    assert len(ours) == len(reference), (ours, reference)
    unused = list(reference)
    for x, y in ours:
        match = [
            i
            for i, (rx, ry) in enumerate(unused)
            if np.allclose(x, rx, atol=atol, rtol=0) and np.allclose(y, ry, atol=atol, rtol=0)
        ]
        assert match, (x, y, reference)
        unused.pop(match[0])


@pytest.fixture
def same_sets():
    """``same_sets(ours, reference)`` asserts two equilibrium lists agree as sets."""
    return assert_same_sets
