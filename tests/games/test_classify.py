"""Tests of the ordinal classification of 2×2 games (`burden.games.classify_2x2`)."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from burden.games import classify_2x2
from burden.games.classify import NAMES


def symmetric_game(order):
    """Row and column payoffs of the symmetric game with outcomes ranked as in ``order``.

    ``order`` lists R, S, T, P best first, e.g. "TRPS"; action 0 is C.
    """
    rank = {o: 4 - i for i, o in enumerate(order)}
    A = np.array([[rank["R"], rank["S"]], [rank["T"], rank["P"]]])
    return A, A.T


@pytest.mark.parametrize(
    ("order", "name"),
    [
        ("TRPS", "prisoners_dilemma"),
        ("TRSP", "chicken"),
        ("RTPS", "stag_hunt"),
        ("TPRS", "deadlock"),
        ("RTSP", "harmony"),
        ("RSTP", "harmony"),  # C dominant (R > T, S > P) and CC best: harmony by its inequalities
        ("RSPT", "harmony"),
        ("STRP", "hero"),  # Rapoport (1967)
        ("TSRP", "leader"),  # Rapoport (1967)
        ("RPST", "other_symmetric"),
    ],
)
def test_named_orders_with_either_labelling(order, name):
    A, B = symmetric_game(order)
    c = classify_2x2(A, B)
    assert c == name and not c.tie
    if name != "other_symmetric":
        np.testing.assert_array_equal(c.cooperate, [0, 0])
    flipped = classify_2x2(A[::-1, ::-1], B[::-1, ::-1])  # "defect" listed first
    assert flipped == name and flipped.code == c.code
    if name != "other_symmetric":
        np.testing.assert_array_equal(flipped.cooperate, [1, 1])


def test_textbook_games():
    # Prisoner's Dilemma with Axelrod's (1984) payoffs, Chicken and Stag Hunt in their usual
    # ordinal forms (payoffs derived), and the Battle of the Sexes of Luce & Raiffa (1957,
    # p. 91), whose equally bad mismatches are a tie.
    A = np.array([[[3, 0], [5, 1]], [[0, -1], [1, -10]], [[4, 1], [3, 2]], [[2, -1], [-1, 1]]])
    B = np.array([[[3, 5], [0, 1]], [[0, 1], [-1, -10]], [[4, 3], [1, 2]], [[1, -1], [-1, 2]]])
    c = classify_2x2(A, B)
    assert c.name.tolist() == ["prisoners_dilemma", "chicken", "stag_hunt", "battle_of_the_sexes"]
    np.testing.assert_array_equal(c.tie, [False, False, False, True])
    assert c.code[3] == 0 and np.all(c.code[:3] > 0)
    assert str(classify_2x2(A[0], B[0])) == "prisoners_dilemma"


def test_matching_pennies_and_constant_games_are_ties():
    # Matching Pennies (payoffs ±1) ties its outcomes; no tie-breaking makes it symmetric.
    pennies = np.array([[1, -1], [-1, 1]])
    c = classify_2x2(pennies, -pennies)
    assert c == "asymmetric" and c.tie and c.code == 0
    np.testing.assert_array_equal(c.cooperate, [-1, -1])
    # Constant payoffs: every symmetric strict game refines it, so no single name.
    assert classify_2x2(np.zeros((2, 2)), np.zeros((2, 2))) == "tie"


def test_tie_on_a_boundary_between_named_games():
    # Derived: T > R > P = S lies between the Prisoner's Dilemma (P > S) and Chicken (S > P):
    # no single name, but both agree which action is C.
    A = np.array([[3, 0], [5, 0]])
    c = classify_2x2(A, A.T)
    assert c == "tie" and c.tie
    np.testing.assert_array_equal(c.cooperate, [0, 0])


def all_strict_games():
    perms = [np.array(p).reshape(2, 2) for p in itertools.permutations(range(4))]
    pairs = list(itertools.product(perms, perms))
    return np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])


def test_topology_counts():
    # Robinson & Goforth (2005): 144 strict ordinal games up to relabelling actions, 12 of
    # them symmetric; Rapoport & Guyer (1966): 78 once the players may also be swapped.
    A, B = all_strict_games()
    c = classify_2x2(A, B)
    codes, counts = np.unique(c.code, return_counts=True)
    np.testing.assert_array_equal(codes, np.arange(1, 145))
    assert np.all(counts == 4)
    assert len(np.unique(c.code[c.name != "asymmetric"])) == 12
    row, col = np.divmod(c.code - 1, 12)
    assert len({frozenset({12 * r + k, 12 * k + r}) for r, k in zip(row, col, strict=True)}) == 78
    named = {name: len(np.unique(c.code[c.name == name])) for name in NAMES}
    assert named["prisoners_dilemma"] == named["chicken"] == named["stag_hunt"] == 1
    assert named["hero"] == named["leader"] == named["deadlock"] == 1
    assert named["harmony"] == 3 and named["other_symmetric"] == 3
    assert named["battle_of_the_sexes"] == 0  # a name for ties between Hero and Leader only


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, (2, 2, 2), elements=st.integers(-3, 3).map(float)),
    st.booleans(),
    st.booleans(),
)
def test_invariant_under_relabelling_actions_and_swapping_players(payoffs, flip_rows, flip_cols):
    A, B = payoffs
    c = classify_2x2(A, B)
    rows = [1, 0] if flip_rows else [0, 1]
    cols = [1, 0] if flip_cols else [0, 1]
    relabelled = classify_2x2(A[rows][:, cols], B[rows][:, cols])
    assert relabelled.name == c.name and relabelled.code == c.code and relabelled.tie == c.tie
    expected = np.where(
        c.cooperate >= 0, np.array(rows + cols).reshape(2, 2)[[0, 1], c.cooperate.clip(0)], -1
    )
    np.testing.assert_array_equal(relabelled.cooperate, expected)
    swapped = classify_2x2(B.T, A.T)
    assert swapped.name == c.name
    if not c.tie:
        r, k = divmod(int(c.code) - 1, 12)
        assert swapped.code == 12 * k + r + 1
    np.testing.assert_array_equal(swapped.cooperate, c.cooperate[::-1])


@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_batch_equals_loop_of_single_games(rng, shape):
    A, B = rng.integers(-2, 3, size=(2, *shape, 2, 2))
    c = classify_2x2(A, B)
    assert c.name.shape == shape and c.cooperate.shape == (*shape, 2)
    for index in np.ndindex(*shape):
        one = classify_2x2(A[index], B[index])
        assert c.name[index] == one.name and c.code[index] == one.code and c.tie[index] == one.tie
        np.testing.assert_array_equal(c.cooperate[index], one.cooperate)


def test_tolerance_merges_near_ties():
    A, B = symmetric_game("TRPS")
    A = A.astype(float)
    A[1, 1] = A[0, 1] + 1e-12  # P barely above S
    assert not classify_2x2(A, B).tie
    assert classify_2x2(A, B, tol=1e-9).tie


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2, 2\)"):
        classify_2x2(np.zeros((3, 3)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"`B` must be finite"):
        classify_2x2(np.zeros((2, 2)), [[0, np.nan], [0, 0]])
    with pytest.raises(ValueError, match="`tol`"):
        classify_2x2(np.zeros((2, 2)), np.zeros((2, 2)), tol=np.inf)


# Defining inequalities of each family, read with action C as in R (docs/games.md); an
# independent statement of the table, checked against the classifier on all 24 orders.
FAMILIES = {
    "prisoners_dilemma": lambda R, S, T, P: T > R > P > S,
    "chicken": lambda R, S, T, P: T > R > S > P,
    "stag_hunt": lambda R, S, T, P: R > T > P > S,
    "deadlock": lambda R, S, T, P: T > P > R > S,
    "harmony": lambda R, S, T, P: R > T and R > S and S > P,  # C dominant, CC best for both
    "hero": lambda R, S, T, P: S > T > R > P,
    "leader": lambda R, S, T, P: T > S > R > P,
}


@pytest.mark.parametrize("order", ["".join(p) for p in itertools.permutations("RSTP")])
def test_named_families_follow_their_inequalities(order):
    rank = {o: 4 - i for i, o in enumerate(order)}
    # Either labelling of C and D describes the same game: (R, S, T, P) -> (P, T, S, R).
    readings = [(rank["R"], rank["S"], rank["T"], rank["P"]), (rank["P"], rank["T"], rank["S"], rank["R"])]
    matches = {name for name, holds in FAMILIES.items() for values in readings if holds(*values)}
    assert len(matches) <= 1  # the families are disjoint
    A, B = symmetric_game(order)
    assert classify_2x2(A, B) == (matches.pop() if matches else "other_symmetric")


def test_hero_leader_tie_is_the_battle_of_the_sexes():
    # S > T > R = P: the tie-breakings are Hero (R > P) and Leader (P > R, relabelled).
    A = np.array([[1, 4], [3, 1]])
    c = classify_2x2(A, A.T)
    assert c == "battle_of_the_sexes" and c.tie and c.status == 1 and c.code == 0


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.int64, (6, 2, 2, 2), elements=st.integers(-9, 9)), st.integers(-12, 12), st.integers(-12, 12)
)
def test_scaling_each_players_payoffs_keeps_the_class(payoffs, k_row, k_col):
    A, B = payoffs[:, 0] / 7, payoffs[:, 1] / 7
    for tol in (0.0, 1e-3):
        assert classify_2x2(A * 10.0**k_row, B * 10.0**k_col, tol=tol) == classify_2x2(A, B, tol=tol)


def test_workers_do_not_change_the_result(rng, monkeypatch):
    import burden.games.classify as classify

    A, B = rng.integers(-2, 3, size=(2, 3000, 2, 2))
    one = classify_2x2(A, B)
    monkeypatch.setattr(classify, "_CHUNK", 256)
    assert classify_2x2(A, B, workers=2) == one == classify_2x2(A, B, workers=-1)
    assert np.array_equal(one.status, np.where(one.tie, 1, 0))


def test_batch_matches_loop_with_the_shared_check(rng, batch_shape, batch_matches_loop):
    A, B = rng.integers(-2, 3, size=(2, *batch_shape, 2, 2))
    batch_matches_loop(classify_2x2, {"A": A, "B": B}, {"A": 2, "B": 2})
