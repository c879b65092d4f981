"""Public-goods figures: reaction curves with Nash, Lindahl and the Pareto set; free riding by size."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from burden.plots._util import axes


def reaction_curves(w: ArrayLike, prefs: Any, *, p: float = 1.0, n_points: int = 400, ax: Any = None) -> Any:
    """Two allies' reaction curves with the Nash and Lindahl points and the Pareto set.

    Ally ``i``'s reaction curve is traced through its replacement function: at each total
    ``G`` it gives ``r_i(G)`` and the partner the rest, ``G - r_i(G)``. The curves cross at
    the Nash equilibrium. The Pareto set is where the Samuelson condition
    ``mrs_1 + mrs_2 = p`` holds (the zero contour of :func:`burden.samuelson_residual`); the
    Lindahl point lies on it.

    Parameters
    ----------
    w : array_like, shape (2,)
        Wealth of the two allies.
    prefs : Preferences
        Their preferences (parameters of shape () or (2,)).
    p : float
        Unit price of the alliance good.
    n_points : int
        Points per curve and per side of the Pareto grid.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import burden as bd
    >>> ax = bd.plots.reaction_curves([100.0, 80.0], bd.CobbDouglas(0.5))
    >>> ax.get_xlabel()
    'contribution of ally 1, g1'
    """
    import burden as bd

    w = np.asarray(w, dtype=float)
    if w.shape != (2,):
        raise ValueError(f"`w` must hold the wealth of two allies; got shape {w.shape}")
    ax = axes(ax)
    top = w / p
    G = np.linspace(0.0, top.max(), n_points)[1:]
    r = np.asarray(prefs.replacement(G[:, None], w, p))  # (n_points - 1, 2)
    own, other = r, G[:, None] - r
    for i, (color, name) in enumerate((("C0", "ally 1"), ("C1", "ally 2"))):
        keep = (other[:, i] >= 0) & (other[:, i] <= top[1 - i])
        xy = (own[keep, 0], other[keep, 0]) if i == 0 else (other[keep, 1], own[keep, 1])
        ax.plot(*xy, color=color, label=f"reaction curve of {name}")

    g1, g2 = np.meshgrid(np.linspace(0, top[0], n_points), np.linspace(0, top[1], n_points))
    with np.errstate(divide="ignore", invalid="ignore"):  # corners where x or G is 0
        residual = bd.samuelson_residual(
            np.stack([w[0] - p * g1, w[1] - p * g2], axis=-1), g1 + g2, prefs, p=p
        )
    ax.contour(g1, g2, np.where(np.isfinite(residual), residual, np.nan), levels=[0.0], colors="0.4")
    ax.plot([], [], color="0.4", label="Pareto set (Samuelson condition)")

    nash, lindahl = bd.nash(w, prefs, p=p), bd.lindahl(w, prefs, p=p)
    ax.plot(*nash.g, "o", color="k", label=f"Nash, G = {float(nash.G):.4g}")
    ax.plot(*lindahl.g, "s", color="C2", label=f"Lindahl, G = {float(lindahl.G):.4g}")
    ax.set(
        xlim=(0, top[0]), ylim=(0, top[1]),
        xlabel="contribution of ally 1, g1", ylabel="contribution of ally 2, g2",
        title="Reaction curves, Nash and Lindahl points",
    )  # fmt: skip
    ax.legend(loc="upper right", fontsize="small")
    return ax


def free_riding_gap(w: ArrayLike, prefs: Any, *, n_max: int = 20, p: float = 1.0, ax: Any = None) -> Any:
    """Nash and Lindahl provision, and their ratio, for alliances of 1 to ``n_max`` identical allies.

    Olson's group-size effect, from :func:`burden.group_size_effect`: the totals on the left
    axis, the ratio ``G_Nash/G_Lindahl`` on a twin right axis.

    Parameters
    ----------
    w : float
        Wealth of each ally.
    prefs : Preferences
    n_max : int
    p : float
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        The left axis; the ratio's twin axis is ``ax.figure.axes[-1]``.

    Examples
    --------
    >>> import burden as bd
    >>> ax = bd.plots.free_riding_gap(1.0, bd.CobbDouglas(0.5), n_max=10)
    >>> ax.get_title()
    'Free riding against alliance size'
    """
    import burden as bd

    sizes = bd.group_size_effect(w, prefs, n_max=n_max, p=p)
    optimum = sizes.G_optimum
    ax = axes(ax)
    ax.plot(sizes.n, sizes.G_nash, "o-", color="C0", label="Nash total")
    ax.plot(sizes.n, optimum, "s-", color="C2", label="Lindahl (Pareto) total")
    ax.fill_between(sizes.n, sizes.G_nash, optimum, color="C3", alpha=0.15, label="free-riding gap")
    ax.set(xlabel="number of allies, n", ylabel="alliance good, G", title="Free riding against alliance size")
    right = ax.twinx()
    right.plot(sizes.n, sizes.ratio, "--", color="C3", label="G_Nash / G_Lindahl")
    right.set(ylabel="G_Nash / G_Lindahl", ylim=(0, 1.05))
    lines = ax.get_legend_handles_labels()
    twin = right.get_legend_handles_labels()
    ax.legend(lines[0] + twin[0], lines[1] + twin[1], loc="upper left", fontsize="small")
    return ax
