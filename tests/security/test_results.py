"""The result objects of burden.security: status, success, pickling, comparison, frames."""

from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np
import pytest
from scipy import stats

from burden import MultipleEquilibriaWarning, Status
from burden.security import (
    CommitmentEquilibria,
    CommitmentGame,
    CommitmentMatrixGame,
    MultilateralCommitmentGame,
    MultilateralEquilibria,
    MultilateralEquilibrium,
    ReducedForm,
    TradeOff,
    TrustCutoffs,
    tradeoff,
    trust_cutoffs,
)


def every_result():
    game = CommitmentGame(
        pi=[[0.3, 0.3], [0.5, 0.2]], d=1.0, e=0.5, s=0.2, m=0.5, kappa=0.1, deterrence=1.0, k=0.2, realign=0.5
    )
    multi = MultilateralCommitmentGame.from_dyadic(game)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MultipleEquilibriaWarning)
        listed = multi.equilibria()
    return [
        game.equilibria(),
        game.reduced_form(),
        game.to_2x2(),
        tradeoff(game, vary="d", ally=0, values=[0.5, 1.0, 2.0]),
        trust_cutoffs([0.1, 0.5], stats.uniform(0, 2)),
        MultilateralCommitmentGame(
            alpha=[[0.3, 0.1, -0.1], [0.2, 0.2, 0.2]], beta=0.1, gamma=0.2, eta=1.0
        ).equilibrium(),
        listed,
    ]


TYPES = (
    CommitmentEquilibria,
    ReducedForm,
    CommitmentMatrixGame,
    TradeOff,
    TrustCutoffs,
    MultilateralEquilibrium,
    MultilateralEquilibria,
)


def test_every_result_has_a_status_from_the_vocabulary_and_success():
    for result, kind in zip(every_result(), TYPES, strict=True):
        assert type(result) is kind
        assert result.status.dtype == np.int8
        assert result.status.shape == result.batch_shape
        assert set(np.unique(result.status)) <= {int(s) for s in Status}
        np.testing.assert_array_equal(result.success, result.status >= 0)


def _roundtrip(result):
    return pickle.loads(pickle.dumps(result))


def test_every_result_pickles_compares_and_tabulates():
    results = every_result()
    for result in results:
        again = _roundtrip(result)
        assert again == result and not (again != result)
        assert repr(again) == repr(result)
        frame = result.to_frame()
        assert "status" in frame.columns and len(frame) > 0
        assert frame.index.names[: len(result.batch_shape)] == (
            ["scenario"]
            if len(result.batch_shape) == 1
            else [f"scenario_{k}" for k in range(len(result.batch_shape))]
        )
    # the lazy fields of the dyadic result survive pickling before and after first use
    eq = results[0]
    fresh = _roundtrip(eq)
    np.testing.assert_array_equal(fresh.utility, eq.utility)
    assert "utility" in eq.to_frame().columns and "abandonment_risk" in eq.to_frame().columns
    assert not eq.utility.flags.writeable and not eq.c.flags.writeable


def test_results_cross_process_boundaries(process_pool):
    results = every_result()
    back = list(process_pool.map(copy.deepcopy, results))
    for mine, theirs in zip(results, back, strict=True):
        assert mine == theirs


def test_different_results_compare_unequal():
    a = CommitmentGame(pi=0.3, d=1.0, e=0.5).equilibria()
    b = CommitmentGame(pi=0.3, d=2.0, e=0.5, realign=1.0).equilibria()
    assert a != b and a == CommitmentGame(pi=0.3, d=1.0, e=0.5).equilibria()


@pytest.mark.parametrize("workers", [1, 2])
def test_tradeoff_frame_has_value_and_branch_levels(workers):
    curve = tradeoff(
        CommitmentGame(pi=0.5, d=1.0, e=0.6, k=0.5, realign=0.2, deterrence=1.2),
        vary="e",
        ally=0,
        values=np.linspace(0, 3, 7),
        workers=workers,
    )
    frame = curve.to_frame(batch_names=["value"])
    assert frame.index.names == ["value", "branch", "ally"]
    assert len(frame) == 7 * curve.c.shape[-2] * 2
