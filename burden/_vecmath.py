r"""``exp``, ``log``, ``log1p`` and ``expm1`` that compiled loops can vectorise (``docs/kernels.md``).

numba lowers ``math.exp`` and ``math.log`` to calls into the C library, one element at a time: a
loop that calls them cannot use the processor's vector lanes, and on this project's hot paths
(the Lindahl shares, the free-riding measures) those calls were half of the time. Intel's SVML,
which numba can vectorise them with, needs an LLVM patched for it that the PyPI ``llvmlite``
wheels do not have. So these are written out here, by hand, in plain arithmetic that LLVM
vectorises: a range reduction by a power of two, read and written through the bits of the
float (the ``bits``/``from_bits`` intrinsics), and a Taylor polynomial on the reduced range.

*Accuracy.* ``exp`` and ``log`` are within 1 ulp of the correctly rounded result on the whole
double range, ``log1p`` and ``expm1`` within 2 (``tests/test_vecmath.py`` checks this against
numpy on millions of points, the edges of the range and the special values). The truncated
Taylor terms are below ``2**-59`` relatively: for ``exp`` the reduced argument is
:math:`|r| \le \ln 2/2` and the first term left out, :math:`r^{14}/14!`, is below
:math:`6\cdot 10^{-18}`; for ``log`` the argument is reduced to :math:`z = 1 + f \in
[\sqrt{1/2}, \sqrt 2)` and :math:`\ln z = 2\,\mathrm{artanh}\, s` with :math:`s = f/(2+f)`,
:math:`|s| \le 0.1716`, whose first term left out is :math:`s^{22}/23 < 10^{-18}` relatively.

*Special values* follow the C library: ``exp`` overflows to ``inf`` above 709.78 and underflows
gradually to 0 below -708.4; ``log(0) = -inf``, ``log(inf) = inf``, ``log`` of a negative
number is NaN; NaN propagates through all four.

Every function here is compiled with floating-point contraction only (fused multiply-adds), never
with reassociation, so that the order of the range reduction is kept exactly. They are ordinary
compiled functions, not inlined by numba: LLVM inlines them into the loops that call them, which
compiles in half the time of numba's own inlining and runs as fast.
"""

from __future__ import annotations

import math

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

__all__ = ["exp", "expm1", "log", "log1p"]

_INLINE = {"cache": True, "fastmath": {"contract"}, "error_model": "numpy"}


@intrinsic
def bits(typingctx, x):
    """The IEEE-754 bits of the float ``x`` as an ``int64`` (no conversion)."""
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def from_bits(typingctx, n):
    """The float whose IEEE-754 bits are the ``int64`` ``n``."""
    if not isinstance(n, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


_LOG2E = 1.4426950408889634
# ln 2 split in two: n * _LN2_HI is exact for the exponents n met here (its low 32 bits are zero)
_LN2_HI = 0.6931471803691238
_LN2_LO = 1.9082149292705877e-10
# x + 1.5 * 2**52 rounds x to an integer, held in the low bits of the sum
_ROUND = 6755399441055744.0
# beyond these exp is inf / 0 whatever the reduction gives (limits its exponent to 11 bits)
_EXP_HIGH = 710.0
_EXP_LOW = -746.0
_SMALLEST_NORMAL = 2.2250738585072014e-308
_SQRT_HALF_BITS = 0x3FE6A09E667F3BCD  # bits of sqrt(1/2)


@njit(**_INLINE)
def _reduce(x):
    """``x = n ln 2 + r`` with ``|r| <= ln 2 / 2``: return ``(n, r)``, ``x`` clamped to exp's range."""
    x = _EXP_HIGH if x > _EXP_HIGH else x  # NaN passes through both
    x = _EXP_LOW if x < _EXP_LOW else x
    shifted = x * _LOG2E + _ROUND
    n = shifted - _ROUND
    r = (x - n * _LN2_HI) - n * _LN2_LO
    return bits(shifted) - bits(_ROUND), r


@njit(**_INLINE)
def _expm1_reduced(r):
    """``exp(r) - 1`` for ``|r| <= ln 2 / 2``: its Taylor series to ``r**13``."""
    q = 1.0 / 6227020800.0
    q = q * r + 1.0 / 479001600.0
    q = q * r + 1.0 / 39916800.0
    q = q * r + 1.0 / 3628800.0
    q = q * r + 1.0 / 362880.0
    q = q * r + 1.0 / 40320.0
    q = q * r + 1.0 / 5040.0
    q = q * r + 1.0 / 720.0
    q = q * r + 1.0 / 120.0
    q = q * r + 1.0 / 24.0
    q = q * r + 1.0 / 6.0
    q = q * r + 0.5
    return (q * r + 1.0) * r


@njit(**_INLINE)
def _power_of_two(n):
    """``2.0**n`` as two factors, each a normal float for ``-1077 <= n <= 1025``: their product
    then overflows or underflows (gradually) exactly as ``2.0**n`` would."""
    half = n >> 1
    return from_bits((half + 1023) << 52), from_bits((n - half + 1023) << 52)


@njit(**_INLINE)
def exp(x):
    """``e**x`` (module docstring)."""
    n, r = _reduce(x)
    low, high = _power_of_two(n)
    return (1.0 + _expm1_reduced(r)) * low * high


@njit(**_INLINE)
def expm1(x):
    """``e**x - 1``, accurate for small ``|x|`` as well (module docstring)."""
    n, r = _reduce(x)
    q = _expm1_reduced(r)
    low, high = _power_of_two(n)
    scale = low * high
    # (2**n - 1) + 2**n q: exact or without cancellation once n != 0 (then |e**x - 1| > 0.29);
    # 2**1024 overflows where e**x need not, so there as exp (the 1 is below its rounding)
    result = (scale - 1.0) + scale * q
    result = (1.0 + q) * low * high if n > 1023 else result
    return q if n == 0 else result


@njit(**_INLINE)
def log(x):
    """Natural logarithm (module docstring)."""
    subnormal = x < _SMALLEST_NORMAL
    scaled = x * 18014398509481984.0 if subnormal else x  # 2**54: a normal float
    ix = bits(scaled)
    k = (ix - _SQRT_HALF_BITS) >> 52
    f = from_bits(ix - (k << 52)) - 1.0  # in [sqrt(1/2) - 1, sqrt(2) - 1)
    k -= 54 if subnormal else 0
    s = f / (2.0 + f)
    z = s * s
    R = 2.0 / 21.0
    R = R * z + 2.0 / 19.0
    R = R * z + 2.0 / 17.0
    R = R * z + 2.0 / 15.0
    R = R * z + 2.0 / 13.0
    R = R * z + 2.0 / 11.0
    R = R * z + 2.0 / 9.0
    R = R * z + 2.0 / 7.0
    R = R * z + 2.0 / 5.0
    R = R * z + 2.0 / 3.0
    R *= z
    half_square = 0.5 * f * f
    # ln(1 + f) = f - f²/2 + s (f²/2 + R), rounded in the order that keeps it within 1 ulp
    dk = float(k)
    result = dk * _LN2_HI - ((half_square - (s * (half_square + R) + dk * _LN2_LO)) - f)
    if not x > 0.0:
        result = -math.inf if x == 0.0 else math.nan
    return result if x < math.inf else x


@njit(**_INLINE)
def log1p(x):
    """``ln(1 + x)``, accurate for small ``|x|`` as well (module docstring)."""
    u = 1.0 + x
    # the rounding of 1 + x, corrected to first order (x itself where u = 1, log(1) being 0);
    # not at u = 0 or inf, where the correction is NaN
    correction = (x - (u - 1.0)) / u if 0.0 < u < math.inf else 0.0
    return log(u) + correction
