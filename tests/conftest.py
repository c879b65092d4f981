"""Fixtures shared by every test module."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    """A seeded generator: every test run draws the same 'random' cases."""
    return np.random.default_rng(20261125)
