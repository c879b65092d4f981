"""Argument types shared by the ``burden`` sub-commands."""

from __future__ import annotations

import argparse

import numpy as np

__all__ = ["flatten", "floats"]


def floats(text: str) -> np.ndarray:
    """Parse ``"100,80"`` (or ``"100"``) into a float array: an argparse ``type``.

    >>> floats("100,80")
    array([100.,  80.])
    """
    try:
        return np.array([float(v) for v in text.split(",")])
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}") from None


def flatten(values: list) -> list[float]:
    """Join ``nargs="+"`` values of :func:`floats` (``--pi 0.3 0.4`` or ``--pi 0.3,0.4``)."""
    return [float(v) for v in np.concatenate([np.atleast_1d(v) for v in values])]
