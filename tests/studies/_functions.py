"""Module-level model functions for the study tests: importable by name, so they pickle to Dask workers."""

from __future__ import annotations

import numpy as np


def ishigami(x1, x2, x3, a=7.0, b=0.1):
    """The Ishigami & Homma (1990) test function."""
    return np.sin(x1) + a * np.sin(x2) ** 2 + b * x3**4 * np.sin(x1)


def quadratic(x, y):
    """Two outputs, one of them undefined (NaN) for x < 0."""
    with np.errstate(invalid="ignore"):
        return {"sum": x + y, "root": np.sqrt(x) * np.ones_like(y)}


def distance(x, y):
    """One array output."""
    return np.hypot(x, y)
