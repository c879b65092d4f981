"""Compiled kernels: the numba options every kernel uses and the per-call thread count.

Kernels are ``@njit(cache=True)`` (compiled on first call, cached on disk) and loop over
scenarios with ``prange`` where that pays; a kernel whose rows are heavy work (the Lindahl
optimum) is serial instead, run on blocks of rows by a pool of Python threads, because a
``prange`` kernel takes a third longer to compile
(:func:`burden.publicgoods._kernels.run_rows`). ``workers=`` keeps SciPy's meaning (1 by default,
-1 for every CPU) and sets the kernel's thread count for that call only: numba's thread
count is thread-local, so :func:`kernel_threads` touches no state seen by other threads.
Each scenario is computed by one thread from its own inputs, so results are bit-identical
for every ``workers`` value.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

__all__ = ["KERNEL", "PARALLEL_KERNEL", "kernel_threads"]

#: options of a serial kernel
KERNEL = {"cache": True, "nogil": True, "error_model": "numpy"}
#: options of a kernel whose outer loop is a ``prange`` over scenarios
PARALLEL_KERNEL = {**KERNEL, "parallel": True}


@contextlib.contextmanager
def kernel_threads(workers: int) -> Iterator[int]:
    """Run the enclosed kernels on ``workers`` threads (``-1``: all); yield the count used.

    ``workers`` must already be validated (:func:`burden._validation.workers_iv`). The count
    is capped at numba's pool size and restored on exit.

    Examples
    --------
    >>> with kernel_threads(1) as n:
    ...     n
    1
    """
    import numba  # on first use: `import burden` does not pay for numba's import

    available = numba.config.NUMBA_NUM_THREADS
    count = available if workers == -1 else min(workers, available)
    previous = numba.get_num_threads()
    numba.set_num_threads(count)
    try:
        yield count
    finally:
        numba.set_num_threads(previous)
