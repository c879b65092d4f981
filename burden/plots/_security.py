"""Commitment-game figures: best responses with the equilibria; trade-offs as equilibrium branches."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from numpy.typing import NDArray

from burden.plots._util import axes


def commitment_best_responses(game: Any, *, n_points: int = 201, ax: Any = None) -> Any:
    """Both allies' best responses in the commitment square, with every equilibrium.

    Stable equilibria (under best-response dynamics) are filled, unstable ones hollow.

    Parameters
    ----------
    game : CommitmentGame
        One game (batch shape ``()``).
    n_points : int
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import burden as bd
    >>> game = bd.CommitmentGame(pi=0.5, d=2.0, e=0.5, s=0.3, m=0.5, kappa=0.2, k=1.0)
    >>> bd.plots.commitment_best_responses(game).get_title()
    'Commitment game: best responses and equilibria'
    """
    if game.batch_shape != ():
        raise ValueError(f"`game` must be one game (batch shape ()); got batch shape {game.batch_shape}")
    c = np.linspace(0.0, 1.0, n_points)
    ax = axes(ax)
    ax.plot(game.best_response(0, c), c, color="C0", label="best response of ally 1")
    ax.plot(c, game.best_response(1, c), color="C1", label="best response of ally 2")
    eq = game.equilibria()
    points, stable = np.asarray(eq.c).reshape(-1, 2), np.asarray(eq.stable).reshape(-1)
    present = np.isfinite(points).all(axis=-1)
    for is_stable, style in ((True, {}), (False, {"mfc": "white"})):
        pick = present & (stable == is_stable)
        if pick.any():
            label = "stable equilibrium" if is_stable else "unstable equilibrium"
            ax.plot(points[pick, 0], points[pick, 1], "o", color="k", label=label, **style)
    ax.set(
        xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), aspect="equal",
        xlabel="commitment of ally 1, c1", ylabel="commitment of ally 2, c2",
        title="Commitment game: best responses and equilibria",
    )  # fmt: skip
    ax.legend(loc="best", fontsize="small")
    return ax


def tradeoff_branches(values: NDArray, y: NDArray) -> NDArray:
    """Label equilibrium slots by continuous branch along the varied parameter.

    Trade-off results store each value's equilibria in slots sorted by commitment, so slot
    ``k`` can jump from one branch to another where an equilibrium appears or vanishes. This
    links each value's equilibria to the previous value's by the assignment with the least
    total distance; an equilibrium with no partner starts a new branch.

    Parameters
    ----------
    values : ndarray, shape (V,)
        The parameter values, in order.
    y : ndarray, shape (V, K) or (V, K, d)
        The equilibria (NaN in empty slots), e.g. both commitments.

    Returns
    -------
    ndarray of int, shape (V, K)
        Branch number of each slot; -1 in empty slots.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.array([[0.1, np.nan, np.nan], [0.1, 0.5, 0.9], [0.5, 0.9, np.nan]])
    >>> tradeoff_branches(np.arange(3.0), y)
    array([[ 0, -1, -1],
           [ 0,  1,  2],
           [ 1,  2, -1]])
    """
    y = np.asarray(y, dtype=float)
    points = y if y.ndim == 3 else y[..., None]
    labels = np.full(points.shape[:2], -1)
    previous: dict[int, NDArray] = {}  # branch -> its point at the previous value
    next_label = 0
    for v in range(points.shape[0]):
        present = [k for k in range(points.shape[1]) if np.isfinite(points[v, k]).all()]
        pairs = min(len(present), len(previous))
        matched: dict[int, int] = {}
        best_cost = np.inf
        # Few equilibria per value (at most three isolated ones): try every assignment.
        for chosen in itertools.permutations(previous, pairs):
            for slots in itertools.combinations(present, pairs):
                cost = sum(
                    np.abs(points[v, k] - previous[b]).sum() for k, b in zip(slots, chosen, strict=True)
                )
                if cost < best_cost:
                    matched, best_cost = dict(zip(slots, chosen, strict=True)), cost
        current = {}
        for k in present:
            if k not in matched:
                matched[k], next_label = next_label, next_label + 1
            labels[v, k] = matched[k]
            current[matched[k]] = points[v, k]
        previous = current
    return labels


def _branch_labels(result: Any) -> NDArray:
    """Branch number of each equilibrium slot of a trade-off result (-1: empty)."""
    c = np.asarray(result.c, dtype=float)
    if getattr(result, "branch", None) is not None:
        return np.asarray(result.branch)
    if "branch" in getattr(result, "_core_dims", ()):  # the slots already follow the branches
        return np.where(np.isfinite(c).all(axis=-1), np.arange(c.shape[-2]), -1)
    return tradeoff_branches(np.asarray(result.values), c)


def tradeoff_curves(result: Any, field: str = "c", ally: int = 0, *, ax: Any = None) -> Any:
    """A trade-off result drawn as continuous equilibrium branches, not as sorted slots.

    A result whose equilibrium axis is already a branch axis (core dimension ``"branch"``)
    is drawn slot by slot; one with ``branch`` labels follows them; otherwise the branches are
    derived by continuity with :func:`tradeoff_branches` on both commitments. Unstable
    equilibria are drawn dashed.

    Parameters
    ----------
    result : TradeOff
        From :func:`burden.tradeoff` on one game (batch shape ``(V,)``).
    field : str
        A per-ally field: ``"c"``, ``"abandonment_risk"``, ``"entrapment_risk"``,
        ``"bargaining_share"`` or ``"utility"``.
    ally : int
        Whose value to draw (0 or 1).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np, burden as bd
    >>> game = bd.CommitmentGame(pi=0.4, d=1.0, e=0.6, s=0.3, m=0.5, kappa=0.2, k=0.8)
    >>> curve = bd.tradeoff(game, vary="d", ally=0, values=np.linspace(0.5, 4, 8))
    >>> bd.plots.tradeoff_curves(curve).get_xlabel()
    'd of ally 1'
    """
    values = np.asarray(result.values, dtype=float)
    data = np.asarray(getattr(result, field), dtype=float)
    if data.ndim != 3:
        raise ValueError(f"`result` must come from one game (field shape (V, K, 2)); got {data.shape}")
    labels = _branch_labels(result)
    stable = np.asarray(result.stable, dtype=bool)
    ax = axes(ax)
    for b in range(labels.max() + 1):
        color = f"C{b % 10}"
        v_index, slot = np.nonzero(labels == b)
        x, y, s = values[v_index], data[v_index, slot, ally], stable[v_index, slot]
        ax.plot(x, np.where(s, y, np.nan), "-", color=color, label=f"branch {b + 1}")
        # An unstable stretch, joined to its stable neighbours so the branch stays continuous.
        unstable = ~s
        unstable[1:] |= ~s[:-1]
        unstable[:-1] |= ~s[1:]
        ax.plot(x, np.where(unstable, y, np.nan), "--", color=color)
    who = "" if result.ally is None else f" of ally {result.ally + 1}"
    ax.set(
        xlabel=f"{result.vary}{who}", ylabel=f"{field.replace('_', ' ')} of ally {ally + 1}",
        title="Trade-off: equilibrium branches (dashed: unstable)",
    )  # fmt: skip
    ax.legend(loc="best", fontsize="small")
    return ax
