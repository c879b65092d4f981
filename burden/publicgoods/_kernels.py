r"""Compiled sort-and-add kernel: the Nash equilibrium of linear replacement functions.

Members whose contributor optimum is the line :math:`x = x_0 + p c Q` (Cobb–Douglas, CES,
Stone–Geary: :meth:`burden.Preferences.linear_foc`) have :math:`A_i = (w_i - x_{0i})/p` and
drop-out levels :math:`\bar Q_i = A_i / c_i`. With a scalar spill-in :math:`\theta` per scenario
(:math:`\theta = 1`: the pure public good) the level :math:`V = G_0 + \theta \sum_j q_j` solves
:math:`V = G_0 + \sum_i \max(0, A''_i - c''_i V)` with
:math:`A''_i = \theta A_i / d_i`, :math:`c''_i = \theta c_i / d_i`, :math:`d_i = 1 + c_i(1 - \theta)`
whose drop-out levels are the same :math:`\bar Q_i`, and each member buys
:math:`q_i = \max(0, A_i - c_i V)/d_i`.

One pass per scenario (``docs/publicgoods.md``), every output written straight
into its final array:

1. :math:`A_i` and :math:`\bar Q_i` for every member;
2. the member with the highest drop-out level alone gives :math:`G_1 = (G_0 + A''_1)/(1 + c''_1)`,
   a lower bound of the equilibrium, so members with :math:`\bar Q_i \le G_1` never contribute;
   the rest (a handful in practice) are the candidates;
3. the peak rule without a full sort. Sorted by drop-out level, the prefix totals
   :math:`G_k = (G_0 + \sum_{\le k} A'')/(1 + \sum_{\le k} c'')` rise while the next drop-out level
   exceeds them and never rise again (each is a weighted mean of the last and the next drop-out
   level), so the equilibrium is the peak :math:`\max(G_0, \max_k G_k)` and the contributors are
   exactly the members with :math:`\bar Q_i > V`. The kernel shrinks a superset of it: the
   weighted mean :math:`V_S = (G_0 + \sum_S A'')/(1 + \sum_S c'')` of a candidate set
   :math:`S \supseteq S^*` lies strictly above the last :math:`V` (every member of :math:`S` has a
   drop-out level above it) and at most at the peak (every extra member's drop-out level is at
   most the peak), so dropping the members with :math:`\bar Q_i \le V_S` and repeating shrinks
   :math:`S` to :math:`S^*` in at most :math:`|S|` steps, with no sort at all;
4. contributions from the first-order condition, :math:`q_i = (A_i - c_i V)/d_i`. Where that
   difference cancels (more than 10 bits lost, e.g. Cobb–Douglas with a tiny ``a``) it is
   recomputed without cancellation from
   :math:`\bar Q_i - V = (\bar Q_i - G_0 + \sum_{j \in S} c''_j(\bar Q_i - \bar Q_j))/(1 + \sum_S c''_j)`;
   consumption also comes from the first-order condition, :math:`x_i = x_{0i} + p c_i Q_i` with
   :math:`Q_i = V + (1 - \theta) q_i` (not :math:`w_i - p q_i`, which cancels);
5. the certificate, recomputed from the outputs: the relative residual of the accounting identity
   :math:`V = G_0 + \theta \sum q`, each member's best response to the others
   :math:`\max(0, A_i - c_i S_i)/(1 + c_i)` with :math:`S_i = V - \theta q_i` (relative both to
   the terms it is made of and to the budget :math:`w_i / p`), the bounds
   :math:`0 \le q_i \le w_i / p`, finite coefficients, and no output below the normal range.

A row whose equilibrium falls outside :math:`[2^{-600}, 2^{600}]` (or overflows) is solved again
after an exact power-of-two rescaling of :math:`w, x_0, G_0` (the problem is homogeneous of degree
one in them), so wealth from 1e-300 to 1e300 neither overflows nor underflows on the way; other
rows are never rescaled. A positive contribution below the smallest normal double (the true
answer underflows) is reported through the certificate like an overflow. Each scenario is
solved by one thread from its own inputs, so results are bit-identical for any thread count.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike, NDArray

from burden._chunks import for_each_chunk
from burden._numba import KERNEL, PARALLEL_KERNEL

__all__ = ["kernel_rows", "nash_linear_kernel", "row", "run_rows"]

# Rows whose largest magnitude lies in [2**-_SAFE_EXPONENT, 2**_SAFE_EXPONENT] are solved unscaled.
_SAFE_EXPONENT = 600
# below this a double is subnormal: it has lost precision
_SMALLEST_NORMAL = 2.0**-1022
# g = A - c V loses more than 10 bits below this fraction of A: recompute it without cancellation.
_CANCELLATION = 2.0**-10


@njit(**KERNEL, inline="always")
def row(values, r):
    """Row ``r`` of a kernel input, or its only row when it is shared by every scenario."""
    return values[r if values.shape[0] > 1 else 0]


@njit(**KERNEL)
def _worse(a, c, S, q, w, p, br, budget):
    """The running maxima ``(br, budget)`` of the best-response residual, with one more member.

    The member buys ``q``; its best response to ``S`` is ``max(0, a - c S)/(1 + c)``. ``br`` is
    the distance relative to the size of the terms it is made of, ``max(|a|, c |S|)/(1 + c)``,
    ``budget`` relative to the budget ``w/p``; NaN counts as infinite. Both are scaled by
    ``1 + c`` so that the best response is never divided out, and divided only for a new
    maximum: divisions, not memory, bound this pass.
    """
    num = a - c * S
    miss = abs(q * (1.0 + c) - max(num, 0.0))  # (1 + c) |q - best response|
    if not miss <= 0.0:  # NaN included
        terms = max(abs(a), c * abs(S))
        if not miss <= br * terms:
            br = miss / terms if miss == miss else np.inf
        gap = miss * p
        spend = (1.0 + c) * w
        if not gap <= budget * spend:
            budget = gap / spend if gap == gap else np.inf
    return br, budget


@njit(**KERNEL)
def _row_finite(values, r):
    """Whether every element of row ``r`` of a 2-D array is finite."""
    for i in range(values.shape[1]):
        if not math.isfinite(values[r, i]):
            return False
    return True


@njit(**KERNEL)
def _row_exponent(w, x0, r, rx, G0):
    """Power-of-two exponent that brings the largest magnitude of row ``r`` near 1."""
    m = G0
    for i in range(w.shape[1]):
        m = max(m, abs(w[r, i]), abs(x0[rx, i]))
    if m == 0.0 or not math.isfinite(m):
        return 0
    return math.frexp(m)[1]


@njit(**KERNEL, inline="always")
def _solve_row(
    w, x0, c, r, rw, rx, rc, p, G0, theta, coefficients_finite, g, x, dropout, contrib, order, scratch
):
    """Solve scenario ``r`` in place (module docstring); return ``(V, identity, br, budget, in_bounds)``.

    Arrays are whole 2-D inputs and outputs, indexed by row: outputs by ``r``; ``rw``, ``rx``
    and ``rc`` are the rows of ``w``, ``x0`` and ``c`` (0 when shared by every scenario).
    ``coefficients_finite`` says whether every ``x0`` and ``c`` is finite (an infinite ``c``,
    e.g. a CES so close to perfect substitutes that it overflowed, gives finite drop-out
    levels, so it is checked apart). ``order`` (int) and ``scratch`` (``(4, n)`` float) are
    work space.
    """
    n = w.shape[1]
    G0_in = G0
    e = 0
    while True:
        G0 = math.ldexp(G0_in, -e) if e != 0 else G0_in
        # Pass 1: A (kept in x's row until x is known), drop-out levels and the top member.
        # One division per row: A = (w - x0) * (1/p) is within an ulp of (w - x0)/p (and equal
        # to it for p = 1), and divisions, not memory, bound a loop like this one.
        inv_p = 1.0 / p
        # Three short loops rather than one: each has few enough arrays for the compiler to
        # check them for overlap at run time and vectorise it.
        if e == 0:  # the common case
            for i in range(n):
                x[r, i] = (w[rw, i] - x0[rx, i]) * inv_p
        else:
            for i in range(n):
                x[r, i] = (math.ldexp(w[rw, i], -e) - math.ldexp(x0[rx, i], -e)) * inv_p
        for i in range(n):
            dropout[r, i] = x[r, i] / c[rc, i]
        for i in range(n):
            g[r, i] = 0.0
        top = 0
        top_q = dropout[r, 0]
        finite = coefficients_finite and top_q == top_q
        for i in range(1, n):
            q = dropout[r, i]
            finite &= q == q  # a NaN drop-out level comes from a NaN parameter
            if q > top_q:
                top, top_q = i, q
        V = G0
        weight = 1.0  # 1 + Σ c'' over the contributors
        k = 0  # contributors: members order[:k], with A'', c'', drop-out level in scratch[:, :k]
        if top_q > G0:
            # Members at or below G_1 (the top member alone) never contribute: V >= G_1.
            pure = theta == 1.0  # the pure public good: A'' = A, c'' = c
            d = 1.0 if pure else 1.0 + c[rc, top] * (1.0 - theta)
            G1 = (G0 + theta * x[r, top] / d) / (1.0 + theta * c[rc, top] / d)
            for i in range(n):  # branch-free compaction of the candidates
                order[k] = i
                k += (dropout[r, i] > G1) | (i == top)
            for j in range(k):
                i = order[j]
                if pure:
                    scratch[0, j] = x[r, i]
                    scratch[1, j] = c[rc, i]
                else:
                    d = 1.0 + c[rc, i] * (1.0 - theta)
                    scratch[0, j] = theta * x[r, i] / d
                    scratch[1, j] = theta * c[rc, i] / d
                scratch[2, j] = dropout[r, i]
            # The contributor set is {Q̄ > V}; V is the weighted mean of G0 and the drop-out
            # levels of the current set, which exceeds V's last value and stays below the
            # equilibrium, so dropping the members at or below it converges in at most k steps.
            while True:
                total = G0
                weight = 1.0
                for j in range(k):
                    total += scratch[0, j]
                    weight += scratch[1, j]
                V = total / weight
                kept = 0
                for j in range(k):  # branch-free compaction of the members above V
                    order[kept] = order[j]
                    scratch[0, kept] = scratch[0, j]
                    scratch[1, kept] = scratch[1, j]
                    scratch[2, kept] = scratch[2, j]
                    kept += scratch[2, j] > V
                if kept == k or kept == 0:
                    break
                k = kept
            if e == 0 and (V > 2.0**_SAFE_EXPONENT or 0.0 < V < 2.0**-_SAFE_EXPONENT or V != V):
                e = _row_exponent(w, x0, rw, rx, G0_in)
                # Rescale only towards the safe range: a tiny V next to large wealth comes from
                # huge slopes c, and scaling the wealth down would push it into subnormals.
                if e > 0 if not 0.0 < V < 1.0 else e < 0:
                    continue  # solve the row again, rescaled
                e = 0
            # Contributions from the first-order condition.
            for j in range(k):
                i = order[j]
                a, ci = x[r, i], c[rc, i]
                scratch[3, j] = a  # x[r, i] is overwritten below
                num = a - ci * V
                if num < a * _CANCELLATION:
                    qi = scratch[2, j]
                    diff = qi - G0
                    for h in range(k):
                        diff += scratch[1, h] * (qi - scratch[2, h])
                    num = ci / weight * diff  # c_i / weight <= 1 / θ: neither factor under- nor overflows
                g[r, i] = min(max(num, 0.0), a) / (1.0 + ci * (1.0 - theta))
        break
    # Pass 5: consumption, certificate and the outputs in the caller's units. Every member
    # first as a non-contributor (x = w), then the k contributors over again: a loop over all
    # members that branched on who contributes would mispredict at random positions. The
    # loops over all members have no branch, so that the compiler can vectorise them.
    br = 0.0
    budget = 0.0
    in_bounds = True
    off = False  # some non-contributor is not at its best response (or NaN)
    for i in range(n):
        off |= (g[r, i] == 0.0) & ~(x[r, i] - c[rc, i] * V <= 0.0)
    if off:  # rare: measure how far off
        for i in range(n):
            if g[r, i] == 0.0:
                wi = w[rw, i] if e == 0 else math.ldexp(w[rw, i], -e)
                br, budget = _worse(x[r, i], c[rc, i], V, 0.0, wi, p, br, budget)
    subnormal = False  # subnormal wealth has lost its relative precision
    for i in range(n):
        x[r, i] = w[rw, i]
        subnormal |= (w[rw, i] > 0.0) & (w[rw, i] < _SMALLEST_NORMAL)
    for i in range(n):
        contrib[r, i] = False
    finite &= not subnormal
    total = 0.0
    for j in range(k):
        i = order[j]
        a, ci, qi = scratch[3, j], c[rc, i], g[r, i]
        wi = w[rw, i] if e == 0 else math.ldexp(w[rw, i], -e)
        br, budget = _worse(a, ci, V - theta * qi, qi, wi, p, br, budget)
        if qi > 0.0:
            total += qi
            in_bounds &= qi * p <= wi
            # consumption from the first-order condition: w - p q cancels for members who
            # spend nearly all their wealth
            xi = x0[rx, i] if e == 0 else math.ldexp(x0[rx, i], -e)
            xi = xi + p * ci * (V + (1.0 - theta) * qi)
            if e != 0:
                xi, qi = math.ldexp(xi, e), math.ldexp(qi, e)
            x[r, i] = xi
            g[r, i] = qi
            contrib[r, i] = True
            # overflow, a contribution that underflowed to a subnormal, or a contributor's
            # consumption lost below the normal range
            if not (math.isfinite(xi) and math.isfinite(qi)) or min(qi, abs(xi)) < _SMALLEST_NORMAL:
                finite = False
        elif qi != 0.0:
            in_bounds = False  # NaN
    if e != 0:
        for i in range(n):
            dropout[r, i] = math.ldexp(dropout[r, i], e)
    expected = G0 + theta * total
    identity = abs(V - expected)
    if identity > 0.0:
        identity /= max(V, expected)
    if e != 0:
        V = math.ldexp(V, e)
    if not finite or not math.isfinite(V) or identity != identity or 0.0 < abs(V) < _SMALLEST_NORMAL:
        identity = np.inf  # overflow, NaN anywhere on the way, or a subnormal total
    if br != br:
        br = np.inf
    return V, identity, br, budget, in_bounds


@njit(**PARALLEL_KERNEL)
def nash_linear_kernel(
    w, x0, c, p, G0, theta, g, G, x, dropout, contrib, identity, br, budget, in_bounds, block
):
    """Solve every scenario (row) of the linear-replacement Nash problem, writing into the outputs.

    Inputs are C-contiguous: ``w``, ``x0``, ``c`` of shape ``(1 or rows, n)``; ``p``, ``G0``,
    ``theta`` of shape ``(1 or rows,)`` (a leading 1 is shared by every row). Outputs:
    ``g``, ``x``, ``dropout`` (float) and ``contrib`` (bool) of shape ``(rows, n)``; ``G``,
    ``identity``, ``br``, ``budget`` (float) and ``in_bounds`` (bool) of shape ``(rows,)``.
    Rows are solved in ``prange`` blocks of ``block`` rows (one scratch buffer per block).
    """
    rows, n = g.shape
    blocks = (rows + block - 1) // block
    shared = x0.shape[0] == 1 and c.shape[0] == 1
    shared_finite = _row_finite(x0, 0) and _row_finite(c, 0)
    for b in prange(blocks):
        order = np.empty(n, np.int64)
        scratch = np.empty((4, n))
        for r in range(b * block, min(rows, (b + 1) * block)):
            rw = r if w.shape[0] > 1 else 0
            rx = r if x0.shape[0] > 1 else 0
            rc = r if c.shape[0] > 1 else 0
            V, res_identity, res_br, res_budget, ok = _solve_row(
                w,
                x0,
                c,
                r,
                rw,
                rx,
                rc,
                row(p, r),
                row(G0, r),
                row(theta, r),
                shared_finite if shared else _row_finite(x0, rx) and _row_finite(c, rc),
                g,
                x,
                dropout,
                contrib,
                order,
                scratch,
            )
            G[r] = V
            identity[r] = res_identity
            br[r] = res_br
            budget[r] = res_budget
            in_bounds[r] = ok


def kernel_rows(value: ArrayLike, batch: tuple[int, ...], n: int | None) -> NDArray:
    """``value`` as the kernel reads it: C-contiguous, read-only, ``(1 or rows, n)`` or ``(1 or rows,)``.

    A value shared by every scenario (no leading axis varies) becomes one row, so it is neither
    copied nor read once per scenario. Read-only views give every call the same argument types
    (one compiled specialisation).
    """
    core = () if n is None else (n,)
    full = np.broadcast_to(np.asarray(value, dtype=np.float64), batch + core)
    if full.size and not any(full.strides[: len(batch)]):  # the same in every scenario
        arr = np.ascontiguousarray(full[(0,) * len(batch)]).reshape((1, *core))
    else:
        arr = np.ascontiguousarray(full).reshape((-1, *core))
    arr = arr.view()
    arr.flags.writeable = False
    return arr


def run_rows(
    kernel,
    inputs: list[NDArray],
    outputs: list[tuple[bool, type]],
    batch: tuple[int, ...],
    n: int,
    chunk: int,
    workers: int,
    *,
    serial: bool = False,
) -> list[NDArray]:
    """Allocate a row kernel's outputs, run it on ``workers`` threads, return them batch-shaped.

    ``kernel(*inputs, *outputs, block)`` fills every row of its outputs, handing rows out to
    numba's threads (``prange``) in blocks of at most ``chunk``, several per thread to balance
    the load. With ``serial``, ``kernel(*inputs, *outputs, first, stop)`` is a serial kernel
    that fills rows ``first, ..., stop - 1``, and the blocks go to a pool of Python threads
    instead (the kernel releases the GIL): it compiles in a third less time than a ``prange``
    kernel, which pays where each row is heavy work. ``outputs`` lists
    ``(per_member, dtype)``: shape ``(rows, n)`` if ``per_member`` else ``(rows,)``, returned as
    ``batch + (n,)`` or ``batch``. The answer depends neither on ``chunk`` nor on ``workers``.
    """
    from burden._numba import kernel_threads

    rows = int(np.prod(batch, dtype=np.int64))
    arrays = [np.empty((rows, n) if member else rows, dtype=dtype) for member, dtype in outputs]
    with kernel_threads(workers) as threads:
        block = max(1, min(chunk, -(-rows // (4 * threads))))
        if not serial:
            kernel(*inputs, *arrays, block)
        else:  # on one thread, one call: the kernel sets up its scratch once
            span = max(1, rows) if threads == 1 else block
            for_each_chunk(lambda part: kernel(*inputs, *arrays, part.start, part.stop), rows, span, threads)
    return [
        a.reshape((*batch, n) if member else batch) for a, (member, _) in zip(arrays, outputs, strict=True)
    ]
