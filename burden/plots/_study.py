"""Heat maps of a two-parameter study."""

from __future__ import annotations

from typing import Any

from numpy.typing import ArrayLike

from burden._validation import as_float_array
from burden.plots._util import axes


def study_heatmap(
    z: ArrayLike,
    x: ArrayLike,
    y: ArrayLike,
    *,
    xlabel: str,
    ylabel: str,
    title: str = "Parameter study",
    colorbar_label: str = "",
    cmap: str = "viridis",
    ax: Any = None,
) -> Any:
    """A heat map of one output over a grid of two parameters.

    Parameters
    ----------
    z : array_like, shape (len(y), len(x))
        The output (e.g. a study's ``G_nash / G_lindahl``), rows along ``y``.
    x, y : array_like
        The grid values of the two parameters (centres of the cells).
    xlabel, ylabel, title, colorbar_label : str
    cmap : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np, burden as bd
    >>> a, n = np.linspace(0.1, 0.9, 9), np.arange(2, 12)
    >>> ratio = 1 / (1 + (n[:, None] - 1) * a[None, :])
    >>> ax = bd.plots.study_heatmap(ratio, a, n, xlabel="a", ylabel="n", colorbar_label="ratio")
    >>> ax.get_title(), ax.figure.axes[-1].get_ylabel()
    ('Parameter study', 'ratio')
    """
    z = as_float_array(z, "z", finite=False)  # NaN: a failed scenario, drawn blank
    x, y = as_float_array(x, "x"), as_float_array(y, "y")
    if z.shape != (y.size, x.size):
        raise ValueError(f"`z` must have shape (len(y), len(x)) = {(y.size, x.size)}; got {z.shape}")
    ax = axes(ax)
    mesh = ax.pcolormesh(x, y, z, cmap=cmap, shading="nearest")
    ax.figure.colorbar(mesh, ax=ax, label=colorbar_label)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    return ax
