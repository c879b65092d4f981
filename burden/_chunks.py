"""Run a kernel over consecutive chunks of a flat batch, optionally in parallel threads.

The batched kernels of `burden` write each chunk's results into disjoint rows of
preallocated outputs, and numpy releases the GIL inside the array operations they are made
of, so threads (not processes) parallelise them with no copying.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["for_each_chunk", "thread_map"]

T = TypeVar("T")
R = TypeVar("R")


def thread_map(func: Callable[[T], R], items: Sequence[T], workers: int = 1) -> list[R]:
    """``[func(item) for item in items]``, in ``workers`` threads when ``workers > 1``.

    Results keep the order of ``items``; an exception in any call is re-raised here.

    Examples
    --------
    >>> thread_map(lambda k: k * k, [1, 2, 3], workers=2)
    [1, 4, 9]
    """
    if workers == 1 or len(items) <= 1:
        return [func(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, items))


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
    thread_map(solve, [slice(start, min(start + chunk, rows)) for start in range(0, rows, chunk)], workers)
