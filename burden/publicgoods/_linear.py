"""The exact Nash solver for linear replacement functions, run in cache-sized chunks.

Members whose first-order condition is a line ``x = x0 + p c G`` (homothetic and Stone–Geary
preferences, see :meth:`burden.Preferences.linear_foc`) have replacement functions
``r_i(G) = max(0, A_i - c_i G)`` with ``A_i = (w_i - x0_i)/p``. :func:`sort_and_add` solves
``G = G0 + Σ r_i(G)`` exactly; :func:`solve_linear` runs it, and every per-member output, one
chunk of scenarios at a time, so the working set stays in cache and no full-size temporary
is materialised besides the outputs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from burden._chunks import for_each_chunk

__all__ = ["solve_linear", "sort_and_add"]


def sort_and_add(A: NDArray, c: NDArray, G0: NDArray) -> tuple[NDArray, NDArray]:
    """Solve ``G = G0 + Σ max(0, A_i - c_i G)`` exactly for 2-D ``(scenarios, n)`` arrays.

    Andreoni & McGuire's (1993) algorithm: sort members by drop-out level ``Q̄ = A/c``
    (descending); with the top ``k`` contributing the total would be
    ``G_k = (G0 + Σ_top-k A) / (1 + Σ_top-k c)``. ``G_{k+1}`` is a weighted mean of ``G_k``
    and ``Q̄_(k+1)``, so ``G_k`` rises while the next member's drop-out level exceeds it and
    never rises again once it does not: the equilibrium is the peak,
    ``G* = max(G0, max_k G_k)`` (``G0`` when nobody contributes). One sort, two cumulative
    sums and a maximum along the member axis. ``c > 0``, shape ``(scenarios, n)`` or
    ``(1, n)`` (shared by every scenario); ``A`` may have any sign.

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
    G = total_provision(A, c, A / c, G0)
    return np.maximum(0.0, A - c * G[:, None]), G


def total_provision(A: NDArray, c: NDArray, dropout: NDArray, G0: NDArray) -> NDArray:
    """The equilibrium total of :func:`sort_and_add`, given the drop-out levels ``A / c``."""
    rows, n = A.shape
    # The ascending sort reversed (into contiguous memory: gathers through a reversed view are
    # ten times slower) is the descending order; sorting negated keys is slower still.
    order = np.ascontiguousarray(np.argsort(dropout, axis=-1)[:, ::-1])
    if c.shape[0] == 1:  # c shared by all scenarios: gather from its one row, no (rows, n) copy
        c_sorted = c[0].take(order)
    else:
        c_sorted = np.take_along_axis(np.broadcast_to(c, A.shape), order, axis=-1)
    # flat indices gather faster than take_along_axis
    order += (np.arange(rows) * n)[:, None]
    G_k = np.cumsum(A.take(order), axis=-1)
    G_k += G0[:, None]
    cumulative_c = np.cumsum(c_sorted, axis=-1)
    cumulative_c += 1.0
    G_k /= cumulative_c
    return np.maximum(G0, G_k.max(axis=-1))


def solve_linear(
    w: NDArray, x0: NDArray, c: NDArray, p: NDArray, G0: NDArray, chunk: int, workers: int = 1
) -> tuple[NDArray, NDArray, NDArray, NDArray, NDArray]:
    """Nash equilibrium for linear first-order conditions ``x = x0 + p c G``.

    ``w`` has shape ``batch + (n,)``; ``x0`` and ``c`` broadcast to it; ``p`` and ``G0`` have
    shape ``batch``. Returns ``g, G, x, dropout, contributors``. Every output is written chunk
    by chunk into its final array, with as few passes over the chunk as the arithmetic allows,
    by ``workers`` threads.
    """
    batch, n = w.shape[:-1], w.shape[-1]
    rows = int(np.prod(batch, dtype=np.int64))
    w_rows, x0_rows, c_rows = (_rows(v, batch, n) for v in (w, x0, c))
    p_rows, G0_rows = (np.broadcast_to(v, batch).reshape(-1) for v in (p, G0))
    homothetic = not np.any(x0_rows)
    g, x, dropout = (np.empty((rows, n)) for _ in range(3))
    contributors = np.empty((rows, n), dtype=bool)
    G = np.empty(rows)

    def solve_chunk(part: slice) -> None:
        w_c, x0_c, c_c = (v if v.shape[0] == 1 else v[part] for v in (w_rows, x0_rows, c_rows))
        p_c = p_rows[part, None]
        A = g[part]  # g's buffer holds A = (w - x0)/p until g is known
        if homothetic:
            np.divide(w_c, p_c, out=A)
        else:
            np.subtract(w_c, x0_c, out=A)
            A /= p_c
        Q = dropout[part]
        np.divide(A, c_c, out=Q)
        G_c = G[part] = total_provision(A, c_c, Q, G0_rows[part])
        # A contributor's consumption from its first-order condition, x = x0 + p c G: computing
        # it as w - p g loses all precision when a member spends nearly all its wealth.
        x_c = x[part]
        np.multiply(c_c, (p_c[:, 0] * G_c)[:, None], out=x_c)
        if not homothetic:
            x_c += x0_c
        np.copyto(x_c, w_c, where=Q <= G_c[:, None])
        A -= c_c * G_c[:, None]
        np.maximum(A, 0.0, out=A)  # now g
        np.greater(A, 0.0, out=contributors[part])

    for_each_chunk(solve_chunk, rows, chunk, workers)
    shape = (*batch, n)
    return (
        g.reshape(shape),
        G.reshape(batch),
        x.reshape(shape),
        dropout.reshape(shape),
        contributors.reshape(shape),
    )


def _rows(value: NDArray, batch: tuple[int, ...], n: int) -> NDArray:
    """View ``value`` (broadcastable to ``batch + (n,)``) as ``(1, n)`` or ``(rows, n or 1)``."""
    value = np.asarray(value, dtype=float)
    if value.ndim <= 1 or all(s == 1 for s in value.shape[:-1]):
        return np.broadcast_to(value.reshape(1, -1), (1, n))
    return np.broadcast_to(value, batch + value.shape[-1:]).reshape(-1, value.shape[-1])
