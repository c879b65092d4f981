"""Certificates of the public-goods solvers: no status is SUCCESS before the answer is checked.

``docs/publicgoods.md`` ("Certificates") states what is checked and with which tolerance.
"""

from __future__ import annotations

import types

import numba
import numpy as np
from numpy.typing import NDArray

from burden._chunks import for_each_chunk
from burden._numba import KERNEL, PARALLEL_KERNEL, kernel_threads
from burden._status import Status, status_dtype
from burden.preferences import Preferences
from burden.publicgoods._inputs import prefs_rows

__all__ = ["REL_TOL", "certify_linear", "certify_nash"]

#: relative tolerance of every certificate (identities, bounds and best-response residuals)
REL_TOL = 1e-9

#: a contributor with ``g < NEAR_DROPOUT * A`` is close to its drop-out level (docs/publicgoods.md)
NEAR_DROPOUT = 1e-4

def certify_nash(
    prefs: Preferences,
    w: NDArray,
    p: NDArray,
    G0: NDArray,
    g: NDArray,
    G: NDArray,
    x: NDArray,
    Q: NDArray | None,
    status: NDArray,
    chunk: int,
    workers: int,
) -> tuple[NDArray, NDArray]:
    """Best-response residual and final status of a Nash equilibrium; shapes ``batch + (n,)``.

    ``Q`` is ``None`` for a pure public good (every member enjoys ``G``). ``status`` is the
    solver's own verdict; a scenario keeps it only if it passes every check: finite values,
    ``G = G0 + Σ g``, ``x + p g = w``, ``0 <= g <= w/p``, each ``g_i`` its best response to the
    others (``max_i |g_i - BR_i| / (w_i/p) <= REL_TOL``), subsistence levels met.
    """
    batch, n = g.shape[:-1], g.shape[-1]
    rows = int(np.prod(batch, dtype=np.int64))
    flat = [np.reshape(np.broadcast_to(v, batch + (n,)), (rows, n)) for v in (w, g, x)]
    w2, g2, x2 = flat
    Q2 = None if Q is None else np.reshape(np.broadcast_to(Q, batch + (n,)), (rows, n))
    p1, G01, G1, s1 = (np.reshape(np.broadcast_to(v, batch), rows) for v in (p, G0, G, status))
    residual = np.empty(rows)
    out = np.empty(rows, dtype=status_dtype)

    def check(part: slice) -> None:
        sub = prefs_rows(prefs, batch, part)
        wc, gc, xc = w2[part], g2[part], x2[part]
        pc, G0c, Gc = p1[part, None], G01[part], G1[part]
        Qc = Gc[:, None] if Q2 is None else Q2[part]
        with np.errstate(all="ignore"):
            budget = wc / pc
            br = sub.best_response(np.maximum(Qc - gc, 0.0), wc, pc)  # S >= 0 despite rounding
            res = np.max(np.abs(gc - br) / budget, axis=-1)
            res = np.where(np.isnan(res), np.inf, res)
            total = gc.sum(-1)
            finite = np.isfinite(total) & np.isfinite(Gc) & np.isfinite(xc).all(-1) & np.isfinite(Qc).all(-1)
            identity = np.abs(Gc - G0c - total) <= REL_TOL * (G0c + np.abs(gc).sum(-1))
            spent = np.abs(xc + pc * gc - wc) <= REL_TOL * wc
            bounds = ((gc >= 0) & (gc <= budget * (1 + REL_TOL)) & spent).all(-1)
            ok = identity & bounds & (res <= REL_TOL)
            # Consumption below the normal range: an exact x > 0 that underflowed (a contributor
            # left with x = 0 although it would not spend its last unit) is out of range.
            # A subnormal total or consumption has lost its relative precision: out of range too.
            tiny = np.finfo(np.float64).tiny
            finite &= ~((Gc != 0) & (np.abs(Gc) < tiny))
            small = xc < tiny
            if small.any():
                finite &= ~(small & (xc > 0)).any(-1)
                mrs_Q, mrs_g = sub.marginal_rates(xc, Qc, gc)
                mrs = np.broadcast_to(mrs_Q + mrs_g, xc.shape)
                finite &= ~(small & (gc > 0) & (mrs < pc * (1.0 - REL_TOL))).any(-1)
            levels = sub.subsistence()
            feasible = np.ones(ok.shape, dtype=bool)
            if levels is not None:
                feasible = ((xc > levels[0]) & (Qc > levels[1])).all(-1)
        # the solver's own failure stands; a certified code must pass every check
        verdict = s1[part]
        verdict = np.where((verdict >= 0) & ~finite, Status.NOT_FINITE, verdict)
        verdict = np.where((verdict >= 0) & ~feasible, Status.INFEASIBLE, verdict)
        out[part] = np.where((verdict >= 0) & ~ok, Status.NOT_CERTIFIED, verdict)
        residual[part] = res

    for_each_chunk(check, rows, chunk, workers)
    return residual.reshape(batch), out.reshape(batch)


def certify_linear(
    prefs: Preferences,
    w: NDArray,
    x0: NDArray,
    c: NDArray,
    p: NDArray,
    G0: NDArray,
    g: NDArray,
    G: NDArray,
    x: NDArray,
    workers: int,
) -> tuple[NDArray, NDArray]:
    """:func:`certify_nash` for linear first-order conditions ``x = x0 + p c G``, in one pass.

    The same checks, with the closed-form best response ``max(0, (A - c S)/(1 + c))``,
    ``A = (w - x0)/p``, fused into one compiled loop over the answer (the certificate of the
    fastest solver must cost little beside it). Also returns, per scenario, whether some
    contributor is within ``NEAR_DROPOUT`` (relatively) of its drop-out level, where
    ``g = A - c G`` has lost digits and must be recomputed.
    """
    batch, n = g.shape[:-1], g.shape[-1]
    rows = int(np.prod(batch, dtype=np.int64))
    # broadcast views (a parameter shared by every scenario is read, not copied)
    as_rows = lambda v: _view_rows(np.broadcast_to(np.asarray(v, dtype=np.float64), batch + (n,)), rows, n)  # noqa: E731
    residual = np.empty(rows)
    verdict = np.empty(rows, dtype=status_dtype)
    near = np.empty(rows, dtype=np.bool_)
    # one worker: the serial build, which never starts numba's thread pool (a pool started in
    # a parent process does not survive fork, e.g. into a ProcessPoolExecutor)
    kernel = _linear_kernel if workers == 1 else _linear_kernel_parallel
    x0, c = (np.asarray(v, dtype=np.float64) for v in (x0, c))
    # coefficients shared by every scenario (the usual case) are passed as one contiguous row
    shared = all(s == 1 for v in (x0, c) for s in v.shape[:-1]) and all(
        v.ndim <= 1 + len(batch) for v in (x0, c)
    )
    if shared:
        coefficients = [
            np.ascontiguousarray(np.broadcast_to(v.reshape(-1)[-n:] if v.size > 1 else v.reshape(-1), (n,)))[
                None
            ]
            for v in (x0, c)
        ]
    else:
        coefficients = [as_rows(x0), as_rows(c)]
    coefficients.append(1.0 / (1.0 + coefficients[1]))
    with kernel_threads(workers):
        kernel(
            as_rows(w),
            as_rows(g),
            *coefficients,
            shared,
            np.broadcast_to(p, batch).reshape(rows),
            np.broadcast_to(G0, batch).reshape(rows),
            np.broadcast_to(G, batch).reshape(rows),
            REL_TOL,
            NEAR_DROPOUT,
            residual,
            verdict,
            near,
        )
    residual, verdict = residual.reshape(batch), verdict.reshape(batch)
    levels = prefs.subsistence()
    if levels is not None:
        with np.errstate(invalid="ignore"):
            short = ((x <= levels[0]) | (G[..., None] <= levels[1])).any(-1)
        verdict = np.where(short & (verdict != Status.NOT_FINITE), Status.INFEASIBLE, verdict)
    return residual, verdict.astype(status_dtype), near.reshape(batch)


def _view_rows(value: NDArray, rows: int, n: int) -> NDArray:
    """``value`` of shape ``batch + (n,)`` as ``(rows, n)``, without copying a broadcast view."""
    if value.ndim == 2:
        return value
    try:
        return value.reshape(rows, n, copy=False)
    except ValueError:  # a view whose strides cannot be merged: one copy
        return value.reshape(rows, n)


def _linear_kernel(
    w, g, x0, c, shrink, shared, p, G0, G, tol, near_tol, residual, verdict, near
):  # pragma: no cover
    # Divisions dominate a loop like this one: 1/p per scenario and 1/(1 + c) (``shrink``,
    # computed once per distinct c) replace them; a member's residual |g - BR| p / w is divided
    # out only when it beats the scenario's worst so far.
    tiny = np.finfo(np.float64).tiny
    rows, n = g.shape
    for r in numba.prange(rows):
        k = np.int64(0) if shared else np.int64(r)  # the row of x0, c and shrink
        pr, Gr = p[r], G[r]
        inv_p = 1.0 / pr
        finite = np.isfinite(Gr) and not (Gr != 0.0 and abs(Gr) < tiny)
        good = True
        total = 0.0
        worst = 0.0
        close = False
        for i in range(n):
            gi, wi, ci = g[r, i], w[r, i], c[k, i]
            # the consumption the solver stores, x0 + c (p G) for contributors and w for the
            # others, recomputed rather than read: the pass stays within two arrays' traffic
            xi = x0[k, i] + ci * (pr * Gr) if gi > 0.0 else wi
            total += gi
            if (
                not (np.isfinite(xi) and np.isfinite(gi) and np.isfinite(ci) and np.isfinite(x0[k, i]))
                or (xi > 0.0 and xi < tiny)
                or (xi == 0.0 and gi > 0.0)
            ):
                # overflow (of the answer or of the model's coefficients), or a contributor's
                # consumption lost below the normal range
                finite = False
            if not (gi >= 0.0 and gi * pr <= wi * (1.0 + tol) and xi >= -tol * wi):
                good = False
            A = (wi - x0[k, i]) * inv_p
            raw = A - ci * Gr  # a contributor's g; close to 0 relative to A, it has lost digits
            if raw >= 0.0 and raw <= near_tol * A and Gr > 0.0:
                close = True
            best = (A - ci * (Gr - gi)) * shrink[k, i]
            if best < 0.0:
                best = 0.0
            gap = abs(gi - best) * pr
            if not gap <= worst * wi:
                worst = gap / wi if gap == gap else np.inf
        if not abs(Gr - G0[r] - total) <= tol * (G0[r] + total):
            good = False
        residual[r] = worst
        near[r] = close
        if not finite:
            verdict[r] = -5  # Status.NOT_FINITE
        elif not (good and worst <= tol):
            verdict[r] = -3  # Status.NOT_CERTIFIED
        else:
            verdict[r] = 0


# Two builds of one loop. The parallel one is compiled from a renamed copy: numba's on-disk
# cache is indexed by the function's qualified name, not by its compile options.
_linear_kernel_parallel = numba.njit(**PARALLEL_KERNEL)(
    types.FunctionType(
        _linear_kernel.__code__.replace(
            co_name="_linear_kernel_parallel", co_qualname="_linear_kernel_parallel"
        ),
        globals(),
        "_linear_kernel_parallel",
    )
)
_linear_kernel = numba.njit(**KERNEL)(_linear_kernel)
