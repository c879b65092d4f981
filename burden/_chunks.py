"""Run a kernel over consecutive chunks of a flat batch, optionally in parallel threads.

The batched kernels of `burden` write each chunk's results into disjoint rows of
preallocated outputs, and numpy releases the GIL inside the array operations they are made
of, so threads (not processes) parallelise them with no copying.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["for_each_chunk"]


def for_each_chunk(solve: Callable[[slice], None], rows: int, chunk: int, workers: int = 1) -> None:
    """Call ``solve(rows_slice)`` for ``[0, chunk)``, ``[chunk, 2 chunk)``, ... up to ``rows``.

    ``solve`` must only write the rows it is given. With ``workers > 1`` the chunks run in a
    thread pool; an exception in any chunk is re-raised here.

    Examples
    --------
    >>> import numpy as np
    >>> out = np.zeros(10)
    >>> def fill(part):
    ...     out[part] = np.arange(part.start, part.stop)
    >>> for_each_chunk(fill, 10, chunk=4, workers=2)
    >>> out
    array([0., 1., 2., 3., 4., 5., 6., 7., 8., 9.])
    """
    parts = [slice(start, min(start + chunk, rows)) for start in range(0, rows, chunk)]
    if workers == 1 or len(parts) <= 1:
        for part in parts:
            solve(part)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(solve, parts))  # list() re-raises any chunk's exception
