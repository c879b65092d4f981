"""The result base: read-only, picklable, comparable, tabulated with labelled batch levels."""

import pickle

import numpy as np
import pytest

from burden._results import Result, result_class


@result_class
class Toy(Result):
    _core_dims = ("member",)

    g: np.ndarray
    pair: np.ndarray
    G: np.ndarray
    status: np.ndarray
    method: str = "toy"


def toy(batch=(2,)):
    return Toy(
        g=np.arange(np.prod(batch, dtype=int) * 3, dtype=float).reshape(*batch, 3),
        pair=np.ones((*batch, 2)),
        G=np.full(batch, np.nan),
        status=np.zeros(batch, np.int8),
    )


def test_arrays_are_read_only():
    result = toy()
    with pytest.raises(ValueError, match="read-only"):
        result.g[0, 0] = 1.0


def test_pickle_round_trip_and_comparison():
    result = toy()
    again = pickle.loads(pickle.dumps(result))
    assert again == result  # NaN fields compare equal to themselves
    assert (again != result) is False
    other = toy()
    object.__setattr__(other, "g", other.g + 1)
    assert other != result
    assert result != "something else"
    with pytest.raises(TypeError):
        hash(result)


def test_batch_shape_and_success_come_from_status():
    result = toy((3, 4))
    assert result.batch_shape == (3, 4)
    assert result.success.shape == (3, 4) and result.success.all()


def test_to_frame_has_one_level_per_batch_axis_and_keeps_every_field():
    pytest.importorskip("pandas")
    frame = toy((2, 2)).to_frame()
    assert list(frame.index.names) == ["scenario_0", "scenario_1", "member"]
    assert list(frame.columns) == ["g", "pair[0]", "pair[1]", "G", "status"]
    assert len(frame) == 2 * 2 * 3
    np.testing.assert_array_equal(frame["g"], np.arange(12.0))
    named = toy((2,)).to_frame(batch_names=["year"])
    assert list(named.index.names) == ["year", "member"]
    with pytest.raises(ValueError, match="batch_names"):
        toy((2,)).to_frame(batch_names=["a", "b"])


def test_unbatched_frame_keeps_status():
    pytest.importorskip("pandas")
    frame = toy(()).to_frame()
    assert list(frame.index.names) == ["member"] and "status" in frame and len(frame) == 3


def test_nested_results_print_compactly():
    @result_class
    class Outer(Result):
        inner: Toy
        status: np.ndarray

    text = repr(Outer(inner=toy(), status=np.zeros(2, np.int8)))
    assert "<Toy of batch shape (2,)>" in text
