"""The exact Nash solver for linear replacement functions, on the compiled sort-and-add kernel.

Members whose first-order condition is a line ``x = x0 + p c G`` (homothetic and Stone–Geary
preferences, see :meth:`burden.Preferences.linear_foc`) have replacement functions
``r_i(G) = max(0, A_i - c_i G)`` with ``A_i = (w_i - x0_i)/p``. :func:`nash_linear` solves
``G = G0 + Σ r_i(G)`` exactly, with a scalar spill-in per scenario if asked, and certifies every
scenario; :func:`sort_and_add` is its narrower view. The method
is in :mod:`burden.publicgoods._kernels` (and ``docs/publicgoods.md``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["CERTIFICATE_RTOL", "LinearNash", "nash_linear", "sort_and_add"]

#: relative residual below which a scenario's identity and best responses count as certified:
#: rounding leaves them at a few ulps (far below this) for every well-posed input
CERTIFICATE_RTOL = 2.0**-36


class LinearNash(NamedTuple):
    """Outputs of :func:`nash_linear`; ``batch`` is the scenario shape, ``n`` the members.

    Attributes
    ----------
    g : ndarray, shape ``batch + (n,)``
        Each member's contribution (``q`` with spill-ins), ``0 <= g <= w/p`` when certified.
    G : ndarray, shape ``batch``
        The equilibrium level ``V = G0 + θ Σ g`` (the total ``G`` for the pure good, ``θ = 1``).
    x : ndarray, shape ``batch + (n,)``
        Private consumption: ``w`` for non-contributors, the first-order condition
        ``x0 + p c Q`` for contributors, ``Q = V + (1 - θ) g`` the level each one enjoys.
    dropout : ndarray, shape ``batch + (n,)``
        Drop-out levels ``A / c``.
    contributors : ndarray of bool, shape ``batch + (n,)``
        ``g > 0``.
    identity_residual : ndarray, shape ``batch``
        ``|V - G0 - θ Σ g| / V`` (0 when both are 0); ``inf`` when any output of the scenario is
        outside floating-point range: not finite (overflow, or a NaN/infinite parameter such as
        an overflowed ``c``) or a positive output (contribution, consumption, total) below the
        smallest normal double.
    br_residual : ndarray, shape ``batch``
        ``max_i |g_i - BR_i| / scale_i``: each member's distance from its best response to the
        others, ``BR_i = max(0, A_i - c_i S_i)/(1 + c_i)`` with ``S_i = V - θ g_i``, relative to
        ``scale_i = max(|A_i|, c_i |S_i|)/(1 + c_i)``, the size of the terms it is made of.
    residual : ndarray, shape ``batch``
        The same distances relative to each member's budget instead: ``max_i |g_i - BR_i| p / w_i``
        (the ``residual`` that :func:`burden.nash` reports for every family).
    in_bounds : ndarray of bool, shape ``batch``
        Every ``0 <= g_i <= w_i / p`` (False where some ``g`` is NaN).
    """

    g: NDArray
    G: NDArray
    x: NDArray
    dropout: NDArray
    contributors: NDArray
    identity_residual: NDArray
    br_residual: NDArray
    residual: NDArray
    in_bounds: NDArray

    def certified(self, rtol: float = CERTIFICATE_RTOL) -> NDArray:
        """Per scenario: every residual at most ``rtol`` and every contribution within bounds."""
        small = (self.identity_residual <= rtol) & (self.br_residual <= rtol) & (self.residual <= rtol)
        return np.asarray(small & self.in_bounds)

    def out_of_range(self) -> NDArray:
        """Per scenario: some output or model coefficient outside floating-point range."""
        return np.asarray(self.identity_residual == np.inf)


def nash_linear(
    w: NDArray,
    x0: ArrayLike,
    c: ArrayLike,
    p: ArrayLike,
    G0: ArrayLike,
    *,
    spillover: ArrayLike = 1.0,
    chunk: int = 8192,
    workers: int = 1,
) -> LinearNash:
    """Nash equilibrium (with certificate) for linear first-order conditions ``x = x0 + p c G``.

    ``w`` has shape ``batch + (n,)``; ``x0`` and ``c`` broadcast to it (``c > 0``); ``p``,
    ``G0`` and the scalar spill-in ``spillover`` (``θ`` in [0, 1], 1: the pure public good)
    broadcast to ``batch``. Inputs must already be validated. Scenarios are solved in blocks of
    at most ``chunk`` rows by ``workers`` threads (an already validated positive count); the
    answer does not depend on either.

    Examples
    --------
    >>> import numpy as np
    >>> eq = nash_linear(np.array([100.0, 80.0]), 0.0, 1.0, 1.0, 0.0)
    >>> eq.g, eq.G, eq.certified()
    (array([40., 20.]), array(60.), array(True))
    >>> nash_linear(np.array([100.0, 80.0]), 0.0, 1.0, 1.0, 0.0, spillover=0.5).g
    array([42.666667, 29.333333])
    """
    # Imported on first use: numba's import alone costs about half a second, which `import burden`
    # does not pay.
    from burden.publicgoods._kernels import kernel_rows, nash_linear_kernel, run_rows

    batch, n = w.shape[:-1], w.shape[-1]
    inputs = [kernel_rows(v, batch, n) for v in (w, x0, c)]
    inputs += [kernel_rows(v, batch, None) for v in (p, G0, spillover)]
    # g, G, x, dropout, contributors, identity, br, residual, in_bounds
    kinds = [(True, float), (False, float), (True, float), (True, float), (True, bool)]
    kinds += [(False, float), (False, float), (False, float), (False, bool)]
    return LinearNash(*run_rows(nash_linear_kernel, inputs, kinds, batch, n, chunk, workers))


def sort_and_add(A: NDArray, c: NDArray, G0: NDArray) -> tuple[NDArray, NDArray]:
    """Solve ``G = G0 + Σ max(0, A_i - c_i G)`` exactly for 2-D ``(scenarios, n)`` arrays.

    Andreoni & McGuire's (1993) algorithm read as a peak (:mod:`burden.publicgoods._kernels`):
    the equilibrium is ``max(G0, max_k G_k)`` over the prefix totals
    ``G_k = (G0 + Σ_top-k A) / (1 + Σ_top-k c)`` of members sorted by drop-out level ``A/c``.
    ``c > 0``, shape ``(scenarios, n)`` or ``(1, n)``; ``A`` may have any sign.

    Returns
    -------
    g : ndarray, shape ``(scenarios, n)``
        ``max(0, A - c G)``.
    G : ndarray, shape ``(scenarios,)``

    Examples
    --------
    >>> import numpy as np
    >>> g, G = sort_and_add(np.array([[100.0, 80.0]]), np.ones((1, 2)), np.zeros(1))
    >>> g, G
    (array([[40., 20.]]), array([60.]))
    """
    eq = nash_linear(A, 0.0, c, 1.0, G0)
    return eq.g, eq.G
