r"""Compiled free-riding measures for the built-in families (Cobb–Douglas, CES, Stone–Geary).

Given the Nash equilibrium :math:`(g, G_N, x^N)` and the Lindahl optimum :math:`(G_L, x^L)` of each
scenario, one pass per scenario computes (``docs/publicgoods.md``):

* whether some member's burden :math:`p g_i / w_i`, exploitation index
  :math:`(g_i / \sum_j g_j) / (w_i / \sum_j w_j)` (0 when nobody contributes) or welfare loss
  is infinite, or the loss NaN although both solves are finite (a consumption out of range:
  CES with :math:`\rho` near 1 underflows the Lindahl :math:`x` to 0); the measures themselves
  are :class:`burden.FreeRiding`'s derived fields, computed on access;
* the money-metric welfare loss :math:`e_i = x^c_i - x^N_i`, where the compensated consumption
  :math:`x^c_i` gives member :math:`i` at the Nash provision the utility it has at the optimum,
  :math:`u_i(x^c_i, G_N) = u_i(x^L_i, G_L)`, in closed form. With :math:`b = a/(1-a)` and
  :math:`\ell = \ln(G_L/G_N)`:

  - CES, :math:`(1-a)x^\rho + aG^\rho` equal at both points:
    :math:`x^c = x^L (1 + z)^{1/\rho}` with
    :math:`z = b\,(G_N/x^L)^\rho (e^{\rho\ell} - 1) = b\,(G_L/x^L)^\rho (1 - e^{-\rho\ell})`,
    evaluated as :math:`x^c = x^L \exp(q\,\mathrm{log1p}(z)/z)` with :math:`q = z/\rho =
    b\,(G_L/x^L)^\rho\,(-\mathrm{expm1}(-\rho\ell))/\rho`, which is exact at and near
    :math:`\rho = 0` (Cobb–Douglas: :math:`x^c = x^L e^{b\ell}`). At an interior Lindahl point
    its first-order condition makes :math:`b\,(G_L/x^L)^\rho = t_i G_L / x^L` (the price
    :math:`t_i = \tau_i p`), which saves an ``exp`` and a ``log`` per member when the shares
    are given. Where :math:`1 + z \le 0` no
    consumption reaches the optimum's utility: :math:`+\infty` for complements (:math:`\rho < 0`),
    0 for substitutes;
  - Stone–Geary: :math:`x^c = \bar x + (x^L - \bar x)\,((G_L - \bar G)/(G_N - \bar G))^{b}`;

* the Samuelson residual :math:`\sum_i \mathrm{mrs}_i(x^N_i, G_N) - p`.

Each scenario is computed by one thread, so results are bit-identical for any thread count. The
CES pass over the members vectorises, with :mod:`burden._vecmath`'s ``exp`` and ``log``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange
from numpy.typing import ArrayLike, NDArray

import burden._vecmath as vm
from burden._numba import KERNEL, PARALLEL_KERNEL
from burden.publicgoods._kernels import kernel_rows, row, run_rows

__all__ = ["FreeRidingArrays", "free_riding_arrays", "free_riding_kernel"]

# a member poorer than this fraction of the richest one's wealth may have an infinite
# exploitation index (its wealth share underflows)
_FAR_POORER = 2.0**-960
# members are padded to a multiple of this in the homothetic pass: a vector loop leaves its last
# members (up to one vector's width) to a scalar loop, which is as slow as the rest together
_PAD = 8


@njit(**PARALLEL_KERNEL, fastmath={"contract"})  # fused multiply-adds only
def free_riding_kernel(
    w,
    b,
    rho,
    x_min,
    G_min,
    p,
    g,
    G_N,
    x_N,
    G_L,
    x_L,
    tau_L,
    G0,
    stone_geary,
    loss,
    loss_total,
    samuelson,
    overflow,
    block,
):
    """Free-riding measures of every scenario (row), written into the outputs (module docstring).

    Member inputs ``w``, ``b`` (``a/(1-a)``), ``rho``, ``x_min``, ``G_min`` have shape
    ``(1 or rows, n)``;
    ``p``, ``G0`` ``(1 or rows,)``; ``g``, ``x_N``, ``x_L`` ``(rows, n)``; ``G_N``, ``G_L``
    ``(rows,)``; ``tau_L`` the Lindahl cost shares ``(rows, n)``, or NaN ``(1, n)`` if unknown.
    Outputs ``loss`` ``(rows, n)``; ``loss_total``, ``samuelson`` and ``overflow`` (bool)
    ``(rows,)``.
    """
    rows, n = g.shape
    blocks = (rows + block - 1) // block
    padded = -(-n // _PAD) * _PAD
    for blk in prange(blocks):
        mrs = np.empty(padded)
        # the homothetic pass's inputs b, ρ, x_N, x_L, τ and its losses, padded with ones
        pad = np.ones((6, padded))
        for r in range(blk * block, min(rows, (blk + 1) * block)):
            wr, pr, GN, GL = row(w, r), row(p, r), G_N[r], G_L[r]
            if stone_geary:
                _stone_geary_row(
                    row(b, r), row(x_min, r), row(G_min, r), x_N[r], GN, x_L[r], GL, loss[r], mrs
                )
            else:
                taur = row(tau_L, r)
                # not a Lindahl corner, and the shares known: they are prices there
                prices = GL > row(G0, r)
                for i in range(n):
                    prices &= taur[i] == taur[i]
                for k, values in enumerate((row(b, r), row(rho, r), x_N[r], x_L[r], taur)):
                    pad[k, :n] = values
                _homothetic_row(pad[0], pad[1], pad[2], GN, pad[3], GL, pad[4], pr, prices, pad[5], mrs)
                loss[r] = pad[5, :n]
            total = 0.0
            mrs_sum = 0.0
            for i in range(n):
                total += loss[r, i]
                mrs_sum += mrs[i]
            infinite = _burden_infinite(wr, g[r], pr)  # some measure is ±inf (NaN: a failed solve)
            solved = math.isfinite(GN) and math.isfinite(GL)
            for i in range(n):
                solved &= math.isfinite(x_N[r, i]) and math.isfinite(x_L[r, i])
            for i in range(n):
                # a NaN loss from finite answers: a consumption out of range (x_L = 0 underflowed)
                infinite |= abs(loss[r, i]) == np.inf or (solved and loss[r, i] != loss[r, i])
            loss_total[r] = total
            samuelson[r] = mrs_sum - pr
            overflow[r] = infinite or math.isinf(total)


@njit(**KERNEL, fastmath={"contract"})
def _homothetic_row(b, rho, x_N, G_N, x_L, G_L, tau, p, prices, loss, mrs):
    """CES (and Cobb–Douglas) welfare losses and marginal rates of one scenario (module docstring).

    One loop over the members, written so that it vectorises: every select picks between values
    already computed, and the sums are left to the caller (``docs/kernels.md``). Both forms of
    ``b (G_L/x_L)**ρ`` and the Cobb–Douglas loss are computed for every member although a row
    uses one: skipping them inside the loop, even on a condition fixed for the row, stops it
    vectorising and took 30 % longer.
    """
    n = loss.shape[0]
    ell = math.log(G_L / G_N)
    log_GN = math.log(G_N)
    for i in range(n):
        ri, bi, xn, xl, ti = rho[i], b[i], x_N[i], x_L[i], tau[i] * p
        step = ri * ell
        # -expm1(-ρℓ)/ρ: its series where ρℓ is so small it may underflow (ρ = 5e-324 gave 0
        # instead of ℓ)
        series = ell * (1.0 - 0.5 * step)
        exact = -vm.expm1(-step) / ri
        growth = series if abs(step) < 1e-8 else exact
        # b (G_L/x_L)**ρ is t_L/(x_L/G_L) by the Lindahl first-order condition
        by_price = ti * G_L / xl
        by_power = bi * vm.exp(ri * vm.log(G_L / xl))
        q = (by_price if prices else by_power) * growth
        z = ri * q
        shrink = vm.log1p(z) / z
        shrink = 1.0 if z == 0.0 else shrink
        xc = xl * vm.exp(q * shrink)
        out_of_reach = np.inf if ri < 0.0 else 0.0  # the optimum's utility at G_N, for 1 + z <= 0
        xc = out_of_reach if z <= -1.0 else xc
        cobb_douglas = xl * vm.exp(bi * ell)
        xc = cobb_douglas if ri == 0.0 else xc
        loss[i] = xc - xn
        power = bi * vm.exp((1.0 - ri) * (vm.log(xn) - log_GN))
        mrs[i] = bi * xn / G_N if ri == 0.0 else power


@njit(**KERNEL, fastmath={"contract"})
def _stone_geary_row(b, x_min, G_min, x_N, G_N, x_L, G_L, loss, mrs):
    """Stone–Geary welfare losses and marginal rates of one scenario (module docstring)."""
    for i in range(loss.shape[0]):
        ratio = math.log(G_L - G_min[i]) - math.log(G_N - G_min[i])
        loss[i] = x_min[i] + (x_L[i] - x_min[i]) * math.exp(b[i] * ratio) - x_N[i]
        mrs[i] = b[i] * (x_N[i] - x_min[i]) / (G_N - G_min[i])


@njit(**KERNEL, inline="always")
def _suspect(w, g, p, w_top):
    """A member paying over twice its wealth, or far poorer than the richest (``w_top``)."""
    return not (p * g <= 2.0 * w and w >= w_top * _FAR_POORER)


@njit(**KERNEL, inline="always")
def _burden_infinite(w, g, p):
    """Whether some member's burden ``p g/w`` or exploitation index is infinite.

    They can only be for a member paying over twice its wealth or far poorer than the richest
    (below 2**-960 of its wealth): only those are divided out. Sums in units of the richest
    member's wealth (a sum of 1e308s would overflow).
    """
    n = w.shape[0]
    w_top = 0.0
    for i in range(n):
        w_top = max(w_top, w[i])
    suspect = False
    for i in range(n):
        suspect |= _suspect(w[i], g[i], p, w_top)
    if not suspect:
        return False
    g_sum = 0.0
    w_sum = 0.0
    for i in range(n):
        g_sum += g[i]
        w_sum += w[i] / w_top
    infinite = False
    for i in range(n):
        if _suspect(w[i], g[i], p, w_top):
            burden = p * g[i] / w[i]
            exploit = (g[i] / g_sum if g_sum > 0.0 else 0.0) / (w[i] / w_top / w_sum)
            infinite = infinite or math.isinf(burden) or math.isinf(exploit)
    return infinite


class FreeRidingArrays(NamedTuple):
    """Outputs of :func:`free_riding_arrays` (shapes ``batch + (n,)`` and ``batch``).

    ``overflow`` says some member's burden, exploitation index or welfare loss is infinite.
    """

    welfare_loss: NDArray
    welfare_loss_total: NDArray
    samuelson_residual: NDArray
    overflow: NDArray


def free_riding_arrays(
    w: NDArray,
    a: ArrayLike,
    p: ArrayLike,
    g: NDArray,
    G_nash: NDArray,
    x_nash: NDArray,
    G_opt: NDArray,
    x_opt: NDArray,
    *,
    tau_opt: NDArray | None = None,
    G0: ArrayLike = 0.0,
    rho: ArrayLike = 0.0,
    x_min: ArrayLike | None = None,
    G_min: ArrayLike | None = None,
    chunk: int = 8192,
    workers: int = 1,
) -> FreeRidingArrays:
    """Free-riding measures of the built-in families from their parameter arrays.

    Parameters as in :func:`burden.publicgoods._kernels_lindahl.lindahl_arrays`; ``g``,
    ``x_nash``, ``x_opt`` have shape ``batch + (n,)`` and ``G_nash``, ``G_opt`` shape ``batch``
    (a Nash equilibrium and an optimum of the same scenarios, with exogenous provision ``G0``);
    ``tau_opt``, the optimum's Lindahl cost shares (optional), spares each CES member an
    ``exp`` and a ``log``.

    Examples
    --------
    The worked example (Cobb–Douglas ``a = 1/2``, wealth 100 and 80): Nash ``g = (40, 20)``,
    ``G = 60``, ``x = (60, 60)``; Lindahl ``G = 90``, ``x = (50, 40)`` (derived).

    >>> import numpy as np
    >>> m = free_riding_arrays(np.array([100.0, 80.0]), 0.5, 1.0, np.array([40.0, 20.0]), np.array(60.0),
    ...                        np.array([60.0, 60.0]), np.array(90.0), np.array([50.0, 40.0]))
    >>> m.welfare_loss, m.samuelson_residual, m.overflow
    (array([15.,  0.]), array(1.), array(False))
    """
    batch, n = w.shape[:-1], w.shape[-1]
    stone_geary = x_min is not None or G_min is not None
    a = np.asarray(a, dtype=np.float64)
    odds = a / (1.0 - a)
    inputs = [
        kernel_rows(v, batch, n)
        for v in (w, odds, rho, 0.0 if x_min is None else x_min, 0.0 if G_min is None else G_min)
    ]
    inputs.append(kernel_rows(p, batch, None))
    inputs += [
        _readonly_rows(v, batch, core)
        for v, core in ((g, (n,)), (G_nash, ()), (x_nash, (n,)), (G_opt, ()), (x_opt, (n,)))
    ]
    inputs.append(_readonly_rows(tau_opt, batch, (n,)) if tau_opt is not None else kernel_rows(np.nan, (), n))
    inputs += [kernel_rows(G0, batch, None), stone_geary]
    # welfare_loss, welfare_loss_total, samuelson_residual, overflow
    kinds = [(True, float), (False, float), (False, float), (False, bool)]
    return FreeRidingArrays(*run_rows(free_riding_kernel, inputs, kinds, batch, n, chunk, workers))


def _readonly_rows(value: ArrayLike, batch: tuple[int, ...], core: tuple[int, ...]) -> NDArray:
    """``value`` as a read-only C-contiguous ``(rows,) + core`` array (one kernel signature)."""
    arr = np.ascontiguousarray(np.broadcast_to(np.asarray(value, dtype=np.float64), batch + core))
    arr = arr.reshape((-1, *core)).view()
    arr.flags.writeable = False
    return arr
