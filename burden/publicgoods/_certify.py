"""Certificates of the public-goods solvers: no status is SUCCESS before the answer is checked.

``docs/publicgoods.md`` ("Certificates") states what is checked and with which tolerance.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from burden._chunks import for_each_chunk
from burden._status import Status, status_dtype
from burden.preferences import Preferences
from burden.publicgoods._inputs import prefs_rows

__all__ = ["REL_TOL", "certify_nash"]

#: relative tolerance of every certificate (identities, bounds and best-response residuals)
REL_TOL = 1e-9


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
