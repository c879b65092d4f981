"""Tests of the result objects of `burden.games` (`burden.games._results`)."""

import copy
import pickle

import numpy as np
import pytest

from burden.games import classify_2x2, equilibria_2x2, pure_equilibria, support_enumeration


def _results():
    A = np.array([[[3, 0], [5, 1]], [[2, 0], [0, 1]]], dtype=float)
    B = np.swapaxes(A, -1, -2)
    return [
        equilibria_2x2(A, B),
        support_enumeration(A, B),
        classify_2x2(A, B),
        pure_equilibria(np.stack([A, B], axis=-1)),
    ]


def _roundtrip(result):
    return pickle.loads(pickle.dumps(result))


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_results_pickle_and_compare(result):
    again = _roundtrip(result)
    assert again == result and type(again) is type(result)
    assert again.batch_shape == result.status.shape == (2,)
    np.testing.assert_array_equal(again.success, result.status >= 0)
    with pytest.raises((ValueError, TypeError)):
        result.status[0] = -1  # read-only


def test_results_travel_between_processes(process_pool):
    results = _results()
    back = list(process_pool.map(copy.deepcopy, results))
    assert all(a == b for a, b in zip(back, results, strict=True))


@pytest.mark.parametrize("result", _results(), ids=lambda r: type(r).__name__)
def test_to_frame_keeps_every_field_with_labelled_levels(result):
    pytest.importorskip("pandas")
    frame = result.to_frame(["game"])
    assert frame.index.names[0] == "game"
    columns = {c.split("[")[0] for c in frame.columns}
    assert columns == {name for name in result._fields()}
