"""Tests of the chunk runner shared by the batched kernels."""

import numpy as np
import pytest

from burden._chunks import for_each_chunk, thread_map


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize(("rows", "chunk"), [(0, 4), (1, 4), (10, 3), (12, 4), (5, 100)])
def test_every_row_is_visited_once(rows, chunk, workers):
    visits = np.zeros(rows, dtype=int)

    def visit(part):
        visits[part] += 1

    for_each_chunk(visit, rows, chunk, workers)
    assert (visits == 1).all()


def test_an_exception_in_any_chunk_reaches_the_caller():
    def fail_on_third(part):
        if part.start == 6:
            raise ValueError("chunk 3")

    with pytest.raises(ValueError, match="chunk 3"):
        for_each_chunk(fail_on_third, 12, 3, workers=2)


def test_thread_map_keeps_order():
    assert thread_map(lambda k: -k, list(range(50)), workers=4) == [-k for k in range(50)]
