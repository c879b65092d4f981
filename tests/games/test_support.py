"""Tests of batched support enumeration (`burden.games.support_enumeration`)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from burden import DegenerateGameWarning
from burden.games import equilibria_2x2, support_enumeration
from burden.games.support import MAX_ACTIONS


def test_von_stengel_3x2_example(same_sets):
    # von Stengel (2007), Algorithmic Game Theory ch. 3, the 3×2 example game (also in
    # QuantEcon's documentation): equilibria (1,0,0; 1,0), (4/5,1/5,0; 2/3,1/3),
    # (0,1/3,2/3; 1/3,2/3).
    A = np.array([[3, 3], [2, 5], [0, 6]])
    B = np.array([[3, 2], [2, 6], [3, 1]])
    eq = support_enumeration(A, B)
    same_sets(
        eq.as_list(),
        [
            ([1, 0, 0], [1, 0]),
            ([0.8, 0.2, 0], [2 / 3, 1 / 3]),
            ([0, 1 / 3, 2 / 3], [1 / 3, 2 / 3]),
        ],
    )
    np.testing.assert_allclose(eq.payoffs, [[3, 3], [3, 2.8], [4, 8 / 3]])
    assert not eq.degenerate


def test_rock_paper_scissors_has_only_the_uniform_equilibrium():
    # Zero-sum Rock-Paper-Scissors (win 1, lose -1, draw 0): the unique equilibrium is uniform.
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    eq = support_enumeration(A, -A)
    assert eq.count == 1
    np.testing.assert_allclose(eq.row[0], [1 / 3] * 3)
    np.testing.assert_allclose(eq.col[0], [1 / 3] * 3)


@pytest.mark.parametrize(("m", "n", "n_games"), [(5, 5, 300), (3, 4, 200), (4, 2, 200), (1, 3, 20)])
def test_agrees_with_quantecon_on_random_games(rng, m, n, n_games, same_sets):
    qe = pytest.importorskip("quantecon.game_theory")
    A, B = rng.normal(size=(2, n_games, m, n))
    eq = support_enumeration(A, B)
    assert not eq.degenerate.any()
    for g in range(n_games):
        reference = qe.support_enumeration(qe.NormalFormGame([qe.Player(A[g]), qe.Player(B[g].T)]))
        same_sets(eq.as_list(g), reference)


def test_agrees_with_the_closed_form_on_2x2_games(rng, same_sets):
    A, B = rng.normal(size=(2, 500, 2, 2))
    ours, closed = support_enumeration(A, B), equilibria_2x2(A, B)
    np.testing.assert_array_equal(ours.count, closed.count)
    for g in range(A.shape[0]):
        same_sets(ours.as_list(g), closed.as_list(g))


def test_largest_supported_games_run(rng):
    A, B = rng.normal(size=(2, 3, MAX_ACTIONS, MAX_ACTIONS))
    eq = support_enumeration(A, B)
    assert np.all(eq.count % 2 == 1)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.data(),
)
def test_every_profile_is_an_equilibrium_and_nondegenerate_counts_are_odd(m, n, data):
    payoffs = data.draw(
        arrays(np.float64, (6, 2, m, n), elements=st.floats(-100, 100, allow_subnormal=False))
    )
    A, B = payoffs[:, 0], payoffs[:, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = support_enumeration(A, B)
    atol = 1e-8 * max(1.0, np.abs(payoffs).max())
    for s in range(eq.row.shape[1]):
        used = s < eq.count
        x, y = eq.row[:, s][used], eq.col[:, s][used]
        row_values = np.einsum("grc,gc->gr", A[used], y)
        col_values = np.einsum("gr,grc->gc", x, B[used])
        assert np.all(np.einsum("gr,gr->g", x, row_values) >= row_values.max(axis=1) - atol)
        assert np.all(np.einsum("gc,gc->g", y, col_values) >= col_values.max(axis=1) - atol)
        np.testing.assert_allclose(x.sum(axis=1), 1)
        assert np.all(x >= 0) and np.all(y >= 0)
    assert np.all(eq.count[~eq.degenerate] % 2 == 1)


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batch_equals_loop_of_single_games(rng, shape):
    A, B = rng.normal(size=(2, *shape, 3, 3))
    eq = support_enumeration(A, B)
    k = eq.row.shape[-2]
    for index in np.ndindex(*shape):
        one = support_enumeration(A[index], B[index])
        k_one = one.row.shape[-2]
        for field in ("row", "col", "payoffs"):
            np.testing.assert_allclose(
                getattr(eq, field)[index][:k_one], getattr(one, field), rtol=0, atol=1e-12
            )
            assert np.isnan(getattr(eq, field)[index][k_one:]).all()
        assert eq.count[index] == one.count
        assert k >= k_one


def test_chunks_do_not_change_the_result(rng, monkeypatch):
    import burden.games.support as support

    A, B = rng.normal(size=(2, 50, 4, 3))
    whole = support_enumeration(A, B)
    monkeypatch.setattr(support, "_CHUNK_BUDGET", 1)  # one game per chunk
    chunked = support_enumeration(A, B)
    for field in ("row", "col", "payoffs", "count"):
        np.testing.assert_array_equal(getattr(whole, field), getattr(chunked, field))


def test_degenerate_games_are_flagged_with_a_warning():
    # Derived: the row player's payoffs are constant (ties everywhere) in game 0 only.
    A = np.stack([np.zeros((3, 3)), np.eye(3)])
    B = np.stack([np.eye(3), np.eye(3)])
    with pytest.warns(DegenerateGameWarning, match="1 of 2 games look degenerate"):
        eq = support_enumeration(A, B)
    np.testing.assert_array_equal(eq.degenerate, [True, False])
    assert eq.count[1] == 7  # the coordination game on the identity: one per nonempty support


def test_degenerate_game_keeps_each_equilibrium_once():
    # Derived: a tie in the column player's payoffs makes (row 0, column 0) reachable from the
    # pure pair and from support pairs with a zero weight; it must be listed once.
    A = np.array([[2.0, 0.0], [0.0, 1.0]])
    B = np.array([[1.0, 1.0], [0.0, 2.0]])
    with pytest.warns(DegenerateGameWarning):
        eq = support_enumeration(A, B)
    listed = [tuple(np.round(np.concatenate([x, y]), 9)) for x, y in eq.as_list()]
    assert len(listed) == len(set(listed))
    assert (1.0, 0.0, 1.0, 0.0) in listed


@pytest.mark.parametrize(
    ("shape", "message"),
    [((9, 2), "larger than 8×8"), ((2, 9), "larger than 8×8"), ((0, 2), "at least one action")],
)
def test_bad_shapes_are_rejected(shape, message):
    with pytest.raises(ValueError, match=message):
        support_enumeration(np.zeros(shape), np.zeros(shape))


def test_non_finite_payoffs_and_bad_tolerance_are_rejected():
    A = np.eye(3)
    A[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"`A` must be finite; A\[2, 1\]"):
        support_enumeration(A, np.eye(3))
    with pytest.raises(ValueError, match="`tol`"):
        support_enumeration(np.eye(3), np.eye(3), tol=0.5)


@settings(max_examples=40, deadline=None)
@given(arrays(np.int64, (2, 3, 3), elements=st.integers(-1, 1)))
def test_integer_games_give_equilibria_once_and_flag_ties(payoffs):
    A, B = payoffs.astype(float)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DegenerateGameWarning)
        eq = support_enumeration(A, B)
    assert bool(eq.degenerate) == any(issubclass(w.category, DegenerateGameWarning) for w in caught)
    listed = [tuple(np.round(np.concatenate([x, y]), 9)) for x, y in eq.as_list()]
    assert len(listed) == len(set(listed))
    for x, y in eq.as_list():
        assert x @ A @ y >= (A @ y).max() - 1e-9
        assert x @ B @ y >= (x @ B).max() - 1e-9
    # Pure ties make a game degenerate: a column with two best rows, or a row with two best columns.
    tied = any(np.sum(A[:, c] == A[:, c].max()) > 1 for c in range(3)) or any(
        np.sum(B[r] == B[r].max()) > 1 for r in range(3)
    )
    assert not tied or eq.degenerate


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(0, 2**32 - 1),
    st.integers(-12, 12),
    st.integers(-12, 12),
)
def test_scaling_each_players_payoffs_keeps_the_equilibria(m, n, seed, k_row, k_col):
    # Equilibria are invariant under positive scaling of a player's payoffs (Nash 1951); the
    # games mix generic payoffs with ties (integers) so statuses are exercised too.
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(2, 4, m, n))
    A[2:], B[2:] = rng.integers(-3, 4, size=(2, 2, m, n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        eq = support_enumeration(A, B)
        scaled = support_enumeration(A * 10.0**k_row, B * 10.0**k_col)
    for field in ("count", "degenerate", "status"):
        np.testing.assert_array_equal(getattr(scaled, field), getattr(eq, field))
    np.testing.assert_allclose(scaled.row, eq.row, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(scaled.col, eq.col, rtol=1e-9, atol=1e-12)


def test_workers_do_not_change_the_result(rng, monkeypatch):
    import burden.games.support as support

    A, B = rng.normal(size=(2, 60, 4, 3))
    one = support_enumeration(A, B)
    monkeypatch.setattr(support, "_CHUNK_BUDGET", 1000)  # several chunks to share out
    assert support_enumeration(A, B, workers=2) == one == support_enumeration(A, B, workers=-1)


def test_statuses(rng):
    A, B = rng.normal(size=(2, 5, 3, 3))
    eq = support_enumeration(A, B)
    assert eq.batch_shape == (5,) and np.all(eq.status == 0) and eq.success.all()
    with pytest.warns(DegenerateGameWarning):
        tied = support_enumeration(np.zeros((3, 3)), np.eye(3))
    assert tied.status == 1 and tied.success


def test_batch_matches_loop_with_the_shared_check(rng, batch_shape, batch_matches_loop):
    A, B = rng.normal(size=(2, *batch_shape, 3, 3))
    # K (the slot count) is the batch's largest count, so slots are compared by as_list below.
    batch_matches_loop(
        support_enumeration, {"A": A, "B": B}, {"A": 2, "B": 2}, skip=("row", "col", "payoffs", "component")
    )
