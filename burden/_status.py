"""The one status vocabulary of `burden`: every solver reports one of these codes per scenario.

SciPy's sign convention: a code ``>= 0`` is a certified answer (the solver checked it against
its own certificate: identities, residuals and bounds, relative to the problem's scale), a
code ``< 0`` is a failure and the values beside it must not be used. ``docs/status.md`` has
the table and the rule for combining two statuses.
"""

from __future__ import annotations

import enum

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Status", "combine_status", "status_dtype"]

#: dtype of every ``status`` array
status_dtype = np.dtype(np.int8)


class Status(enum.IntEnum):
    """Outcome of a solver for one scenario; ``>= 0`` certified, ``< 0`` failed.

    Examples
    --------
    >>> from burden import Status
    >>> Status.SUCCESS.success, Status.NOT_CONVERGED.success
    (True, False)
    >>> Status(-1).name
    'NOT_CONVERGED'
    """

    #: the answer is certified, and unique where the model promises uniqueness
    SUCCESS = 0
    #: the answer is certified but is one of several (ties, continua, a non-P matrix)
    NOT_UNIQUE = 1
    #: an iterative method stopped at its iteration limit
    NOT_CONVERGED = -1
    #: the problem has no feasible answer (e.g. a member ends below subsistence)
    INFEASIBLE = -2
    #: an answer was computed but failed its certificate (residual, identity or bound)
    NOT_CERTIFIED = -3
    #: a linear system on the way was singular
    SINGULAR = -4
    #: the answer lies outside floating-point range (overflow or underflow)
    NOT_FINITE = -5

    @property
    def success(self) -> bool:
        """True for a certified answer (``SUCCESS`` or ``NOT_UNIQUE``)."""
        return self >= 0

    @property
    def severity(self) -> int:
        """Rank used by :func:`combine_status`: every failure outranks every success."""
        return int(_severity(np.asarray(int(self))))


def _severity(codes: NDArray) -> NDArray:
    # 0 < 1 < -1 < -2 < ... : certified codes rank by value, failures above them by |code|
    codes = codes.astype(np.int16, copy=False)
    return np.where(codes >= 0, codes, 100 - codes)


def combine_status(*statuses: ArrayLike) -> NDArray[np.int8]:
    """Combine statuses elementwise: the most severe wins (broadcasting).

    The rule is ``SUCCESS < NOT_UNIQUE < NOT_CONVERGED < INFEASIBLE < NOT_CERTIFIED <
    SINGULAR < NOT_FINITE``: any failure outranks any certified code, and among failures the
    one with the larger magnitude wins. The combination is commutative and associative, and
    ``SUCCESS`` is its neutral element.

    Examples
    --------
    >>> from burden import Status, combine_status
    >>> combine_status([0, 1, 0], [0, 0, -1])
    array([ 0,  1, -1], dtype=int8)
    >>> Status(combine_status(Status.NOT_UNIQUE, Status.SINGULAR)).name
    'SINGULAR'
    """
    if not statuses:
        raise TypeError("combine_status() needs at least one status")
    arrays = np.broadcast_arrays(*(np.asarray(s) for s in statuses))
    out = arrays[0].astype(status_dtype)
    for other in arrays[1:]:
        other = other.astype(status_dtype)
        out = np.where(_severity(other) > _severity(out), other, out).astype(status_dtype)
    return out
