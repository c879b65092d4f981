"""Sobol' indices of burden.studies: the Ishigami function, a derived alliance case, bad use."""

from __future__ import annotations

import numpy as np
import pytest

import burden as bd
from tests.studies._functions import ishigami

A, B = 7.0, 0.1


def ishigami_indices(a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Closed-form Sobol' indices of the Ishigami function, inputs uniform on [-pi, pi].

    Variances from Ishigami & Homma (1990) as given by Sobol' & Levitan (1999), Computer
    Physics Communications 117, 52-61: V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8,
    V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13.
    """
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_closed_form_matches_the_published_indices():
    # The four-digit values tabulated for a = 7, b = 0.1 in the sensitivity-analysis literature
    # (from the variances of Sobol' & Levitan 1999): S = 0.3139, 0.4424, 0;
    # S_T = 0.5576, 0.4424, 0.2437.
    first, total = ishigami_indices(A, B)
    np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=5e-5)
    np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=5e-5)


def test_ishigami_indices():
    params = {"x1": (-np.pi, np.pi), "x2": (-np.pi, np.pi), "x3": (-np.pi, np.pi)}
    si = bd.sobol_indices(ishigami, params, n=2**14, rng=2026, chunk_size=10**4)
    first, total = ishigami_indices(A, B)
    assert si.outputs == ("value",) and si.inputs == ("x1", "x2", "x3")
    np.testing.assert_allclose(si.first_order[0], first, atol=0.02)
    np.testing.assert_allclose(si.total_order[0], total, atol=0.02)
    assert si.success.all() and si.study.size == 2**14 * 5
    frame = si.to_frame()
    assert frame.index.names == ["output", "input"]
    assert frame.loc[("value", "x3"), "total_order"] == si.total_order[0, 2]


def test_alliance_ratio_depends_on_preferences_only():
    # Cobb-Douglas equal members: G_nash / G_lindahl = 1 / (1 + (n - 1)(1 - a)), free of w (derived)
    params = {"n": 4, "a": (0.2, 0.8), "w": (1.0, 2.0)}
    si = bd.sobol_indices(bd.free_riding, params, n=512, rng=1, outputs=["ratio", "G_nash"])
    np.testing.assert_allclose(si.total_order[0], [1.0, 0.0], atol=0.01)
    assert si.total_order[1, 1] > 0.05  # Nash provision is proportional to w


def test_failed_scenarios_and_flat_outputs_are_flagged():
    from tests.studies._functions import quadratic

    si = bd.sobol_indices(quadratic, {"x": (-1.0, 1.0), "y": (0.0, 1.0)}, n=64, rng=0)
    assert si.outputs == ("sum", "root")
    np.testing.assert_array_equal(si.status, [bd.Status.NOT_FINITE] * 2)
    # no index is estimated without every scenario's value (SciPy's estimators returned 0)
    assert np.isnan(si.first_order).all() and np.isnan(si.total_order).all()


def test_indices_need_a_saltelli_study():
    res = bd.study(bd.nash, {"n": 2, "a": (0.2, 0.8)}, n=4, outputs=["G"])
    with pytest.raises(ValueError, match="sampler='saltelli'"):
        res.sobol_indices()
