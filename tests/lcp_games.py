"""Random spill-in games as box LCPs, shared by the LCP kernel's tests and its benchmark."""

from __future__ import annotations

import numpy as np


def spill_in_games(rng: np.random.Generator, count: int, n: int, length: float = 0.15):
    """``count`` spill-in Nash games of ``n`` allies as LCPs ``(M, q)``, ``M`` symmetric.

    Allies sit at random points of the unit square; ally ``j``'s defence reaches ``i`` with
    weight ``exp(-d²/(2 length²))``. Cobb–Douglas weights ``a`` in [0.2, 0.8] give the
    first-order conditions' slopes ``c = (1 - a)/a``; each row is divided by its ``c``, which
    leaves ``M = diag(1/c) + I + θ`` exactly symmetric with a positive diagonal.
    """
    a = rng.uniform(0.2, 0.8, (count, n))
    c = (1 - a) / a
    x = rng.uniform(0, 1, (count, n, 2))
    d2 = ((x[:, :, None, :] - x[:, None, :, :]) ** 2).sum(-1)
    theta = np.exp(-d2 / (2 * length**2)) * (1 - np.eye(n))
    income = rng.lognormal(0, 1, (count, n))
    M = np.eye(n) / c[..., None] + np.eye(n) + theta  # diag(1/c) M, exactly symmetric
    return M, -income / c
