"""Shared plumbing: a lazily imported pyplot, new axes, saving."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def pyplot():
    """``matplotlib.pyplot``, or an ImportError that names the extra to install."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # the optional extra is missing
        raise ImportError("burden.plots needs matplotlib: pip install 'burden[plot]'") from exc
    return plt


def axes(ax: Any = None) -> Any:
    """``ax``, or the Axes of a new figure."""
    if ax is not None:
        return ax
    _, new = pyplot().subplots(figsize=(6.4, 4.8), layout="constrained")
    return new


def save(figure: Any, path: str | Path, **savefig_kwargs: Any) -> Path:
    """Save a Figure (or the figure of an Axes) to ``path`` and close it; return the path.

    Parameters
    ----------
    figure : matplotlib Figure or Axes
    path : str or Path
        The file; its suffix picks the format (``.png``, ``.pdf``, ``.svg``).
    **savefig_kwargs
        Passed to ``Figure.savefig`` (e.g. ``dpi=200``).

    Returns
    -------
    Path
    """
    fig = getattr(figure, "figure", figure)
    path = Path(path)
    fig.savefig(path, **savefig_kwargs)
    pyplot().close(fig)
    return path
