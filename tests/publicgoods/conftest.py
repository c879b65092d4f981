"""Shared fixtures and an independent brute-force Nash solver for the public-goods tests."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

import burden as bd


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


def own_utility(prefs, i, w, x, Q, q):
    """Member i's utility, evaluated with member-shaped arrays (parameters may vary by member)."""
    n = w.size
    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(prefs, bd.JointProduct):
            value = prefs.utility(np.full(n, x), np.full(n, Q), np.full(n, q))
        else:
            value = prefs.utility(np.full(n, x), np.full(n, Q))
    return float(np.broadcast_to(value, (n,))[i])


def best_response_iteration_impl(w, prefs, theta, p=1.0, G0=0.0, sweeps=400):
    """Independent Gauss–Seidel best-response iteration by direct numeric maximisation.

    Uses only ``prefs.utility``: none of the package's closed forms, LCPs or root finders.
    """
    w = np.asarray(w, dtype=float)
    n = w.size
    Theta = theta * (1 - np.eye(n)) if np.ndim(theta) == 0 else np.asarray(theta) * (1 - np.eye(n))
    q = np.zeros(n)
    for _ in range(sweeps):
        change = 0.0
        for i in range(n):
            S = Theta[i] @ q + G0
            res = minimize_scalar(
                lambda qi, i=i, S=S: -own_utility(prefs, i, w, w[i] - p * qi, qi + S, qi),
                bounds=(0.0, w[i] / p),
                method="bounded",
                options={"xatol": 1e-12},
            )
            best = res.x
            if -own_utility(prefs, i, w, w[i], S, 0.0) <= res.fun:  # the corner q_i = 0
                best = 0.0
            change = max(change, abs(best - q[i]))
            q[i] = best
        if change < 1e-10 * w.max():
            break
    return q


def geographic_spillins_impl(rng, shape, n, length=0.3):
    """Symmetric Gaussian-kernel spill-ins between random points of the unit square."""
    x = rng.uniform(0, 1, (*shape, n, 2))
    d2 = ((x[..., :, None, :] - x[..., None, :, :]) ** 2).sum(-1)
    return np.exp(-d2 / (2 * length**2)) * (1 - np.eye(n))


@pytest.fixture
def best_response_iteration():
    """Independent best-response iteration for impure goods (a fixture: modules cannot import conftest)."""
    return best_response_iteration_impl


@pytest.fixture
def geographic_spillins():
    """Random symmetric geographic spill-in matrices."""
    return geographic_spillins_impl
