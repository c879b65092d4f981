"""Shared fixtures and an independent brute-force Nash solver for the public-goods tests."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar


def brute_force_nash(w, prefs, p=1.0, G0=0.0, sweeps=500, rtol=1e-8):
    """Gauss–Seidel best-response iteration, each best response by direct numeric maximisation.

    Independent of the package's replacement functions and closed forms: it only evaluates
    ``prefs.utility`` (member ``i``'s utility is element ``i`` of a member-shaped evaluation).
    """
    w = np.asarray(w, dtype=float)

    def utility(i, x, G):
        with np.errstate(divide="ignore", invalid="ignore"):
            value = prefs.utility(np.full(w.size, x), G)
        return float(np.broadcast_to(value, w.shape)[i])

    g = np.zeros_like(w)
    for _ in range(sweeps):
        change = 0.0
        for i in range(w.size):
            others = G0 + g.sum() - g[i]
            res = minimize_scalar(
                lambda gi, i=i, others=others: -utility(i, w[i] - p * gi, gi + others),
                bounds=(0.0, w[i] / p),
                method="bounded",
                options={"xatol": 1e-12},
            )
            best = res.x
            # the bounded search never returns an end exactly: compare with the ends themselves
            for end in (0.0, w[i] / p):
                if -utility(i, w[i] - p * end, end + others) <= res.fun:
                    best, res.fun = end, -utility(i, w[i] - p * end, end + others)
            change = max(change, abs(best - g[i]))
            g[i] = best
        if change < rtol * w.max():  # bounded Brent locates a flat maximum to ~sqrt(eps) only
            break
    return g, G0 + g.sum()


@pytest.fixture
def brute_force():
    """The independent brute-force Nash solver, as a fixture (test modules cannot import conftest)."""
    return brute_force_nash
