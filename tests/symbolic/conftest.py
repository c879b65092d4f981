"""Independent checks of Nash and Lindahl allocations by direct numeric maximisation."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar


def _argmax(f, lo, hi):
    """Maximiser of a scalar function on [lo, hi], the ends included (bounded Brent + ends)."""
    res = minimize_scalar(lambda v: -f(v), bounds=(lo, hi), method="bounded", options={"xatol": 1e-12 * hi})
    return max((res.x, lo, hi), key=f)


def best_responses(w, utility, g, p=1.0, G0=0.0):
    """Each member's utility-maximising contribution, the others' contributions held fixed."""
    total = G0 + g.sum()
    return np.array(
        [
            _argmax(lambda gi, i=i: utility(i, w[i] - p * gi, gi + total - g[i]), 0.0, w[i] / p)
            for i in range(w.size)
        ]
    )


def lindahl_demands(w, utility, tau, p=1.0):
    """The total each member demands when it pays the share ``tau[i]`` of every unit."""
    return np.array(
        [
            _argmax(lambda Gd, i=i: utility(i, w[i] - tau[i] * p * Gd, Gd), 1e-9, w[i] / (tau[i] * p))
            for i in range(w.size)
        ]
    )


@pytest.fixture
def independent():
    """The best-response and Lindahl-demand checks, as a fixture."""
    return best_responses, lindahl_demands
